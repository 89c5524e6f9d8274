"""A fake Mastodon instance on real HTTP, speaking the documented wire format.

    with FakeMastodonServer(token="brand-token") as fake:
        status_id = fake.mention("jane@example.social", "@acme my order is late")
        client = MastodonClient(fake.base_url, "brand-token")

It serves verify_credentials, notifications (``types[]``, ``min_id``/``since_id``/``max_id``,
``limit``, newest first, with a ``Link`` header), hashtag timelines, ``/api/v2/search``,
status creation (form or JSON, ``Idempotency-Key``: the same key returns the same status; 422
for blank or over-long text; 404 for an unknown ``in_reply_to_id``), favourite/unfavourite and
SSE streaming (``:thump`` heartbeat, queued ``event:``/``data:`` blocks, then the stream ends as
a dropped connection would). With ``live_streams=True`` a stream stays open instead: it
heartbeats, every ``mention`` is pushed to the open ``user/notification`` streams as an
``event: notification`` block, ``drop_streams()`` cuts them mid-way, and ``streams_down``
answers new ones 503 (an instance whose streaming server is down). Every answer carries
``X-RateLimit-*`` headers with an ISO reset.
Failures (platforms.md §11) on request: ``recorder.fail_next("rate_limit" | "token_invalid" |
"server_error" | "validation", path=…)``; ``revoke()`` makes the token invalid for good.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from mentiondesk.connectors.fake_http import (
    FakeHTTPServer,
    RecordedRequest,
    Recorder,
    ServedFake,
    record,
)

__all__ = ["MAX_CHARS", "FakeMastodonServer"]

MAX_CHARS = 500
LIMIT = 300


class FakeMastodonServer(ServedFake):
    def __init__(
        self,
        *,
        token: str = "brand-token",
        brand_acct: str = "acme",
        domain: str = "fake.social",
        live_streams: bool = False,
        heartbeat: float = 0.2,
    ) -> None:
        self.token = token
        self.live_streams = live_streams
        self.heartbeat = heartbeat
        self.streams_down = False
        self.streams_opened = 0
        self._listeners: list[list[tuple[str, str]]] = []  # one queue per open stream
        self._cut = 0  # bumped by drop_streams: streams opened before it end
        self.domain = domain
        self.recorder = Recorder()
        self.clock = lambda: datetime.now(UTC)
        self.brand = self._account("1", brand_acct)
        self.statuses: dict[str, dict[str, Any]] = {}
        self.notifications: list[dict[str, Any]] = []
        self.favourited: set[str] = set()
        self.stream_events: list[tuple[str, str]] = []
        self._keys: dict[str, str] = {}
        self._ids = itertools.count(109_000_000_000_000_001)
        self._lock = threading.Lock()
        self._remaining = LIMIT
        self._server = FakeHTTPServer(self._app(), name="fake-mastodon")

    # -- what happens on the instance ---------------------------------------------------

    def status(
        self, acct: str, text: str, *, visibility: str = "public", in_reply_to: str | None = None
    ) -> dict[str, Any]:
        """A status by ``acct`` (not the brand), as others post them."""
        with self._lock:
            return self._new_status(
                self._account(str(zlib.crc32(acct.encode())), acct), text, visibility, in_reply_to
            )

    def mention(
        self, acct: str, text: str, *, visibility: str = "public", in_reply_to: str | None = None
    ) -> str:
        """A status naming the brand, and the brand's ``mention`` notification of it."""
        status = self.status(acct, text, visibility=visibility, in_reply_to=in_reply_to)
        with self._lock:
            note = {
                "id": str(next(self._ids)),
                "type": "mention",
                "created_at": status["created_at"],
                "account": status["account"],
                "status": status,
            }
            self.notifications.append(note)
            block = ("notification", orjson.dumps(note).decode())
            for queue in self._listeners:
                queue.append(block)
        return str(status["id"])

    def drop_streams(self) -> None:
        """Cut every open stream, as a restarted streaming server or a lost network would."""
        with self._lock:
            self._cut += 1

    def notify(self, kind: str, acct: str) -> None:
        """A notification that is not a mention (favourite, follow, reblog, ...)."""
        with self._lock:
            self.notifications.append(
                {
                    "id": str(next(self._ids)),
                    "type": kind,
                    "created_at": _iso(self.clock()),
                    "account": self._account("77", acct),
                }
            )

    def push(self, event: str, payload: Any) -> None:
        """Queue a streaming event; JSON payloads are sent encoded, ``delete`` as a bare id."""
        data = payload if isinstance(payload, str) else orjson.dumps(payload).decode()
        self.stream_events.append((event, data))

    def revoke(self) -> None:
        self.token = "revoked:" + self.token

    # -- the HTTP app -------------------------------------------------------------------

    def _app(self) -> Starlette:
        async def endpoint(request: Request) -> Response:
            recorded, injected = await record(self.recorder, request)
            headers = self._limit_headers()
            if injected is not None:
                return _failure(injected.kind, headers, self.clock())
            if request.headers.get("authorization") != f"Bearer {self.token}":
                return JSONResponse({"error": "The access token is invalid"}, 401, headers)
            path = recorded.path
            if path.startswith("/api/v1/streaming"):
                if self.live_streams:
                    if self.streams_down:
                        return JSONResponse({"error": "Service Unavailable"}, 503, headers)
                    return StreamingResponse(self._live_sse(), media_type="text/event-stream")
                return StreamingResponse(self._sse(), media_type="text/event-stream")
            status, body, extra = self._handle(recorded)
            return JSONResponse(body, status, headers | extra)

        methods = ["GET", "POST"]
        return Starlette(routes=[Route("/{path:path}", endpoint, methods=methods)])

    async def _sse(self) -> AsyncIterator[bytes]:
        yield b":thump\n\n"
        events, self.stream_events = self.stream_events, []
        for event, data in events:
            yield f"event: {event}\ndata: {data}\n\n".encode()

    async def _live_sse(self) -> AsyncIterator[bytes]:
        queue: list[tuple[str, str]] = []
        with self._lock:
            self._listeners.append(queue)
            self.streams_opened += 1
            cut = self._cut
        try:
            yield b":)\n"
            beat = 0.0
            while True:
                with self._lock:
                    if self._cut != cut:
                        return
                    blocks, queue[:] = list(queue), []
                for event, data in blocks:
                    yield f"event: {event}\ndata: {data}\n\n".encode()
                await asyncio.sleep(0.02)
                beat += 0.02
                if beat >= self.heartbeat:
                    beat = 0.0
                    yield b":thump\n"
        finally:
            with self._lock:
                self._listeners.remove(queue)

    def _handle(self, req: RecordedRequest) -> tuple[int, Any, dict[str, str]]:
        path, method = req.path, req.method
        with self._lock:
            if path == "/api/v1/accounts/verify_credentials":
                return 200, self.brand, {}
            if path == "/api/v1/notifications":
                types = req.query.get("types[]") or []
                items = [n for n in self.notifications if not types or n["type"] in types]
                return self._paged(items, req, path)
            if path.startswith("/api/v1/timelines/tag/"):
                tag = "#" + path.rsplit("/", 1)[1].lower()
                items = [
                    s
                    for s in self.statuses.values()
                    if tag in s["content"].lower() and s["visibility"] == "public"
                ]
                return self._paged(items, req, path)
            if path == "/api/v2/search":
                query = (req.param("q") or "").lower()
                found = [
                    s
                    for s in self.statuses.values()
                    if query and query in s["content"].lower() and s["visibility"] != "direct"
                ]
                status, page, extra = self._paged(found, req, path)
                return status, {"accounts": [], "statuses": page, "hashtags": []}, extra
            if path == "/api/v1/statuses" and method == "POST":
                return self._create(req)
            if path.endswith(("/favourite", "/unfavourite")) and method == "POST":
                status_id = path.split("/")[-2]
                if status_id not in self.statuses:
                    return 404, {"error": "Record not found"}, {}
                if path.endswith("/favourite"):
                    self.favourited.add(status_id)
                else:
                    self.favourited.discard(status_id)
                body = self.statuses[status_id] | {"favourited": status_id in self.favourited}
                return 200, body, {}
        return 404, {"error": "Record not found"}, {}

    def _create(self, req: RecordedRequest) -> tuple[int, Any, dict[str, str]]:
        form: dict[str, Any] = (
            req.json()
            if req.headers.get("content-type", "").startswith("application/json")
            else req.form()
        )
        key = req.headers.get("idempotency-key")
        if key and key in self._keys:
            return 200, self.statuses[self._keys[key]], {}
        text = str(form.get("status") or "").strip()
        if not text:
            return 422, {"error": "Validation failed: Text can't be blank"}, {}
        if len(text) > MAX_CHARS:
            return 422, {"error": "Validation failed: Text character limit of 500 exceeded"}, {}
        parent = form.get("in_reply_to_id")
        if parent and parent not in self.statuses:
            return 404, {"error": "Record not found"}, {}
        visibility = str(form.get("visibility") or "public")
        if visibility not in ("public", "unlisted", "private", "direct"):
            return 422, {"error": "Validation failed: Visibility is not included in the list"}, {}
        status = self._new_status(self.brand, text, visibility, parent)
        if key:
            self._keys[key] = status["id"]
        return 200, status, {}

    def _paged(
        self, items: list[dict[str, Any]], req: RecordedRequest, path: str
    ) -> tuple[int, Any, dict[str, str]]:
        limit = min(int(req.param("limit") or 20), 80)
        ordered = sorted(items, key=lambda item: int(item["id"]))
        if (min_id := req.param("min_id")) is not None:
            page = [i for i in ordered if int(i["id"]) > int(min_id)][:limit]
        else:
            if (max_id := req.param("max_id")) is not None:
                ordered = [i for i in ordered if int(i["id"]) < int(max_id)]
            if (since_id := req.param("since_id")) is not None:
                ordered = [i for i in ordered if int(i["id"]) > int(since_id)]
            page = ordered[-limit:]
        page.reverse()
        extra: dict[str, str] = {}
        if page:
            base = f"{self.base_url}{path}"
            extra["Link"] = (
                f'<{base}?max_id={page[-1]["id"]}>; rel="next", '
                f'<{base}?min_id={page[0]["id"]}>; rel="prev"'
            )
        return 200, page, extra

    def _new_status(
        self, account: dict[str, Any], text: str, visibility: str, parent: str | None
    ) -> dict[str, Any]:
        status_id = str(next(self._ids))
        status: dict[str, Any] = {
            "id": status_id,
            "uri": f"https://{self.domain}/users/{account['username']}/statuses/{status_id}",
            "url": f"https://{self.domain}/@{account['username']}/{status_id}",
            "created_at": _iso(self.clock()),
            "edited_at": None,
            "content": "<p>" + text.replace("&", "&amp;").replace("<", "&lt;") + "</p>",
            "spoiler_text": "",
            "visibility": visibility,
            "language": "en",
            "in_reply_to_id": parent,
            "in_reply_to_account_id": None,
            "reblog": None,
            "media_attachments": [],
            "account": account,
            "favourited": False,
        }
        self.statuses[status_id] = status
        return status

    def _account(self, account_id: str, acct: str) -> dict[str, Any]:
        username = acct.split("@", maxsplit=1)[0]
        return {
            "id": account_id,
            "username": username,
            "acct": acct,
            "display_name": username.capitalize(),
            "followers_count": 12,
            "url": f"https://{self.domain}/@{acct}",
        }

    def _limit_headers(self) -> dict[str, str]:
        now = self.clock()
        self._remaining = max(self._remaining - 1, 0)
        reset = now + timedelta(seconds=300 - now.timestamp() % 300)
        return {
            "X-RateLimit-Limit": str(LIMIT),
            "X-RateLimit-Remaining": str(self._remaining),
            "X-RateLimit-Reset": reset.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        }


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def _failure(kind: str, headers: dict[str, str], now: datetime) -> Response:
    if kind == "rate_limit":
        reset = now + timedelta(seconds=120)
        limited = headers | {
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": reset.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        }
        return JSONResponse({"error": "Too many requests"}, 429, limited)
    if kind == "token_invalid":
        return JSONResponse({"error": "The access token is invalid"}, 401, headers)
    if kind == "validation":
        return JSONResponse({"error": "Validation failed: Text can't be blank"}, 422, headers)
    return JSONResponse({"error": "Internal server error"}, 500, headers)
