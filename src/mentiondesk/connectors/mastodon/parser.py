"""Mastodon entities and stream events as ``inbound`` results; never raises.

A mention notification (``type: mention``) is addressed to the brand: a ``mention`` event, or
``dm`` when its status is ``visibility: direct`` (a private mention). Statuses read from a
hashtag timeline, search or a public stream are ``post`` events for the listening matcher.
The brand's own statuses come back too (streams echo them): ``ours=True``.

Streaming (SSE, ``GET /api/v1/streaming/…``) sends ``event:``/``data:`` blocks separated by a
blank line, and ``:thump``-style comments as heartbeats; ``update``, ``notification`` and
``status.update`` carry JSON, ``delete`` a bare status id. ``SSEDecoder`` turns received text
into ``(event, data)`` pairs across arbitrary chunk boundaries.

Dedupe: a status is keyed by its id on this instance (``status:<id>``), whichever way it
arrived; an edit by id and ``edited_at``; a deletion by id.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import orjson

from mentiondesk.connectors.inbound import (
    Ignored,
    InboundEvent,
    ParseResult,
    Rejected,
    fragment,
    ident,
    moment,
    obj,
    raw_post,
    text,
)
from mentiondesk.domain.posts import Platform, PostKind

__all__ = [
    "IGNORED",
    "IGNORED_STREAM",
    "SSEDecoder",
    "parse_notification",
    "parse_status",
    "parse_stream_event",
    "plain_text",
]

MENTION, DM, QUOTE, POST, EDITED, DELETED = "mention", "dm", "quote", "post", "edited", "deleted"
IGNORED: dict[str, str] = {
    "favourite": "a favourite is not a care item",
    "reblog": "a boost is not a care item",
    "follow": "new followers are not care items",
    "follow_request": "follow requests are handled on the instance",
    "poll": "a poll the brand took part in ended",
    "status": "a post by an account the brand subscribed to",
    "update": "an edit of a post the brand boosted",
}
IGNORED_STREAM: dict[str, str] = {
    "filters_changed": "the account's filters changed",
    "announcement": "an instance announcement",
    "conversation": "direct messages arrive as mention notifications",
    "notifications_merged": "grouped notifications were merged on the server",
}
_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.IGNORECASE)


def plain_text(content: str) -> str:
    """A status's HTML ``content`` as text: paragraphs and line breaks kept, tags dropped."""
    return html.unescape(_TAG.sub("", _BREAK.sub("\n", content))).strip()


def parse_notification(
    data: Any, *, brand_account_id: str | None = None, cursor: str | None = None
) -> ParseResult:
    """One entry of ``GET /api/v1/notifications`` (or a streamed ``notification``)."""
    note = obj(data)
    kind = text(note.get("type"))
    if kind is None or ident(note.get("id")) is None:
        return Rejected("notification without id or type", fragment(data))
    if kind in IGNORED:
        return Ignored(kind, IGNORED[kind])
    if kind not in (MENTION, QUOTE):
        return Rejected(f"unknown notification type {kind!r}", fragment(data))
    status = obj(note.get("status"))
    if not status:
        return Rejected(f"{kind} notification without a status", fragment(data))
    direct = status.get("visibility") == "direct"
    event_kind = DM if direct else kind
    return parse_status(
        status,
        brand_account_id=brand_account_id,
        event_kind=event_kind,
        to_brand=True,
        cursor=cursor or ident(note.get("id")),
    )


def parse_status(
    data: Any,
    *,
    brand_account_id: str | None = None,
    event_kind: str = POST,
    to_brand: bool = False,
    cursor: str | None = None,
) -> ParseResult:
    """A Status entity (timeline, search, stream ``update``) as an event."""
    status = obj(data)
    status_id = ident(status.get("id"))
    at = moment(status.get("created_at"))
    account = obj(status.get("account"))
    acct = text(account.get("acct"))
    if status_id is None or at is None or acct is None:
        return Rejected("status without id, created_at or account", fragment(data))
    reblog = status.get("reblog")
    if isinstance(reblog, dict):
        return Ignored("reblog", "a boost repeats a status; the original is what matters")
    body = plain_text(text(status.get("content")) or "")
    warning = text(status.get("spoiler_text"))
    if warning:
        body = f"[CW: {warning}]\n{body}".strip()
    if not body:
        media = status.get("media_attachments")
        body = "[media]" if isinstance(media, list) and media else ""
    if not body:
        return Rejected("status without text or media", fragment(data))
    direct = status.get("visibility") == "direct"
    parent = ident(status.get("in_reply_to_id"))
    kind = PostKind.DM if direct else PostKind.COMMENT if parent else PostKind.POST
    language = text(status.get("language"))
    post = raw_post(
        platform=Platform.MASTODON,
        post_id=status_id,
        text=body,
        created_at=at,
        author_handle=acct,
        author_name=text(account.get("display_name")) or "",
        kind=kind,
        conversation_id=f"dm:{acct}" if direct else None,
        in_reply_to=parent,
        url=text(status.get("url")) or text(status.get("uri")),
        lang=language,
        to_brand=to_brand,
        followers=account.get("followers_count")
        if isinstance(account.get("followers_count"), int)
        else None,
    )
    ours = brand_account_id is not None and ident(account.get("id")) == brand_account_id
    edited = moment(status.get("edited_at"))
    key = f"status:{status_id}" if event_kind != EDITED else f"status:{status_id}:{edited}"
    return InboundEvent(
        event_kind, Platform.MASTODON, status_id, edited or at, key, post, ours=ours, cursor=cursor
    )


def parse_stream_event(
    event: str, data: str, *, now: datetime, brand_account_id: str | None = None
) -> ParseResult:
    """One streamed event, as ``SSEDecoder`` yields it (or a WebSocket frame's
    ``event``/``payload``). ``now`` dates a deletion, which carries no time."""
    if event == "delete":
        status_id = ident(data)
        if status_id is None:
            return Rejected("delete event without a status id", fragment(data))
        return InboundEvent(
            DELETED, Platform.MASTODON, status_id, now, f"status:{status_id}:deleted"
        )
    if event in IGNORED_STREAM or event.startswith("announcement"):
        return Ignored(event, IGNORED_STREAM.get(event, IGNORED_STREAM["announcement"]))
    if event not in ("update", "notification", "status.update"):
        return Rejected(f"unknown stream event {event!r}", fragment(data))
    try:
        payload = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        return Rejected(f"{event} payload is not JSON: {exc}", fragment(data))
    if event == "notification":
        return parse_notification(payload, brand_account_id=brand_account_id)
    kind = EDITED if event == "status.update" else POST
    return parse_status(payload, brand_account_id=brand_account_id, event_kind=kind)


class SSEDecoder:
    """Server-sent events from text received in arbitrary chunks."""

    def __init__(self) -> None:
        self._buffer = ""
        self._event = "message"
        self._data: list[str] = []

    def feed(self, chunk: str) -> Iterator[tuple[str, str]]:
        self._buffer += chunk.replace("\r\n", "\n")
        while "\n" in self._buffer:
            line, self._buffer = self._buffer.split("\n", 1)
            if not line:
                if self._data:
                    yield self._event, "\n".join(self._data)
                self._event, self._data = "message", []
            elif line.startswith(":"):
                continue  # heartbeat (":thump") or comment
            else:
                name, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "event":
                    self._event = value
                elif name == "data":
                    self._data.append(value)
