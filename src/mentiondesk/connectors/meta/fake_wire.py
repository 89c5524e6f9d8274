"""Graph's wire format as the fake speaks it: objects, recorded requests, injected failures,
error envelopes, field selection and cursor paging."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "WINDOW",
    "Answer",
    "FakeObject",
    "Injected",
    "RecordedRequest",
    "failure_answer",
    "graph_time",
    "paged",
    "render",
    "select_fields",
]

Answer = tuple[int, dict[str, str], Any]
RATE_MESSAGES = {
    4: "(#4) Application request limit reached",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    613: "(#613) Calls to this api have exceeded the rate limit.",
    80001: "(#80001) There have been too many calls to this Page account. Wait a bit and try"
    " again.",
    80002: "(#80002) There have been too many calls to this Instagram account. Wait a bit and try"
    " again.",
    80006: "(#80006) There have been too many messenger api calls to this Page account. Wait a"
    " bit and try again.",
}
WINDOW = "(#10) This message is sent outside of allowed window."


def graph_time(at: datetime) -> str:
    """How Graph writes a time: ``2026-03-10T09:00:00+0000``."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


@dataclass
class FakeObject:
    id: str
    kind: str  # post, comment
    account_id: str
    instagram: bool
    author_id: str
    author_name: str
    message: str
    created_at: datetime
    parent_id: str | None = None  # the post or comment a comment answers
    root_id: str | None = None  # the post or media a comment sits under
    is_hidden: bool = False
    deleted: bool = False
    liked: bool = False
    private_replied: bool = False


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    method: str
    path: str  # without the version: "/123_456/comments"
    params: dict[str, str]  # query and form fields together
    json: Any
    token: str | None


@dataclass
class Injected:
    kind: str  # rate_limit, token_invalid, server_error, bad_gateway, timeout, error
    path: str | None = None  # only requests whose path contains this
    times: int = 1
    code: int = 613
    subcode: int | None = None
    message: str | None = None
    status: int = 400
    regain_minutes: int = 5  # estimated_time_to_regain_access in the usage header
    delay: float = 2.0  # seconds, for timeout
    commit: bool = False  # timeout: carry the request out before stalling


def failure_answer(injected: Injected, account_hint: str) -> Answer:
    """The answer Graph gives for an injected failure (rate limits carry the usage headers)."""
    if injected.kind == "rate_limit":
        kind = "instagram" if injected.code == 80002 else "pages"
        kind = "messenger" if injected.code == 80006 else kind
        usage = {
            "type": kind,
            "call_count": 100,
            "total_cputime": 40,
            "total_time": 60,
            "estimated_time_to_regain_access": injected.regain_minutes,
        }
        headers = {
            "X-App-Usage": json.dumps({"call_count": 100, "total_time": 60, "total_cputime": 40}),
            "X-Business-Use-Case-Usage": json.dumps({account_hint or "0": [usage]}),
        }
        message = injected.message or RATE_MESSAGES.get(injected.code, "Rate limit reached")
        return injected.status, headers, error(injected.code, message)
    if injected.kind == "token_invalid":
        message = injected.message or "Error validating access token: Session has expired."
        return 400, {}, error(190, message, injected.subcode or 463)
    if injected.kind == "server_error":
        message = "An unexpected error has occurred. Please retry your request later."
        return 500, {}, error(2, message, transient=True)
    if injected.kind == "bad_gateway":
        return 502, {"Content-Type": "text/html"}, "<html><body>Bad Gateway</body></html>"
    message = injected.message or "Meta refused"
    return injected.status, {}, error(injected.code, message, injected.subcode)


def paged(items: list[Any], params: dict[str, str]) -> Answer:
    """One page of ``items`` (objects or ready nodes) with Graph's cursors."""
    limit = int(params["limit"]) if params.get("limit", "").isdigit() else 25
    limit = max(1, min(limit, 100))
    start = decode_cursor(params.get("after"))
    page = items[start : start + limit]
    data = [i if isinstance(i, dict) else render(i) for i in page]
    data = [select_fields(d, params.get("fields")) for d in data]
    paging: dict[str, Any] = {
        "cursors": {"before": cursor(start), "after": cursor(start + len(page))}
    }
    if start + limit < len(items):
        paging["next"] = f"https://graph.facebook.com/next?after={cursor(start + limit)}"
    return 200, {}, {"data": data, "paging": paging}


def render(o: FakeObject) -> dict[str, Any]:
    """An object as Graph shows it: Facebook ``message``/``created_time``, Instagram
    ``text``/``timestamp``."""
    if o.instagram:
        node = {
            "id": o.id,
            "text": o.message,
            "timestamp": graph_time(o.created_at),
            "username": o.author_name,
            "from": {"id": o.author_id, "username": o.author_name},
            "hidden": o.is_hidden,
            "media": {"id": o.root_id or o.id},
        }
        if o.parent_id and o.parent_id != o.root_id:
            node["parent_id"] = o.parent_id
        return node
    node = {
        "id": o.id,
        "message": o.message,
        "created_time": graph_time(o.created_at),
        "from": {"id": o.author_id, "name": o.author_name},
        "is_hidden": o.is_hidden,
        "permalink_url": f"https://www.facebook.com/{o.root_id or o.id}",
    }
    if o.kind == "comment" and o.parent_id != o.root_id:
        node["parent"] = {"id": o.parent_id}
    return node


def error(code: int, message: str, subcode: int | None = None, *, transient: bool = False) -> Any:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    if transient:
        error["is_transient"] = True
    error["fbtrace_id"] = "AmFGcW_3hwDB7qFbl_QdebZ"
    return {"error": error}


def unsupported(method: str, path: str) -> Answer:
    return 400, {}, error(100, f"Unsupported {method.lower()} request: {path}", 33)


def select_fields(node: dict[str, Any], fields: str | None) -> dict[str, Any]:
    """Only the requested top-level fields (``parent{id}`` asks for ``parent``), plus ``id``."""
    if not fields:
        return node
    wanted, depth, name = {"id"}, 0, ""
    for ch in fields + ",":
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            wanted.add(name.strip())
            name = ""
        elif depth == 0:
            name += ch
    return {k: v for k, v in node.items() if k in wanted}


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def maybe_json(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


def cursor(index: int) -> str:
    return base64.urlsafe_b64encode(f"cursor:{index}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except ValueError:
        return 0
    number = text.removeprefix("cursor:")
    return int(number) if number.isdigit() else 0
