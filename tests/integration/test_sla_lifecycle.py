"""Snooze, merge, split, follow-ups and the out-of-hours acknowledgement, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mentiondesk.desk.lifecycle import do_merge_cases, do_snooze_case, do_split_case
from mentiondesk.desk.sla_settings import do_update_desk_settings
from mentiondesk.domain.cases import Case, CaseStatus
from mentiondesk.domain.errors import ConcurrentChange, InvalidTransition
from mentiondesk.domain.inbox import InboxFilter
from mentiondesk.domain.ports import FixedClock
from mentiondesk.storage.repositories.lifecycle import SYSTEM_EMAIL
from tests.factories import Desk


def clock(desk: Desk) -> FixedClock:
    assert isinstance(desk.services.clock, FixedClock)
    return desk.services.clock


def snooze(desk: Desk, case_id: int, hours: float, **kw: object) -> Case:
    now = desk.services.clock.now()
    with desk.services.uow() as uow:
        return do_snooze_case(
            uow, desk.actor(desk.agent), case_id, now + timedelta(hours=hours), now=now, **kw
        )


def merge(desk: Desk, source: int, target: int, **kw: object) -> Case:
    with desk.services.uow() as uow:
        return do_merge_cases(
            uow, desk.actor(desk.agent), source, target, now=desk.services.clock.now(), **kw
        )


def active_ids(desk: Desk) -> set[int]:
    with desk.services.uow() as uow:
        f = InboxFilter(awake_at=desk.services.clock.now())
        return {row.case_id for row in uow.inbox.page(desk.workspace.id, f).rows}


def test_a_snoozed_case_leaves_the_inbox_and_comes_back_by_itself(desk: Desk) -> None:
    case_id = desk.ingest_case()
    snooze(desk, case_id, 2)
    assert case_id not in active_ids(desk)
    clock(desk).set(clock(desk).now() + timedelta(hours=2))
    assert case_id in active_ids(desk)


def test_a_snoozed_case_comes_back_when_the_customer_writes(desk: Desk) -> None:
    case_id = desk.ingest_case(conversation_id="c1")
    snooze(desk, case_id, 48)
    desk.ingest(conversation_id="c1", text="@acme hello?")
    assert case_id in active_ids(desk)
    assert desk.case(case_id).snoozed_until is None


def test_merge_moves_posts_and_replies_and_makes_the_source_read_only(desk: Desk) -> None:
    a = desk.ingest_case(conversation_id="a")
    b = desk.ingest_case(conversation_id="b", author_handle="other")
    desk.reply(desk.agent, b)
    merge(desk, b, a)
    view = desk.view(desk.agent, a)
    assert len([e for e in view.thread if e.post]) == 2
    assert len([e for e in view.thread if e.reply]) == 1
    source = desk.case(b)
    assert source.status is CaseStatus.MERGED and source.merged_into_id == a
    with pytest.raises(InvalidTransition, match=f"case {a}"):
        desk.resolve(desk.agent, b)
    with pytest.raises(InvalidTransition, match="merged"):
        desk.reply(desk.agent, b)


def test_merge_with_a_stale_version_is_refused(desk: Desk) -> None:
    a = desk.ingest_case(conversation_id="a")
    b = desk.ingest_case(conversation_id="b")
    seen = desk.case(b).version
    desk.assign(desk.colleague, b, desk.colleague)
    with pytest.raises(ConcurrentChange, match="someone changed"):
        merge(desk, b, a, expected_version=seen)
    assert desk.case(b).status is not CaseStatus.MERGED


def test_split_moves_the_chosen_posts_into_a_new_case(desk: Desk) -> None:
    case_id = desk.ingest_case(conversation_id="c1", text="@acme parcel late")
    second = desk.ingest(conversation_id="c1", text="@acme also my invoice is wrong")
    assert second.case_id == case_id and second.post_id is not None
    with desk.services.uow() as uow:
        new = do_split_case(
            uow, desk.actor(desk.agent), case_id, [second.post_id], now=clock(desk).now()
        )
    assert [e.post.id for e in desk.view(desk.agent, new.id).thread if e.post] == [second.post_id]
    assert len([e for e in desk.view(desk.agent, case_id).thread if e.post]) == 1
    with desk.services.uow() as uow, pytest.raises(InvalidTransition, match="at least one"):
        remaining = [e.post.id for e in desk.view(desk.agent, case_id).thread if e.post]
        do_split_case(uow, desk.actor(desk.agent), case_id, remaining, now=clock(desk).now())


def _settings(desk: Desk, **changes: object) -> None:
    with desk.services.uow() as uow:
        do_update_desk_settings(uow, desk.actor(desk.owner), changes, now=clock(desk).now())


def test_a_follow_up_outside_the_conversation_joins_the_open_case_within_the_window(
    desk: Desk,
) -> None:
    first = desk.ingest_case(conversation_id="c1")
    clock(desk).set(clock(desk).now() + timedelta(hours=3))
    follow = desk.ingest(
        conversation_id="c2", text="@acme still nothing", created_at=clock(desk).now().isoformat()
    )
    assert follow.case_id == first


def test_a_post_after_the_window_opens_a_new_case(desk: Desk) -> None:
    _settings(desk, follow_up_window=3600)
    first = desk.ingest_case(conversation_id="c1")
    later = (clock(desk).now() + timedelta(hours=3)).isoformat()
    follow = desk.ingest(conversation_id="c2", text="@acme still nothing", created_at=later)
    assert follow.case_id not in (None, first)


def test_out_of_hours_post_gets_one_acknowledgement_saying_when_people_answer(
    desk: Desk,
) -> None:
    _settings(desk, ack_enabled=True, channels={"x": "en"})
    clock(desk).set(clock(desk).now() + timedelta(days=4))  # Saturday 10:00 in Warsaw
    case_id = desk.ingest_case(conversation_id="w1", created_at=clock(desk).now().isoformat())
    desk.ingest(conversation_id="w1", created_at=clock(desk).now().isoformat())
    replies = [e.reply for e in desk.view(desk.agent, case_id).thread if e.reply]
    assert len(replies) == 1
    assert "on Monday at 8:00" in replies[0].text
    assert replies[0].status.value == "simulated"  # the development channel
    case = desk.case(case_id)
    assert case.first_response_at is None and case.status is CaseStatus.NEW
    with desk.services.uow() as uow:
        system = uow.users.get_by_email(SYSTEM_EMAIL)
        audit = uow.audit.list(desk.workspace.id, subject=f"case:{case_id}")
    assert system is not None and not system.is_active
    assert [e.action for e in audit] == ["case.auto_acknowledge"]


def test_the_acknowledgement_speaks_the_customers_language_not_the_channels(
    desk: Desk,
) -> None:
    _settings(desk, ack_enabled=True, channels={"x": "en"})
    clock(desk).set(clock(desk).now() + timedelta(days=4))  # Saturday 10:00 in Warsaw
    case_id = desk.ingest_case(
        conversation_id="w2",
        created_at=clock(desk).now().isoformat(),
        text="@acme paczka nadal nie dotarła, co się dzieje?",
        lang="pl",
    )
    [reply] = [e.reply for e in desk.view(desk.agent, case_id).thread if e.reply]
    assert "w poniedziałek o 8:00" in reply.text
    assert "Monday" not in reply.text
