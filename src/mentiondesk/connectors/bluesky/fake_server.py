"""A fake Bluesky on real HTTP and WebSocket: a PDS that also answers as AppView and chat
proxy, and a Jetstream instance.

``FakeBluesky`` (PDS + AppView, one host) serves ``createSession``/``refreshSession`` (access
tokens expire on ``expire_access()``; the next call gets ``ExpiredToken`` until refreshed; old
refresh tokens stop working), ``listNotifications`` (newest first, ``cursor`` paging backwards),
``getPosts``, ``createRecord`` (a repeated ``rkey`` is refused as ``InvalidRequest``),
``getRecord``, ``putRecord`` (an ``app.bsky.feed.threadgate`` only on the repository's own post
with the same record key, ``post`` naming it, at most 300 ``hiddenReplies``), and the chat
proxy's ``getConvoForMembers``/``sendMessage`` (refused without the ``atproto-proxy`` header).
Answers carry ``RateLimit-*`` headers;
``recorder.fail_next("rate_limit" | "server_error" | "invalid_token")`` injects failures.

``FakeJetstream`` serves ``/subscribe`` over WebSocket: it sends its events with
``time_us >= cursor`` (inclusive, as Jetstream does, so a resume repeats one event), then
what is appended to ``events`` while connected (live), and can drop the connection after a
number of messages, once, to exercise reconnects.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from mentiondesk.connectors.bluesky.client import CHAT_PROXY
from mentiondesk.connectors.fake_http import (
    FakeHTTPServer,
    RecordedRequest,
    Recorder,
    ServedFake,
    record,
)

__all__ = ["FakeBluesky", "FakeJetstream", "jetstream_post"]


def jetstream_post(did: str, rkey: str, text: str, time_us: int, **record: Any) -> dict[str, Any]:
    """A Jetstream ``commit`` event creating an ``app.bsky.feed.post``."""
    body = {
        "$type": "app.bsky.feed.post",
        "text": text,
        "langs": ["en"],
        "createdAt": datetime.fromtimestamp(time_us / 1e6, UTC).isoformat(),
    } | record
    return {
        "did": did,
        "time_us": time_us,
        "kind": "commit",
        "commit": {
            "rev": f"r{time_us}",
            "operation": "create",
            "collection": "app.bsky.feed.post",
            "rkey": rkey,
            "record": body,
            "cid": f"bafy{rkey}",
        },
    }


class FakeBluesky(ServedFake):
    def __init__(
        self,
        *,
        handle: str = "acme.bsky.social",
        app_password: str = "app-pass",
        did: str = "did:plc:acmebrand",
    ) -> None:
        self.handle, self.app_password, self.did = handle, app_password, did
        self.recorder = Recorder()
        self.records: dict[str, dict[str, Any]] = {}  # uri -> {"cid", "record", "author"}
        self.notifications: list[dict[str, Any]] = []
        self.messages: list[dict[str, Any]] = []
        self.sessions_created = 0
        self._access: set[str] = set()
        self._refresh: set[str] = set()
        self._expired: set[str] = set()
        self._seq = itertools.count(1)
        self._lock = threading.Lock()
        self._server = FakeHTTPServer(self._app(), name="fake-bluesky")

    # -- what happens on the network ------------------------------------------------------

    def add_post(
        self,
        did: str,
        handle: str,
        text: str,
        *,
        reply_to: str | None = None,
        reason: str | None = None,
        at: datetime | None = None,
    ) -> str:
        """A post by someone else; with ``reason`` the brand gets that notification."""
        with self._lock:
            n = next(self._seq)
            uri = f"at://{did}/app.bsky.feed.post/3fake{n:08d}"
            record: dict[str, Any] = {
                "$type": "app.bsky.feed.post",
                "text": text,
                "createdAt": _iso(at or datetime.now(UTC)),
            }
            if reply_to is not None:
                parent = self.records[reply_to]
                root = parent["record"].get("reply", {}).get("root") or {
                    "uri": reply_to,
                    "cid": parent["cid"],
                }
                record["reply"] = {"root": root, "parent": {"uri": reply_to, "cid": parent["cid"]}}
            self.records[uri] = {
                "cid": f"bafycid{n}",
                "record": record,
                "author": {"did": did, "handle": handle},
            }
            if reason is not None:
                self.notifications.append(
                    {
                        "uri": uri,
                        "cid": f"bafycid{n}",
                        "reason": reason,
                        "record": record,
                        "author": {
                            "did": did,
                            "handle": handle,
                            "displayName": handle.split(".", maxsplit=1)[0],
                        },
                        "isRead": False,
                        "indexedAt": _iso(datetime.now(UTC)) + f"{n:06d}",
                    }
                )
            return uri

    def expire_access(self) -> None:
        """Every access token issued so far expires, as after two hours."""
        with self._lock:
            self._expired |= self._access

    def brand_post(self, text: str) -> str:
        """A post by the brand itself: a thread the brand started."""
        return self.add_post(self.did, self.handle, text)

    def hidden_replies(self, root_uri: str) -> list[str]:
        """What the threadgate on the brand's post ``root_uri`` hides."""
        rkey = root_uri.rsplit("/", 1)[1]
        gate = self.records.get(f"at://{self.did}/app.bsky.feed.threadgate/{rkey}")
        return list(gate["record"].get("hiddenReplies") or []) if gate else []

    def posts_by_brand(self) -> list[dict[str, Any]]:
        return [
            r["record"]
            for r in self.records.values()
            if r["author"]["did"] == self.did and r["record"].get("$type") == "app.bsky.feed.post"
        ]

    # -- HTTP -------------------------------------------------------------------------------

    def _app(self) -> Starlette:
        async def xrpc(request: Request) -> Response:
            recorded, injected = await record(self.recorder, request)
            headers = {
                "RateLimit-Limit": "3000",
                "RateLimit-Remaining": "2999",
                "RateLimit-Reset": str(int(datetime.now(UTC).timestamp()) + 300),
                "RateLimit-Policy": "3000;w=300",
            }
            if injected is not None:
                return _failure(injected.kind, headers)
            with self._lock:
                status, body = self._handle(request.path_params["nsid"], recorded)
            return JSONResponse(body, status, headers)

        return Starlette(routes=[Route("/xrpc/{nsid}", xrpc, methods=["GET", "POST"])])

    def _handle(self, nsid: str, req: RecordedRequest) -> tuple[int, Any]:
        if nsid == "com.atproto.server.createSession":
            body = req.json() or {}
            if (
                body.get("identifier") not in (self.handle, self.did)
                or body.get("password") != self.app_password
            ):
                return 401, {
                    "error": "AuthenticationRequired",
                    "message": "Invalid identifier or password",
                }
            self.sessions_created += 1
            return 200, self._new_session()
        token = req.headers.get("authorization", "").removeprefix("Bearer ")
        if nsid == "com.atproto.server.refreshSession":
            if token not in self._refresh:
                return 400, {"error": "ExpiredToken", "message": "Token has expired"}
            self._refresh.discard(token)
            return 200, self._new_session()
        if token in self._expired:
            return 400, {"error": "ExpiredToken", "message": "Token has expired"}
        if token not in self._access:
            return 401, {"error": "InvalidToken", "message": "Token could not be verified"}
        if nsid == "app.bsky.notification.listNotifications":
            return 200, self._list(req)
        if nsid == "app.bsky.feed.getPosts":
            uris = req.query.get("uris", [])
            return 200, {"posts": [self._view(u) for u in uris if u in self.records]}
        if nsid == "com.atproto.repo.createRecord":
            return self._create(req.json() or {})
        if nsid == "com.atproto.repo.putRecord":
            return self._put(req.json() or {})
        if nsid == "com.atproto.repo.getRecord":
            uri = f"at://{req.param('repo')}/{req.param('collection')}/{req.param('rkey')}"
            if uri not in self.records:
                return 400, {"error": "RecordNotFound", "message": "Could not locate record"}
            return 200, {
                "uri": uri,
                "cid": self.records[uri]["cid"],
                "value": self.records[uri]["record"],
            }
        if nsid.startswith("chat.bsky."):
            return self._chat(nsid, req)
        return 501, {"error": "MethodNotImplemented", "message": nsid}

    def _list(self, req: RecordedRequest) -> dict[str, Any]:
        reasons = set(req.query.get("reasons", []))
        items = [n for n in reversed(self.notifications) if not reasons or n["reason"] in reasons]
        start = int(req.param("cursor") or 0)
        limit = int(req.param("limit") or 50)
        page = items[start : start + limit]
        body: dict[str, Any] = {"notifications": page}
        if start + limit < len(items):
            body["cursor"] = str(start + limit)
        return body

    def _create(self, body: dict[str, Any]) -> tuple[int, Any]:
        if body.get("repo") != self.did:
            return 400, {"error": "InvalidRequest", "message": "repo does not match session"}
        collection, record = body.get("collection"), body.get("record") or {}
        if collection == "app.bsky.feed.post" and not str(record.get("text", "")).strip():
            return 400, {"error": "InvalidRequest", "message": "Record/text is required"}
        rkey = body.get("rkey") or f"3self{next(self._seq):08d}"
        uri = f"at://{self.did}/{collection}/{rkey}"
        if uri in self.records:
            return 400, {"error": "InvalidRequest", "message": "Record already exists"}
        cid = f"bafyself{next(self._seq)}"
        self.records[uri] = {
            "cid": cid,
            "record": record,
            "author": {"did": self.did, "handle": self.handle},
        }
        return 200, {"uri": uri, "cid": cid, "validationStatus": "valid"}

    def _put(self, body: dict[str, Any]) -> tuple[int, Any]:
        if body.get("repo") != self.did:
            return 400, {"error": "InvalidRequest", "message": "repo does not match session"}
        collection, rkey = body.get("collection"), str(body.get("rkey") or "")
        record = body.get("record") or {}
        if collection == "app.bsky.feed.threadgate":
            post = f"at://{self.did}/app.bsky.feed.post/{rkey}"
            if post not in self.records or record.get("post") != post:
                return 400, {
                    "error": "InvalidRequest",
                    "message": "threadgate must be on the repository's own post, same rkey",
                }
            hidden = record.get("hiddenReplies") or []
            if not isinstance(hidden, list) or len(hidden) > 300:
                return 400, {"error": "InvalidRequest", "message": "hiddenReplies: at most 300"}
            if not all(isinstance(u, str) and u.startswith("at://") for u in hidden):
                return 400, {"error": "InvalidRequest", "message": "hiddenReplies: at-uri"}
        uri = f"at://{self.did}/{collection}/{rkey}"
        cid = f"bafyself{next(self._seq)}"
        self.records[uri] = {
            "cid": cid,
            "record": record,
            "author": {"did": self.did, "handle": self.handle},
        }
        return 200, {"uri": uri, "cid": cid, "validationStatus": "valid"}

    def _chat(self, nsid: str, req: RecordedRequest) -> tuple[int, Any]:
        if req.headers.get("atproto-proxy") != CHAT_PROXY:
            return 400, {"error": "InvalidRequest", "message": "missing atproto-proxy header"}
        if nsid == "chat.bsky.convo.getConvoForMembers":
            return 200, {"convo": {"id": "convo-" + (req.param("members") or ""), "rev": "1"}}
        if nsid == "chat.bsky.convo.sendMessage":
            body = req.json() or {}
            message = {
                "id": f"msg{next(self._seq)}",
                "rev": "2",
                "text": body.get("message", {}).get("text"),
                "convoId": body.get("convoId"),
                "sender": {"did": self.did},
                "sentAt": _iso(datetime.now(UTC)),
            }
            self.messages.append(message)
            return 200, message
        return 501, {"error": "MethodNotImplemented", "message": nsid}

    def _view(self, uri: str) -> dict[str, Any]:
        stored = self.records[uri]
        return {
            "uri": uri,
            "cid": stored["cid"],
            "author": stored["author"],
            "record": stored["record"],
            "indexedAt": stored["record"].get("createdAt"),
        }

    def _new_session(self) -> dict[str, Any]:
        n = next(self._seq)
        access, refresh = f"access-{n}", f"refresh-{n}"
        self._access.add(access)
        self._refresh.add(refresh)
        return {
            "did": self.did,
            "handle": self.handle,
            "accessJwt": access,
            "refreshJwt": refresh,
            "active": True,
        }


class FakeJetstream(ServedFake):
    """``/subscribe`` over WebSocket, replaying ``events`` from the requested cursor."""

    def __init__(
        self, events: list[dict[str, Any]] | None = None, *, drop_after: int | None = None
    ) -> None:
        self.events = list(events or [])
        self.drop_after = drop_after  # close the first connection after this many messages
        self.connections: list[dict[str, list[str]]] = []
        self._server = FakeHTTPServer(self._app(), name="fake-jetstream", websockets=True)

    @property
    def base_url(self) -> str:
        return self._server.ws_url

    def _app(self) -> Starlette:
        async def subscribe(socket: WebSocket) -> None:
            query: dict[str, list[str]] = {}
            for key, value in socket.query_params.multi_items():
                query.setdefault(key, []).append(value)
            self.connections.append(query)
            await socket.accept()
            cursor = int(query.get("cursor", ["0"])[0])
            wanted = set(query.get("wantedCollections", []))
            drop = self.drop_after if len(self.connections) == 1 else None
            sent = index = 0
            closing = asyncio.ensure_future(socket.receive_text())
            try:
                while not closing.done():  # the backlog, then what is appended live
                    while index < len(self.events):
                        event, index = self.events[index], index + 1
                        if event["time_us"] < cursor:
                            continue
                        collection = event.get("commit", {}).get("collection")
                        if wanted and collection is not None and collection not in wanted:
                            continue
                        if drop is not None and sent >= drop:
                            await socket.close(code=1011)
                            return
                        await socket.send_text(orjson.dumps(event).decode())
                        sent += 1
                    await asyncio.wait({closing}, timeout=0.005)
            except WebSocketDisconnect:
                return
            finally:
                closing.cancel()
                if closing.done() and not closing.cancelled():
                    closing.exception()  # the client went away: nothing to report

        return Starlette(routes=[WebSocketRoute("/subscribe", subscribe)])


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _failure(kind: str, headers: dict[str, str]) -> Response:
    if kind == "rate_limit":
        limited = headers | {"RateLimit-Remaining": "0"}
        return JSONResponse(
            {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}, 429, limited
        )
    if kind == "invalid_token":
        return JSONResponse(
            {"error": "InvalidToken", "message": "Token could not be verified"}, 401, headers
        )
    return JSONResponse(
        {"error": "InternalServerError", "message": "Internal Server Error"}, 500, headers
    )
