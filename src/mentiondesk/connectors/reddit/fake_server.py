"""A fake Reddit on real HTTP: the token endpoint and the OAuth API, in Reddit's wire format.

    with FakeReddit() as fake:
        fake.mention("jane", "u/acme_support my order is late", subreddit="acme")
        client = RedditClient("id", "secret", "acme_support", "pw",
                              oauth_url=fake.base_url, www_url=fake.base_url)

``/api/v1/access_token`` checks HTTP Basic and the password (a wrong one gets HTTP 200
``{"error": "invalid_grant"}``, as Reddit answers); API calls need the bearer token
(``expire_tokens()`` makes every issued token answer 401). Listings (``/message/mentions``,
``/message/inbox``, ``/r/{sub}/new``, ``/r/{sub}/comments``, ``/search``,
``/user/{name}/comments``) are newest first with ``before``/``after`` fullnames;
``/api/comment`` and ``/api/compose`` answer ``{"json": {"errors": [...], "data": ...}}``;
``/api/read_message`` clears the inbox items' ``new`` (``unread()`` lists the rest).
Every answer carries ``X-Ratelimit-Used/Remaining/Reset``. Failures on request:
``recorder.fail_next("ratelimit_200" | "rate_limit" | "server_error" | "server_error_after_commit"
| "thread_locked")``.
"""

from __future__ import annotations

import base64
import itertools
import threading
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mentiondesk.connectors.fake_http import (
    FakeHTTPServer,
    RecordedRequest,
    Recorder,
    ServedFake,
    record,
)

__all__ = ["FakeReddit"]

_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


class FakeReddit(ServedFake):
    def __init__(
        self,
        *,
        client_id: str = "app-id",
        client_secret: str = "app-secret",
        username: str = "acme_support",
        password: str = "pw",
    ) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.username, self.password = username, password
        self.recorder = Recorder()
        self.things: dict[str, dict[str, Any]] = {}  # fullname -> {"kind", "data", "box"}
        self._tokens: set[str] = set()
        self._seq = itertools.count(1000)
        self._lock = threading.Lock()
        self._server = FakeHTTPServer(self._app(), name="fake-reddit")

    # -- what happens on Reddit ---------------------------------------------------------

    def post(self, author: str, title: str, body: str = "", *, subreddit: str = "acme") -> str:
        with self._lock:
            return self._add("t3", author, subreddit, {"title": title, "selftext": body})

    def comment_by(
        self,
        author: str,
        body: str,
        *,
        parent: str,
        subreddit: str = "acme",
        box: str | None = None,
    ) -> str:
        with self._lock:
            link = parent if parent.startswith("t3_") else self.things[parent]["data"]["link_id"]
            return self._add(
                "t1", author, subreddit, {"body": body, "parent_id": parent, "link_id": link}, box
            )

    def mention(self, author: str, body: str, *, subreddit: str = "acme") -> str:
        """A post in ``subreddit`` and a comment under it naming u/<brand>, in the inbox."""
        link = self.post("someone", "A thread", subreddit=subreddit)
        return self.comment_by(author, body, parent=link, subreddit=subreddit, box="mentions")

    def delete(self, fullname: str) -> None:
        with self._lock:
            data = self.things[fullname]["data"]
            data["author"] = "[deleted]"
            data["body" if "body" in data else "selftext"] = "[deleted]"

    def expire_tokens(self) -> None:
        with self._lock:
            self._tokens.clear()

    def unread(self) -> list[str]:
        """The fullnames in the brand's inbox not yet marked read."""
        return [
            name
            for name, thing in self.things.items()
            if thing["box"] is not None and thing["data"].get("new")
        ]

    def comments_by_brand(self) -> list[dict[str, Any]]:
        return [
            t["data"]
            for t in self.things.values()
            if t["kind"] == "t1" and t["data"]["author"] == self.username
        ]

    def _add(
        self, kind: str, author: str, subreddit: str, data: dict[str, Any], box: str | None = None
    ) -> str:
        n = next(self._seq)
        short = ""
        while n:
            n, digit = divmod(n, 36)
            short = _B36[digit] + short
        name = f"{kind}_{short}"
        link = data.get("link_id", name).removeprefix("t3_")
        permalink = f"/r/{subreddit}/comments/{link}/_/" + (short + "/" if kind == "t1" else "")
        self.things[name] = {
            "kind": kind,
            "box": box,
            "data": {
                "id": short,
                "name": name,
                "author": author,
                "subreddit": subreddit,
                "created_utc": datetime.now(UTC).timestamp(),
                "permalink": permalink,
                "edited": False,
                "new": True,
                **data,
            },
        }
        return name

    # -- HTTP ---------------------------------------------------------------------------

    def _app(self) -> Starlette:
        async def endpoint(request: Request) -> Response:
            recorded, injected = await record(self.recorder, request)
            headers = {
                "X-Ratelimit-Used": "12",
                "X-Ratelimit-Remaining": "988.0",
                "X-Ratelimit-Reset": "412",
            }
            with self._lock:
                if recorded.path == "/api/v1/access_token":
                    return JSONResponse(self._token(recorded), 200, headers)
                auth = recorded.headers.get("authorization", "")
                if auth.removeprefix("bearer ") not in self._tokens:
                    return JSONResponse({"message": "Unauthorized", "error": 401}, 401, headers)
                if injected is not None and injected.kind != "server_error_after_commit":
                    return _failure(injected.kind, headers)
                status, body = self._handle(recorded)
                if injected is not None:
                    return Response("<html>upstream error</html>", 500, headers)
            return JSONResponse(body, status, headers)

        return Starlette(routes=[Route("/{path:path}", endpoint, methods=["GET", "POST"])])

    def _token(self, req: RecordedRequest) -> dict[str, Any]:
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if req.headers.get("authorization") != f"Basic {expected}":
            return {"error": "invalid_client"}
        form = req.form()
        if form.get("username") != self.username or form.get("password") != self.password:
            return {"error": "invalid_grant"}
        token = f"token-{next(self._seq)}"
        self._tokens.add(token)
        return {"access_token": token, "token_type": "bearer", "expires_in": 86400, "scope": "*"}

    def _handle(self, req: RecordedRequest) -> tuple[int, Any]:
        path = req.path.rstrip("/")
        parts = path.strip("/").split("/")
        if path == "/message/mentions":
            return 200, self._listing(lambda t: t["box"] == "mentions", req)
        if path == "/message/inbox":
            return 200, self._listing(lambda t: t["box"] is not None, req)
        if len(parts) == 3 and parts[0] == "r" and parts[2] in ("new", "comments"):
            kind = "t3" if parts[2] == "new" else "t1"
            return 200, self._listing(
                lambda t: t["kind"] == kind and t["data"]["subreddit"] == parts[1], req
            )
        if path == "/search":
            query = (req.param("q") or "").lower()
            return 200, self._listing(
                lambda t: (
                    query
                    in (
                        t["data"].get("body", "")
                        + t["data"].get("title", "")
                        + t["data"].get("selftext", "")
                    ).lower()
                ),
                req,
            )
        if len(parts) == 3 and parts[0] == "user" and parts[2] == "comments":
            return 200, self._listing(
                lambda t: t["kind"] == "t1" and t["data"]["author"] == parts[1], req
            )
        if path == "/api/comment":
            form = req.form()
            parent = form.get("thing_id", "")
            if parent not in self.things:
                return 200, {
                    "json": {"errors": [["NO_THING_ID", "that thing does not exist", "thing_id"]]}
                }
            if not form.get("text", "").strip():
                return 200, {"json": {"errors": [["NO_TEXT", "we need something here", "text"]]}}
            name = self._add_reply(parent, form["text"])
            return 200, {
                "json": {
                    "errors": [],
                    "data": {"things": [{"kind": "t1", "data": self.things[name]["data"]}]},
                }
            }
        if path == "/api/read_message":
            for name in (req.form().get("id") or "").split(","):
                if name in self.things:
                    self.things[name]["data"]["new"] = False
            return 200, {}
        if path == "/api/compose":
            form = req.form()
            self._add(
                "t4", self.username, "", {"body": form.get("text", ""), "dest": form.get("to", "")}
            )
            return 200, {"json": {"errors": []}}
        return 404, {"message": "Not Found", "error": 404}

    def _add_reply(self, parent: str, text: str) -> str:
        sub = self.things[parent]["data"].get("subreddit", "acme")
        link = (
            parent
            if parent.startswith("t3_")
            else self.things[parent]["data"].get("link_id", parent)
        )
        return self._add(
            "t1", self.username, sub, {"body": text, "parent_id": parent, "link_id": link}
        )

    def _listing(self, keep: Any, req: RecordedRequest) -> dict[str, Any]:
        ordered = [t for t in self.things.values() if keep(t)]  # oldest first
        names = [t["data"]["name"] for t in ordered]
        if (before := req.param("before")) is not None:
            ordered = ordered[names.index(before) + 1 :] if before in names else []
        if (after := req.param("after")) is not None:
            ordered = ordered[: names.index(after)] if after in names else []
        limit = min(int(req.param("limit") or 25), 100)
        page = (
            list(reversed(ordered))[:limit] if before is None else list(reversed(ordered[:limit]))
        )
        children = [{"kind": t["kind"], "data": t["data"]} for t in page]
        return {
            "kind": "Listing",
            "data": {
                "after": children[-1]["data"]["name"] if children else None,
                "before": children[0]["data"]["name"] if children else None,
                "dist": len(children),
                "modhash": None,
                "children": children,
            },
        }


def _failure(kind: str, headers: dict[str, str]) -> Response:
    if kind == "ratelimit_200":
        message = (
            "Looks like you've been doing that a lot. Take a break for 5 minutes before "
            "trying again."
        )
        return JSONResponse(
            {"json": {"errors": [["RATELIMIT", message, "ratelimit"]]}}, 200, headers
        )
    if kind == "thread_locked":
        return JSONResponse(
            {"json": {"errors": [["THREAD_LOCKED", "Comments are locked.", "parent"]]}},
            200,
            headers,
        )
    if kind == "rate_limit":
        return Response(
            "<html>Too Many Requests</html>",
            429,
            headers | {"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "37"},
        )
    return Response("<html>upstream error</html>", 500, headers)
