"""The live guard's cached history sees new replies and starts each day anew."""

from __future__ import annotations

from datetime import timedelta

from mentiondesk.desk.access import actor_for
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.replies import ReplyVisibility
from mentiondesk.replies.composer import check_draft
from mentiondesk.replies.history import ReplyHistoryCache
from tests.factories import Desk

BODY = (
    "We are very sorry for the trouble with your delivery, our team is looking into it "
    "and will get back to you within the day."
)


def live_checks(desk: Desk, cache: ReplyHistoryCache, case_id: int) -> frozenset[str]:
    with desk.services.uow() as uow:
        actor = actor_for(uow, desk.agent, desk.workspace.slug)
        checked = check_draft(
            uow,
            actor,
            case_id,
            BODY,
            visibility=ReplyVisibility.PUBLIC,
            now=desk.services.clock.now(),
            histories=cache,
        )
    return checked.result.checks


def test_the_cache_is_topped_up_with_new_replies_and_reset_the_next_day(
    desk: Desk, clock: FixedClock
) -> None:
    cache = ReplyHistoryCache()
    first = desk.ingest_case()
    second = desk.ingest_case(author_handle="piotr_w", author_name="Piotr Wiśniewski")
    assert "duplicate_reply" not in live_checks(desk, cache, second)

    desk.reply(desk.agent, first, BODY)

    assert "duplicate_reply" in live_checks(desk, cache, second)
    assert "duplicate_reply" not in live_checks(desk, cache, first)  # the same customer
    clock.set(clock.now() + timedelta(days=1))
    assert "duplicate_reply" not in live_checks(desk, cache, second)
