"""The feedback report, the opportunities and the scheduled summaries read the same rows on
SQLite and PostgreSQL: complaints are what the triage called a complaint or negative, hidden
posts stay out, untagged praise and large authors are found, and a due summary is queued
once per period even when two sweeps run, and never to someone who left the workspace."""

from __future__ import annotations

from datetime import date, timedelta

from mentiondesk.analytics.feedback import feedback_report
from mentiondesk.analytics.opportunities import OpportunityKind, opportunity_report
from mentiondesk.analytics.schedules import do_create_schedule, do_queue_due_summaries
from mentiondesk.domain.report_schedules import Cadence
from mentiondesk.domain.triage import Intent, Sentiment
from tests.conftest import START, ServicesFactory
from tests.factories import ScriptedTriager, build_desk, minutes_before

NEGATIVE = {"sentiment": Sentiment.NEGATIVE, "intent": Intent.COMPLAINT, "language": "en"}
PRAISE = {"sentiment": Sentiment.POSITIVE, "intent": Intent.PRAISE, "language": "en"}


def test_topics_opportunities_and_summaries_on_both_databases(
    make_services: ServicesFactory,
) -> None:
    triager = ScriptedTriager(
        {
            "bag-1": NEGATIVE,
            "bag-2": NEGATIVE,
            "refund-1": NEGATIVE,
            "praise-1": PRAISE,
            "ask-1": {"sentiment": Sentiment.NEUTRAL, "intent": Intent.QUESTION},
        }
    )
    services = make_services(triager=triager)
    desk = build_desk(services)
    at = minutes_before(START, 60)
    desk.ingest(platform_post_id="bag-1", text="@acme you lost my suitcase", created_at=at)
    desk.ingest(
        platform_post_id="bag-2",
        text="@acme luggage still missing",
        created_at=at,
        author_handle="big",
        author_followers=50_000,
    )
    desk.ingest(platform_post_id="refund-1", text="@acme where is my refund", created_at=at)
    desk.ingest(platform_post_id="praise-1", text="Acme crew were lovely today", created_at=at)
    desk.ingest(
        platform_post_id="ask-1", text="Can anyone recommend a good courier? Acme?", created_at=at
    )
    day = START.date()
    owner = desk.actor(desk.owner)
    with services.uow() as uow:
        feedback = feedback_report(uow, owner, day, day, now=START)
        chances = opportunity_report(uow, owner, day, day, now=START)
    topics = {t.topic: t.posts for t in feedback.topics}
    assert feedback.complaints == 3
    assert topics == {"lost_baggage": 2, "refunds": 1}
    assert chances.counts == {"thank_you": 1, "recommendation": 1, "reach": 1}
    by_kind = {k: [o.author for o in chances.items if k in o.kinds] for k in OpportunityKind}
    assert by_kind[OpportunityKind.REACH] == ["big"]

    with services.uow() as uow:
        do_create_schedule(
            uow,
            owner,
            cadence=Cadence.DAILY,
            hour=8,
            weekday=0,
            recipients=[desk.agent.email, desk.colleague.email],
            now=START,
        )
        uow.users.remove_membership(desk.colleague.id, desk.workspace.id)  # left the team
        uow.commit()
    tomorrow = START + timedelta(days=1)
    with services.uow() as first, services.uow() as second:
        queued = do_queue_due_summaries(first, tomorrow)
        again = do_queue_due_summaries(second, tomorrow)
    assert len(queued) == 1 and again == []
    with services.uow() as uow:
        item = uow.outbox.get(queued[0])
    assert item is not None and item.idempotency_key.endswith(date(2026, 3, 10).isoformat())
    assert "Lost or damaged baggage: 2" in item.payload["text"]
    assert item.payload["to"] == [desk.agent.email]  # who left gets nothing more
