"""XRPC over HTTP for one Bluesky account: a session kept and refreshed, reads and writes.

``createSession`` runs once (the PDS allows 30 logins per 5 minutes and 300 a day); the access
token (about 2 hours) is refreshed with the refresh token (about 90 days) when the PDS answers
``ExpiredToken``, and the call is tried once more. Only when refreshing fails too does the
client log in again, and only when that fails does it raise ``TokenInvalid``.

Reads of other people's posts (``getPosts``) go to the AppView, which may be the same host as
the PDS (the PDS proxies them). Direct messages go through the PDS with the
``atproto-proxy: did:web:api.bsky.chat#bsky_chat`` header; they need an app password created
with access to direct messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from mentiondesk.connectors.bluesky.errors import EXPIRED, classify
from mentiondesk.connectors.bluesky.parser import parse_notification
from mentiondesk.connectors.http import Clock, PlatformHTTP, utc_now
from mentiondesk.connectors.inbound import ParseResult, obj, text
from mentiondesk.connectors.refusals import Failure, FailureKind, PlatformRefused, TokenInvalid

__all__ = ["CHAT_PROXY", "BlueskyClient", "Session", "StrongRef"]

CHAT_PROXY = "did:web:api.bsky.chat#bsky_chat"
POST = "app.bsky.feed.post"
LIKE = "app.bsky.feed.like"
THREADGATE = "app.bsky.feed.threadgate"
MAX_HIDDEN = 300  # the lexicon's limit on ``hiddenReplies``


@dataclass(frozen=True, slots=True)
class Session:
    did: str
    handle: str
    access_jwt: str
    refresh_jwt: str


@dataclass(frozen=True, slots=True)
class StrongRef:
    uri: str
    cid: str

    def as_json(self) -> dict[str, str]:
        return {"uri": self.uri, "cid": self.cid}


class BlueskyClient:
    def __init__(
        self,
        service_url: str,
        identifier: str,
        app_password: str,
        *,
        appview_url: str | None = None,
        session: Session | None = None,
        timeout: float = 10.0,
        clock: Clock = utc_now,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.identifier = identifier
        self._password = app_password
        self.session = session
        self.logins = 0
        self.refreshes = 0
        self.pds = PlatformHTTP(
            service_url, classify, timeout=timeout, clock=clock, transport=transport
        )
        self.appview = (
            PlatformHTTP(appview_url, classify, timeout=timeout, clock=clock, transport=transport)
            if appview_url
            else self.pds
        )

    # -- session ------------------------------------------------------------------------

    def login(self) -> Session:
        body = self.pds.request(
            "POST",
            "/xrpc/com.atproto.server.createSession",
            json={"identifier": self.identifier, "password": self._password},
        ).json()
        self.logins += 1
        self.session = _session(body)
        return self.session

    def refresh(self) -> Session:
        assert self.session is not None
        body = self.pds.request(
            "POST",
            "/xrpc/com.atproto.server.refreshSession",
            headers={"Authorization": f"Bearer {self.session.refresh_jwt}"},
        ).json()
        self.refreshes += 1
        self.session = _session(body)
        return self.session

    def call(self, method: str, nsid: str, *, appview: bool = False, **options: Any) -> Any:
        """One authenticated XRPC call; an expired session is refreshed (or, failing that,
        renewed by one login) and the call tried once more."""
        if self.session is None:
            self.login()
        http = self.appview if appview else self.pds
        try:
            return self._send(http, method, nsid, options)
        except TokenInvalid as exc:
            if exc.failure.code != EXPIRED:
                raise
        try:
            self.refresh()
        except TokenInvalid:
            self.login()
        return self._send(http, method, nsid, options)

    def _send(self, http: PlatformHTTP, method: str, nsid: str, options: dict[str, Any]) -> Any:
        assert self.session is not None
        headers = {"Authorization": f"Bearer {self.session.access_jwt}"}
        headers |= options.pop("headers", {})
        response = http.request(method, f"/xrpc/{nsid}", headers=headers, **options)
        return response.json() if response.content else {}

    @property
    def did(self) -> str:
        if self.session is None:
            self.login()
        assert self.session is not None
        return self.session.did

    # -- reads --------------------------------------------------------------------------

    def notifications(self, *, cursor: str | None = None, limit: int = 50) -> dict[str, Any]:
        params: list[tuple[str, str | int]] = [("limit", limit)]
        params += [("reasons", r) for r in ("mention", "reply", "quote")]
        if cursor:
            params.append(("cursor", cursor))
        return obj(self.call("GET", "app.bsky.notification.listNotifications", params=params))

    def new_notifications(self, seen_at: str | None) -> tuple[list[ParseResult], str | None]:
        """Notifications indexed after ``seen_at`` (newest first from the PDS, so it pages back
        until it reaches what was seen), oldest first, and the new ``seen_at`` to store."""
        did = self.did
        collected: list[Any] = []
        cursor: str | None = None
        newest = seen_at
        for _ in range(10):
            page = self.notifications(cursor=cursor)
            items = page.get("notifications")
            if not isinstance(items, list) or not items:
                break
            done = False
            for item in items:
                indexed = text(obj(item).get("indexedAt"))
                if seen_at is not None and indexed is not None and indexed <= seen_at:
                    done = True
                    break
                collected.append(item)
                if indexed is not None and (newest is None or indexed > newest):
                    newest = indexed
            cursor = text(page.get("cursor"))
            if done or cursor is None:
                break
        collected.reverse()
        return [parse_notification(item, brand_did=did) for item in collected], newest

    def get_post(self, uri: str) -> dict[str, Any]:
        body = obj(self.call("GET", "app.bsky.feed.getPosts", appview=True, params={"uris": uri}))
        posts = body.get("posts")
        if not isinstance(posts, list) or not posts:
            raise PlatformRefused(_failure(FailureKind.NOT_FOUND, f"no post at {uri}"))
        return obj(posts[0])

    # -- writes -------------------------------------------------------------------------

    def create_record(
        self, collection: str, record: dict[str, Any], *, rkey: str | None = None
    ) -> StrongRef:
        body: dict[str, Any] = {"repo": self.did, "collection": collection, "record": record}
        if rkey:
            body["rkey"] = rkey
        try:
            answer = obj(self.call("POST", "com.atproto.repo.createRecord", json=body, write=True))
        except PlatformRefused as exc:
            if rkey is None or exc.failure.kind is not FailureKind.INVALID:
                raise
            answer = self._existing(collection, rkey, exc)
        uri, cid = text(answer.get("uri")), text(answer.get("cid"))
        if uri is None or cid is None:
            raise PlatformRefused(
                _failure(FailureKind.SERVER, "createRecord without uri/cid", uncertain=True)
            )
        return StrongRef(uri, cid)

    def _existing(self, collection: str, rkey: str, refused: PlatformRefused) -> dict[str, Any]:
        """The record a retried create collided with (same client-chosen ``rkey``)."""
        params = {"repo": self.did, "collection": collection, "rkey": rkey}
        try:
            return obj(self.call("GET", "com.atproto.repo.getRecord", params=params))
        except PlatformRefused:
            raise refused from None

    def reply(
        self, parent_uri: str, text_: str, now: datetime, *, rkey: str | None = None
    ) -> StrongRef:
        """A post under ``parent_uri``: ``parent`` is that post, ``root`` its thread's root
        (the parent's own ``reply.root``, or the parent when it starts the thread)."""
        parent = self.get_post(parent_uri)
        parent_ref = StrongRef(str(parent.get("uri")), str(parent.get("cid")))
        root = obj(obj(obj(parent.get("record")).get("reply")).get("root"))
        root_ref = (
            StrongRef(str(root["uri"]), str(root["cid"]))
            if root.get("uri") and root.get("cid")
            else parent_ref
        )
        record = {
            "$type": POST,
            "text": text_,
            "createdAt": _iso(now),
            "reply": {"root": root_ref.as_json(), "parent": parent_ref.as_json()},
        }
        return self.create_record(POST, record, rkey=rkey)

    def post(self, text_: str, now: datetime, *, rkey: str | None = None) -> StrongRef:
        return self.create_record(
            POST, {"$type": POST, "text": text_, "createdAt": _iso(now)}, rkey=rkey
        )

    def like(self, uri: str, now: datetime) -> StrongRef:
        post = self.get_post(uri)
        subject = {"uri": str(post.get("uri")), "cid": str(post.get("cid"))}
        return self.create_record(LIKE, {"$type": LIKE, "subject": subject, "createdAt": _iso(now)})

    def set_reply_hidden(self, uri: str, hidden: bool, now: datetime) -> None:
        """Hide (or show again) the reply ``uri`` under a thread the brand started: the
        ``app.bsky.feed.threadgate`` record on the thread's root post (same repository, same
        record key) lists it in ``hiddenReplies``; its reply rules (``allow``) are kept as they
        are. Refused, with the reason, when the thread is not the brand's."""
        post = self.get_post(uri)
        root = text(obj(obj(obj(post.get("record")).get("reply")).get("root")).get("uri"))
        if root is None:
            raise PlatformRefused(
                _failure(FailureKind.FORBIDDEN, "Bluesky hides replies only; this is not one.")
            )
        repo, _, rest = root.removeprefix("at://").partition("/")
        collection, _, rkey = rest.partition("/")
        if repo != self.did or collection != POST or not rkey:
            raise PlatformRefused(
                _failure(
                    FailureKind.FORBIDDEN,
                    "Bluesky hides replies only under threads the brand started; "
                    "this thread was started by someone else.",
                )
            )
        gate = self._threadgate(rkey) or {"$type": THREADGATE, "post": root, "createdAt": _iso(now)}
        listed = [u for u in gate.get("hiddenReplies") or [] if isinstance(u, str) and u != uri]
        if hidden:
            listed.append(uri)
        if len(listed) > MAX_HIDDEN:
            raise PlatformRefused(
                _failure(
                    FailureKind.INVALID,
                    f"Bluesky hides at most {MAX_HIDDEN} replies per thread; show one first.",
                )
            )
        gate["hiddenReplies"] = listed
        body = {"repo": self.did, "collection": THREADGATE, "rkey": rkey, "record": gate}
        self.call("POST", "com.atproto.repo.putRecord", json=body, write=True)

    def _threadgate(self, rkey: str) -> dict[str, Any] | None:
        """The threadgate on the brand's post ``rkey``, or None when it has none."""
        params = {"repo": self.did, "collection": THREADGATE, "rkey": rkey}
        try:
            answer = obj(self.call("GET", "com.atproto.repo.getRecord", params=params))
        except PlatformRefused as exc:
            if exc.failure.code == "RecordNotFound":
                return None
            raise
        value = obj(answer.get("value"))
        return dict(value) if value else None

    def send_message(self, member_did: str, text_: str) -> str:
        proxy = {"atproto-proxy": CHAT_PROXY}
        convo = obj(
            self.call(
                "GET",
                "chat.bsky.convo.getConvoForMembers",
                params={"members": member_did},
                headers=proxy,
            )
        )
        convo_id = text(obj(convo.get("convo")).get("id"))
        if convo_id is None:
            raise PlatformRefused(_failure(FailureKind.SERVER, "no conversation id"))
        sent = obj(
            self.call(
                "POST",
                "chat.bsky.convo.sendMessage",
                headers=proxy,
                write=True,
                json={"convoId": convo_id, "message": {"text": text_}},
            )
        )
        message_id = text(sent.get("id"))
        if message_id is None:
            raise PlatformRefused(
                _failure(FailureKind.SERVER, "sendMessage without an id", uncertain=True)
            )
        return message_id

    def close(self) -> None:
        self.pds.close()
        if self.appview is not self.pds:
            self.appview.close()


def _session(body: Any) -> Session:
    data = obj(body)
    values = [text(data.get(k)) for k in ("did", "handle", "accessJwt", "refreshJwt")]
    if any(v is None for v in values):
        raise TokenInvalid(_failure(FailureKind.TOKEN_INVALID, "the PDS returned no session"))
    did, handle, access, refresh = (str(v) for v in values)
    return Session(did, handle, access, refresh)


def _failure(kind: FailureKind, reason: str, *, uncertain: bool = False) -> Failure:
    return Failure(kind, reason, uncertain=uncertain)


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")
