"""X's prices against a monthly budget, its errors, its pages and its reply rule."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from mentiondesk.connectors.capability import Action
from mentiondesk.connectors.inbound import InboundEvent, Rejected
from mentiondesk.connectors.refusals import FailureKind
from mentiondesk.connectors.x import capabilities
from mentiondesk.connectors.x.budget import Budget, Cost, Price, reply_price
from mentiondesk.connectors.x.errors import DEFAULT_WAIT, classify
from mentiondesk.connectors.x.parser import parse_page, summoned_by
from mentiondesk.pipeline.payload import parse_payload

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def test_reads_cost_per_post_and_writes_per_request() -> None:
    budget = Budget("1.00")
    budget.charge(Cost(Price.POST_READ, 100), NOW)
    budget.charge(Cost(Price.OWNED_READ, 100), NOW)
    budget.charge(Cost(reply_price("Sorry about that")), NOW)
    budget.charge(Cost(reply_price("See https://acme.example/help")), NOW)
    assert budget.spent == Decimal("0.5") + Decimal("0.1") + Decimal("0.010") + Decimal("0.200")
    assert budget.calls[Price.POST_READ] == 100


def test_polling_slows_past_80_percent_and_stops_at_the_cap_until_next_month() -> None:
    budget = Budget("10")
    budget.charge(Cost(Price.POST_READ, 1000), NOW)  # $5
    assert budget.pace() == 1.0
    budget.charge(Cost(Price.POST_READ, 700), NOW)  # $8.50
    pace = budget.pace()
    assert pace is not None and 1.0 < pace < 10.0
    assert not budget.allows(Cost(Price.POST_READ, 400), NOW)
    budget.charge(Cost(Price.POST_READ, 300), NOW)  # $10
    assert budget.stopped and budget.pace() is None and budget.remaining == 0
    assert budget.allows(Cost(Price.POST_READ), datetime(2026, 4, 1, tzinfo=UTC))
    assert budget.spent == 0 and budget.month == "2026-04"


def test_429_waits_until_the_epoch_reset_and_403_keeps_xs_words() -> None:
    reset = str(int(NOW.timestamp()) + 120)
    limited = classify(429, {"x-rate-limit-reset": reset}, b'{"title":"Too Many Requests"}', NOW)
    assert limited is not None and limited.retry_after == 120
    assert classify(429, {}, b"", NOW).retry_after == DEFAULT_WAIT  # type: ignore[union-attr]
    body = (
        b'{"title":"Forbidden","detail":"Reply to this conversation is not allowed",'
        b'"type":"about:blank"}'
    )
    forbidden = classify(403, {}, body, NOW)
    assert forbidden is not None and forbidden.kind is FailureKind.FORBIDDEN
    assert forbidden.reason == "Reply to this conversation is not allowed"
    legacy = classify(
        403, {}, b'{"errors":[{"code":453,"message":"You currently have access"}]}', NOW
    )
    assert legacy is not None and legacy.reason.startswith("You currently have access")
    gone = classify(400, {}, b'{"type":"https://api.x.com/2/problems/resource-not-found"}', NOW)
    assert gone is not None and gone.kind is FailureKind.NOT_FOUND
    assert classify(401, {}, b"{}", NOW).kind is FailureKind.TOKEN_INVALID  # type: ignore[union-attr]


PAGE = {
    "data": [
        {
            "id": "20",
            "text": "@acme my order",
            "author_id": "7",
            "created_at": "2026-03-10T11:00:00.000Z",
            "conversation_id": "20",
            "edit_history_tweet_ids": ["19", "20"],
            "entities": {"mentions": [{"id": "1000", "username": "acme"}]},
        },
        {
            "id": "15",
            "text": "acme is slow",
            "author_id": "8",
            "created_at": "2026-03-10T10:00:00.000Z",
            "conversation_id": "9",
            "referenced_tweets": [{"type": "replied_to", "id": "9"}],
        },
        {"id": "x"},
    ],
    "includes": {
        "users": [
            {
                "id": "7",
                "username": "jane",
                "name": "Jane",
                "public_metrics": {"followers_count": 5},
            }
        ]
    },
    "errors": [{"title": "Not Found Error", "detail": "Could not find tweet 3"}],
    "meta": {"newest_id": "20", "result_count": 3},
}


def test_a_page_gives_events_oldest_first_and_rejects_partial_errors() -> None:
    results = parse_page(PAGE, source="mentions", brand_user_id="1000")
    events = [r for r in results if isinstance(r, InboundEvent)]
    rejected = [r for r in results if isinstance(r, Rejected)]
    assert [e.platform_post_id for e in events] == ["15", "20"]
    assert len(rejected) == 2 and "Could not find tweet 3" in rejected[0].reason
    mention = parse_payload(events[1].post).to_inbound()
    assert mention.to_brand and mention.author.handle == "jane" and mention.author.followers == 5
    assert events[1].dedupe_key == "post:19:20"
    assert events[1].post is not None and events[1].post["meta"] == {"x_summoned": True}
    reply = parse_payload(events[0].post).to_inbound()
    assert reply.in_reply_to == "9" and reply.conversation_id == "9"


def test_summoned_means_mentioned_or_quoted_and_only_then_a_reply_is_allowed() -> None:
    assert summoned_by({"entities": {"mentions": [{"id": "1000"}]}}, "1000")
    assert summoned_by({"referenced_tweets": [{"type": "quoted", "author_id": "1000"}]}, "1000")
    assert not summoned_by({"text": "acme is slow"}, "1000")
    assert not capabilities.check(Action.PUBLIC_REPLY)
    assert "mentioned or quoted" in capabilities.check(Action.PUBLIC_REPLY).reason
    assert capabilities.check(Action.PUBLIC_REPLY, capabilities.PostState(summoned=True))
    assert not capabilities.check(Action.LIKE)
    assert not capabilities.check(Action.DM, capabilities.PostState(budget_left=False))
