"""Mastodon's answers are classified once; what the brand may do is data."""

from __future__ import annotations

from datetime import UTC, datetime

from mentiondesk.connectors.capability import Action
from mentiondesk.connectors.mastodon import capabilities
from mentiondesk.connectors.mastodon.capabilities import StatusState
from mentiondesk.connectors.mastodon.connector import addressed
from mentiondesk.connectors.mastodon.errors import WINDOW_SECONDS, classify, rate_limit
from mentiondesk.connectors.refusals import FailureKind

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def test_429_waits_until_the_iso_reset_timestamp() -> None:
    headers = {"X-RateLimit-Reset": "2026-03-10T12:02:30.000000Z", "X-RateLimit-Remaining": "0"}
    failure = classify(429, headers, b'{"error":"Too many requests"}', NOW)
    assert failure is not None and failure.kind is FailureKind.RATE_LIMITED
    assert failure.retry_after == 150 and failure.reason == "Too many requests"
    bare = classify(429, {}, b"", NOW)
    assert bare is not None and bare.retry_after == WINDOW_SECONDS


def test_status_codes_map_to_what_the_outbox_does() -> None:
    expected = {
        401: FailureKind.TOKEN_INVALID,
        403: FailureKind.FORBIDDEN,
        404: FailureKind.NOT_FOUND,
        422: FailureKind.INVALID,
        502: FailureKind.SERVER,
        400: FailureKind.REFUSED,
    }
    for status, kind in expected.items():
        failure = classify(status, {}, b'{"error":"Validation failed: Text can\'t be blank"}', NOW)
        assert failure is not None and failure.kind is kind
    assert classify(200, {}, b"{}", NOW) is None


def test_rate_limit_headers_are_read_and_garbage_is_absent() -> None:
    limit = rate_limit(
        {
            "x-ratelimit-limit": "300",
            "x-ratelimit-remaining": "299",
            "x-ratelimit-reset": "2026-03-10T12:05:00.000000Z",
        }
    )
    assert (limit.limit, limit.remaining) == (300, 299)
    assert limit.reset_at == datetime(2026, 3, 10, 12, 5, tzinfo=UTC)
    assert rate_limit({"x-ratelimit-reset": "soon"}).reset_at is None


def test_hide_is_impossible_and_a_private_mention_is_answered_privately() -> None:
    assert not capabilities.check(Action.HIDE)
    assert "report or block" in capabilities.check(Action.HIDE).reason
    direct = StatusState(direct=True)
    assert not capabilities.check(Action.PUBLIC_REPLY, direct)
    assert capabilities.check(Action.DM, direct) and capabilities.check(Action.LIKE)


def test_a_reply_names_its_recipient_once() -> None:
    assert addressed("Thanks!", "jane@other.social") == "@jane@other.social Thanks!"
    assert addressed("@Jane@other.social thanks", "jane@other.social").count("@") == 2
