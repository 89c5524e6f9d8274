"""Bluesky notifications, XRPC errors and capabilities."""

from __future__ import annotations

from datetime import UTC, datetime

from mentiondesk.connectors.bluesky import capabilities
from mentiondesk.connectors.bluesky.connector import record_key
from mentiondesk.connectors.bluesky.errors import EXPIRED, classify
from mentiondesk.connectors.bluesky.parser import parse_notification
from mentiondesk.connectors.capability import Action
from mentiondesk.connectors.inbound import Ignored, InboundEvent, Rejected
from mentiondesk.connectors.refusals import FailureKind
from mentiondesk.pipeline.payload import parse_payload

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
URI = "at://did:plc:jane/app.bsky.feed.post/3kabc"


def note(reason: str, **record: object) -> dict[str, object]:
    return {
        "uri": URI,
        "cid": "bafy",
        "reason": reason,
        "indexedAt": "2026-03-10T11:00:00Z",
        "author": {"did": "did:plc:jane", "handle": "jane.bsky.social", "displayName": "Jane"},
        "record": {"text": "@acme.bsky.social my order", "createdAt": "2026-03-10T10:59:00Z"}
        | record,
    }


def test_mentions_replies_and_quotes_are_events_addressed_to_the_brand() -> None:
    for reason in ("mention", "reply", "quote"):
        event = parse_notification(note(reason))
        assert isinstance(event, InboundEvent) and event.kind == reason
        post = parse_payload(event.post).to_inbound()
        assert post.to_brand and post.author.handle == "jane.bsky.social"
        assert post.url == "https://bsky.app/profile/jane.bsky.social/post/3kabc"
        assert event.dedupe_key == f"post:{URI}"


def test_a_reply_threads_under_its_root_and_parent() -> None:
    refs = {
        "root": {"uri": "at://r/app.bsky.feed.post/1", "cid": "a"},
        "parent": {"uri": "at://p/app.bsky.feed.post/2", "cid": "b"},
    }
    event = parse_notification(note("reply", reply=refs))
    assert isinstance(event, InboundEvent) and event.post is not None
    assert event.post["conversation_id"] == "at://r/app.bsky.feed.post/1"
    assert event.post["in_reply_to"] == "at://p/app.bsky.feed.post/2"


def test_likes_are_ignored_and_odd_notifications_rejected() -> None:
    assert isinstance(parse_notification(note("like")), Ignored)
    assert isinstance(parse_notification(note("mystery")), Rejected)
    assert isinstance(parse_notification({"reason": "mention"}), Rejected)
    assert isinstance(parse_notification(note("mention", createdAt="yesterday")), Rejected)


def test_xrpc_errors_are_classified_once() -> None:
    expired = classify(400, {}, b'{"error":"ExpiredToken","message":"Token has expired"}', NOW)
    assert expired is not None and expired.kind is FailureKind.TOKEN_INVALID
    assert expired.code == EXPIRED
    limited = classify(
        429,
        {"RateLimit-Reset": str(int(NOW.timestamp()) + 90)},
        b'{"error":"RateLimitExceeded"}',
        NOW,
    )
    assert limited is not None and limited.retry_after == 90
    closed = classify(400, {}, b'{"error":"MessagesDisabled","message":"off"}', NOW)
    assert closed is not None and closed.kind is FailureKind.FORBIDDEN
    assert classify(502, {}, b"<html>", NOW).kind is FailureKind.SERVER  # type: ignore[union-attr]
    assert classify(400, {}, b'{"error":"InvalidRequest"}', NOW).kind is FailureKind.INVALID  # type: ignore[union-attr]


def test_dm_needs_a_privileged_app_password_and_hide_only_under_our_threads() -> None:
    assert not capabilities.check(Action.DM)
    assert capabilities.check(Action.DM, capabilities.PostState(dm_access=True))
    assert "threads the brand started" in capabilities.check(Action.HIDE).reason
    assert capabilities.check(Action.PUBLIC_REPLY) and capabilities.check(Action.LIKE)


def test_record_keys_are_stable_tid_shaped_and_distinct() -> None:
    key = record_key("case-7-reply-1")
    assert key == record_key("case-7-reply-1") and len(key) == 13
    assert key != record_key("case-7-reply-2")
    assert set(key) <= set("234567abcdefghijklmnopqrstuvwxyz")
