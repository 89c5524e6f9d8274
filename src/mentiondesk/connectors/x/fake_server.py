"""A fake X API v2 on real HTTP, speaking its documented wire format.

    with FakeX() as fake:
        post_id = fake.post_by("jane", "@acme my order is late", mentions_brand=True)
        client = XClient("bearer", "user-token", api_url=fake.base_url)

Serves ``/2/users/me``, ``/2/users/{id}/mentions`` (user token) and
``/2/tweets/search/recent`` (bearer) with ``since_id`` and ``next_token``/``pagination_token``
paging (newest first; ``meta.newest_id`` of each page), ``includes.users``;
``POST /2/tweets`` (201; a reply to an author who did not mention or quote the brand gets X's
403), ``PUT /2/tweets/{id}/hidden`` (403 outside the brand's own conversations), and
``POST /2/dm_conversations/with/{id}/messages``. Answers carry ``x-rate-limit-*``. Failures on
request: ``recorder.fail_next("rate_limit" | "usage_capped" | "server_error" |
"partial_errors")``; ``revoke()`` invalidates the user token. ``POST /2/oauth2/token`` takes
the ``refresh_token`` grant (``client_id`` in the form, or HTTP Basic with the secret): each
refresh token works once and the answer is a new pair with ``expires_in``; ``expire_user_token()``
makes the current user token answer 401, as after its two hours.
"""

from __future__ import annotations

import base64
import itertools
import threading
import zlib
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

__all__ = ["NOT_SUMMONED", "FakeX"]

NOT_SUMMONED = (
    "Reply to this conversation is not allowed because you have not been mentioned "
    "or otherwise engaged by the author of the post you are replying to."
)


class FakeX(ServedFake):
    def __init__(
        self,
        *,
        bearer: str = "bearer",
        user_token: str = "user-token",
        brand_id: str = "1000",
        brand_username: str = "acme",
        refresh_token: str = "refresh-0",
        client_id: str = "x-client",
        client_secret: str = "",
        expires_in: int = 7200,
    ) -> None:
        self.bearer, self.user_token = bearer, user_token
        self.refresh_token, self.client_id, self.client_secret = (
            refresh_token,
            client_id,
            client_secret,
        )
        self.expires_in = expires_in
        self.refreshes = 0
        self.brand = {"id": brand_id, "username": brand_username, "name": "Acme"}
        self.recorder = Recorder()
        self.users: dict[str, dict[str, Any]] = {brand_id: self.brand}
        self.posts: dict[str, dict[str, Any]] = {}
        self.hidden: dict[str, bool] = {}
        self.dms: list[dict[str, Any]] = []
        self._ids = itertools.count(1_900_000_000_000_000_001)
        self._lock = threading.Lock()
        self._server = FakeHTTPServer(self._app(), name="fake-x")

    def post_by(
        self,
        username: str,
        text: str,
        *,
        mentions_brand: bool = False,
        quotes: str | None = None,
        reply_to: str | None = None,
    ) -> str:
        with self._lock:
            user_id = str(zlib.crc32(username.encode()) + 10**9)
            self.users[user_id] = {
                "id": user_id,
                "username": username,
                "name": username.title(),
                "public_metrics": {"followers_count": 42},
            }
            return self._add(
                user_id, text, mentions_brand=mentions_brand, quotes=quotes, reply_to=reply_to
            )

    def brand_post(self, text: str) -> str:
        with self._lock:
            return self._add(self.brand["id"], text)

    def expire_user_token(self) -> None:
        self.user_token = "expired:" + self.user_token

    def revoke(self) -> None:
        self.user_token = "revoked:" + self.user_token

    def posts_by_brand(self) -> list[dict[str, Any]]:
        return [p for p in self.posts.values() if p["author_id"] == self.brand["id"]]

    def _add(
        self,
        author_id: str,
        text: str,
        *,
        mentions_brand: bool = False,
        quotes: str | None = None,
        reply_to: str | None = None,
    ) -> str:
        post_id = str(next(self._ids))
        post: dict[str, Any] = {
            "id": post_id,
            "text": text,
            "author_id": author_id,
            "lang": "en",
            "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "conversation_id": post_id,
            "edit_history_tweet_ids": [post_id],
        }
        refs = []
        if mentions_brand:
            post["entities"] = {
                "mentions": [
                    {
                        "start": 0,
                        "end": 5,
                        "id": self.brand["id"],
                        "username": self.brand["username"],
                    }
                ]
            }
        if quotes is not None:
            refs.append(
                {"type": "quoted", "id": quotes, "author_id": self.posts[quotes]["author_id"]}
            )
        if reply_to is not None:
            refs.append({"type": "replied_to", "id": reply_to})
            post["conversation_id"] = self.posts[reply_to]["conversation_id"]
            post["in_reply_to_user_id"] = self.posts[reply_to]["author_id"]
        if refs:
            post["referenced_tweets"] = refs
        self.posts[post_id] = post
        return post_id

    # -- HTTP ---------------------------------------------------------------------------

    def _app(self) -> Starlette:
        async def endpoint(request: Request) -> Response:
            recorded, injected = await record(self.recorder, request)
            reset = int(datetime.now(UTC).timestamp()) + 600
            headers = {
                "x-rate-limit-limit": "450",
                "x-rate-limit-remaining": "449",
                "x-rate-limit-reset": str(reset),
            }
            if injected is not None and injected.kind != "partial_errors":
                return _failure(injected.kind, headers, reset)
            with self._lock:
                status, body = self._handle(recorded)
            if injected is not None and status == 200:
                body["errors"] = [
                    {
                        "title": "Not Found Error",
                        "detail": "Could not find user",
                        "type": "https://api.x.com/2/problems/resource-not-found",
                    }
                ]
            media = "application/problem+json" if status >= 400 else "application/json"
            return JSONResponse(body, status, headers, media_type=media)

        return Starlette(routes=[Route("/{path:path}", endpoint, methods=["GET", "POST", "PUT"])])

    def _handle(self, req: RecordedRequest) -> tuple[int, Any]:
        token = req.headers.get("authorization", "").removeprefix("Bearer ")
        path, parts = req.path, req.path.strip("/").split("/")
        if path == "/2/oauth2/token" and req.method == "POST":
            return self._refresh(req)
        if path == "/2/tweets/search/recent":
            if token not in (self.bearer, self.user_token):
                return _problem(401, "Unauthorized", "Unauthorized")
            query = (req.param("query") or "").lower().split()[0].strip('"')
            found = [p for p in self.posts.values() if query in p["text"].lower()]
            return 200, self._page(found, req, "next_token")
        if token != self.user_token:
            return _problem(401, "Unauthorized", "Unauthorized")
        if path == "/2/users/me":
            return 200, {"data": self.brand}
        if len(parts) == 4 and parts[1] == "users" and parts[3] == "mentions":
            found = [
                p
                for p in self.posts.values()
                if any(m.get("id") == parts[2] for m in p.get("entities", {}).get("mentions", []))
            ]
            return 200, self._page(found, req, "pagination_token")
        if path == "/2/tweets" and req.method == "POST":
            return self._create(req.json() or {})
        if len(parts) == 4 and parts[3] == "hidden" and req.method == "PUT":
            post = self.posts.get(parts[2])
            if post is None:
                return _problem(
                    404, "Not Found Error", "Could not find tweet", "resource-not-found"
                )
            root = self.posts.get(post["conversation_id"], {})
            if root.get("author_id") != self.brand["id"] or post["id"] == root.get("id"):
                return _problem(
                    403,
                    "Forbidden",
                    "You can only hide or unhide replies to conversations you authored.",
                    "client-forbidden",
                )
            self.hidden[post["id"]] = bool((req.json() or {}).get("hidden"))
            return 200, {"data": {"hidden": self.hidden[post["id"]]}}
        if len(parts) == 5 and parts[1] == "dm_conversations" and parts[4] == "messages":
            if parts[3] not in self.users:
                return _problem(400, "Invalid Request", "participant not found")
            event = {
                "dm_conversation_id": f"{self.brand['id']}-{parts[3]}",
                "dm_event_id": str(next(self._ids)),
            }
            self.dms.append(event | {"text": (req.json() or {}).get("text"), "to": parts[3]})
            return 201, {"data": event}
        return _problem(404, "Not Found Error", "no such endpoint", "resource-not-found")

    def _refresh(self, req: RecordedRequest) -> tuple[int, Any]:
        form = req.form()
        basic = req.headers.get("authorization", "")
        if self.client_secret:
            expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode())
            if basic != f"Basic {expected.decode()}":
                return 401, {"error": "unauthorized_client", "error_description": "bad client"}
        elif form.get("client_id") != self.client_id:
            return 400, {"error": "invalid_request", "error_description": "Missing client_id"}
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != (
            self.refresh_token
        ):
            return 400, {
                "error": "invalid_request",
                "error_description": "Value passed for the token was invalid.",
            }
        self.refreshes += 1
        self.user_token = f"user-token-{self.refreshes}"
        self.refresh_token = f"refresh-{self.refreshes}"
        return 200, {
            "token_type": "bearer",
            "expires_in": self.expires_in,
            "access_token": self.user_token,
            "scope": "tweet.read tweet.write users.read offline.access",
            "refresh_token": self.refresh_token,
        }

    def _create(self, body: dict[str, Any]) -> tuple[int, Any]:
        text = str(body.get("text") or "")
        if not text.strip():
            return _problem(400, "Invalid Request", "text must not be empty", "invalid-request")
        parent_id = (body.get("reply") or {}).get("in_reply_to_tweet_id")
        if parent_id is not None:
            parent = self.posts.get(parent_id)
            if parent is None:
                return _problem(404, "Not Found Error", "parent not found", "resource-not-found")
            summoned = any(
                m.get("id") == self.brand["id"]
                for m in parent.get("entities", {}).get("mentions", [])
            ) or any(
                r["type"] == "quoted" and r.get("author_id") == self.brand["id"]
                for r in parent.get("referenced_tweets", [])
            )
            if not summoned:
                return _problem(403, "Forbidden", NOT_SUMMONED, "about:blank")
        post_id = self._add(self.brand["id"], text, reply_to=parent_id)
        return 201, {"data": {"id": post_id, "text": text, "edit_history_tweet_ids": [post_id]}}

    def _page(
        self, found: list[dict[str, Any]], req: RecordedRequest, token_name: str
    ) -> dict[str, Any]:
        ordered = sorted(found, key=lambda p: int(p["id"]), reverse=True)
        if (since := req.param("since_id")) is not None:
            ordered = [p for p in ordered if int(p["id"]) > int(since)]
        start = int(req.param(token_name) or 0)
        size = max(10, min(int(req.param("max_results") or 10), 100))
        page = ordered[start : start + size]
        if not page:
            return {"meta": {"result_count": 0}}
        meta: dict[str, Any] = {
            "newest_id": page[0]["id"],
            "oldest_id": page[-1]["id"],
            "result_count": len(page),
        }
        if start + size < len(ordered):
            meta["next_token"] = str(start + size)
        users = {p["author_id"] for p in page}
        return {"data": page, "includes": {"users": [self.users[u] for u in users]}, "meta": meta}


def _problem(status: int, title: str, detail: str, kind: str = "about:blank") -> tuple[int, Any]:
    url = kind if kind == "about:blank" else f"https://api.x.com/2/problems/{kind}"
    return status, {"title": title, "detail": detail, "type": url, "status": status}


def _failure(kind: str, headers: dict[str, str], reset: int) -> Response:
    limited = headers | {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)}
    if kind == "rate_limit":
        return JSONResponse(
            {
                "title": "Too Many Requests",
                "detail": "Too Many Requests",
                "type": "about:blank",
                "status": 429,
            },
            429,
            limited,
        )
    if kind == "usage_capped":
        return JSONResponse(
            {
                "title": "UsageCapExceeded",
                "detail": "Usage cap exceeded",
                "type": "https://api.x.com/2/problems/usage-capped",
            },
            429,
            limited,
        )
    return JSONResponse({"title": "Service Unavailable", "detail": "try again"}, 503, headers)
