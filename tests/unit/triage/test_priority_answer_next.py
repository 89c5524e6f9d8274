"""The priority rules alone: what should be answered next scores highest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from mentiondesk.domain.triage import Intent
from mentiondesk.triage.intent import cues, decide_intent
from mentiondesk.triage.priority import NO_REPLY_CEILING, priority, priority_parts

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def _score(**overrides: Any) -> int:
    kwargs: dict[str, Any] = dict(
        intent=Intent.COMPLAINT,
        negative=0.9,
        harmful=False,
        spam=False,
        needs_reply=True,
        sensitive=False,
        followers=200,
        created_at=NOW - timedelta(minutes=5),
        now=NOW,
    )
    kwargs.update(overrides)
    return priority(**kwargs)


def test_a_fresh_tagged_angry_complaint_outranks_an_old_untagged_question() -> None:
    assert _score(tagged=True) >= 70
    assert _score(tagged=True) > _score(
        intent=Intent.QUESTION, negative=0.2, created_at=NOW - timedelta(hours=20)
    )


def test_abuse_and_no_reply_posts_stay_below_every_post_that_needs_a_reply() -> None:
    weakest_reply = _score(intent=Intent.OTHER, negative=0.0, followers=0, created_at=NOW)
    assert _score(harmful=True, needs_reply=False, tagged=True) < weakest_reply
    assert _score(needs_reply=False, tagged=True) <= NO_REPLY_CEILING < weakest_reply


def test_hidden_and_spam_posts_score_zero() -> None:
    assert _score(hidden=True, tagged=True) == 0
    assert _score(spam=True) == 0


def test_the_score_explains_itself() -> None:
    reasons = [p.reason for p in priority_parts(
        intent=Intent.COMPLAINT, negative=0.8, harmful=False, spam=False, needs_reply=True,
        sensitive=False, followers=1000, created_at=NOW - timedelta(hours=2), now=NOW,
        tagged=True,
    )]  # fmt: skip
    assert reasons == ["complaint", "negative tone", "addressed to the brand", "reach", "waiting"]


def test_a_remark_on_the_share_price_is_no_complaint() -> None:
    for text in (
        "The players are merely slaves!!! Skylot shares up again today, odd.",
        "to nie jest ani polityka Btw kurs akcji Skylot dziś w górę, ciekawe.",
    ):
        assert decide_intent(cues(text.lower()), 0.8, 0.1, 0.6) is Intent.OTHER
    # saying what went wrong still makes it a complaint
    lost = "skylot lost my luggage and your share price is the least of my worries"
    assert decide_intent(cues(lost), 0.8, 0.1, 0.6) is Intent.COMPLAINT
