"""Bluesky notifications as ``inbound`` results; never raises.

``listNotifications`` with ``reasons=mention,reply,quote`` returns the posts addressed to the
brand: each becomes a ``mention``, ``reply`` or ``quote`` event with ``to_brand=True``. Other
reasons (likes, reposts, follows, …) are ignored with the reason; a notification without a
usable post is rejected. Dedupe is by post URI, the same key the Jetstream path uses, so a post
seen both ways is stored once.
"""

from __future__ import annotations

from typing import Any

from mentiondesk.connectors.bluesky.records import post_from_record
from mentiondesk.connectors.inbound import (
    Ignored,
    InboundEvent,
    ParseResult,
    Rejected,
    fragment,
    moment,
    obj,
    text,
)
from mentiondesk.domain.posts import Platform

__all__ = ["ADDRESSED", "IGNORED", "parse_notification"]

ADDRESSED = frozenset({"mention", "reply", "quote"})
IGNORED: dict[str, str] = {
    "like": "a like is not a care item",
    "repost": "a repost is not a care item",
    "follow": "new followers are not care items",
    "starterpack-joined": "someone joined via the brand's starter pack",
    "verified": "verification changes",
    "unverified": "verification changes",
    "like-via-repost": "a like is not a care item",
    "repost-via-repost": "a repost is not a care item",
    "subscribed-post": "a post by an account the brand subscribed to",
    "contact-match": "a contact joined Bluesky",
}


def parse_notification(data: Any, *, brand_did: str | None = None) -> ParseResult:
    note = obj(data)
    reason = text(note.get("reason"))
    uri = text(note.get("uri"))
    if reason is None or uri is None:
        return Rejected("notification without reason or uri", fragment(data))
    if reason in IGNORED:
        return Ignored(reason, IGNORED[reason])
    if reason not in ADDRESSED:
        return Rejected(f"unknown notification reason {reason!r}", fragment(data))
    author = obj(note.get("author"))
    handle = text(author.get("handle")) or text(author.get("did"))
    record = obj(note.get("record"))
    if handle is None or not record:
        return Rejected(f"{reason} notification without author or record", fragment(data))
    post = post_from_record(
        uri, record, author=handle, author_name=text(author.get("displayName")) or "", to_brand=True
    )
    if post is None:
        return Rejected(f"{reason} notification without usable text or time", fragment(data))
    at = moment(note.get("indexedAt")) or moment(record.get("createdAt"))
    assert at is not None  # post_from_record needs createdAt
    ours = brand_did is not None and author.get("did") == brand_did
    return InboundEvent(
        reason,
        Platform.BLUESKY,
        uri,
        at,
        f"post:{uri}",
        post,
        ours=ours,
        cursor=text(note.get("indexedAt")),
    )
