"""Feed server answers are classified once; a feed can only be listened to."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mentiondesk.connectors.base import OutgoingReply
from mentiondesk.connectors.capability import Action
from mentiondesk.connectors.refusals import FailureKind, PlatformRefused
from mentiondesk.connectors.rss import capabilities
from mentiondesk.connectors.rss.connector import FeedConnector
from mentiondesk.connectors.rss.errors import DEFAULT_RATE_LIMIT_WAIT, classify
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import ReplyVisibility

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("status", [200, 301, 304])
def test_success_redirect_and_not_modified_are_not_failures(status: int) -> None:
    assert classify(status, {}, b"", NOW) is None


def test_429_waits_retry_after_in_seconds_or_as_a_date_or_an_hour() -> None:
    assert classify(429, {"Retry-After": "120"}, b"", NOW).retry_after == 120  # type: ignore[union-attr]
    dated = classify(429, {"retry-after": "Tue, 10 Mar 2026 12:05:00 GMT"}, b"", NOW)
    assert dated is not None and dated.retry_after == 300
    bare = classify(429, {}, b"", NOW)
    assert bare is not None and bare.kind is FailureKind.RATE_LIMITED
    assert bare.retry_after == DEFAULT_RATE_LIMIT_WAIT


def test_503_is_a_rate_limit_with_retry_after_and_an_outage_without() -> None:
    assert classify(503, {"Retry-After": "30"}, b"", NOW).kind is FailureKind.RATE_LIMITED  # type: ignore[union-attr]
    outage = classify(503, {}, b"", NOW)
    assert outage is not None and outage.kind is FailureKind.SERVER and outage.transient


def test_410_means_stop_polling() -> None:
    gone = classify(410, {}, b"", NOW)
    assert gone is not None and gone.code == "gone" and not gone.transient


def test_every_action_on_a_feed_is_refused_with_the_link_to_answer_on() -> None:
    verdicts = capabilities.available("https://blog.example/p")
    assert not any(verdicts.values())
    assert "https://blog.example/p" in verdicts[Action.PUBLIC_REPLY].reason


def test_the_feed_connector_refuses_a_reply_finally_instead_of_pretending_to_send() -> None:
    reply = OutgoingReply(
        Platform.BLOG, "acme", "thanks", ReplyVisibility.PUBLIC, "id:1", "jane", "k"
    )
    with pytest.raises(PlatformRefused) as refused:
        FeedConnector().send(reply)
    assert not refused.value.transient and refused.value.failure.kind is FailureKind.FORBIDDEN
