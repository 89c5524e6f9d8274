""" "Breaching in 1 h": each case stores when its next SLA clock falls due, kept when the clocks
move and by the sweep, so the view is one range of an index."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import text

from mentiondesk.desk.sla_service import do_record_breaches, evaluate_case_sla
from mentiondesk.desk.sla_settings import do_update_desk_settings
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.sla import SlaMetric
from tests.factories import Desk

HOUR = timedelta(hours=1)


def _targets(desk: Desk, **sla: int | None) -> None:
    with desk.services.uow() as uow:
        do_update_desk_settings(
            uow, desk.actor(desk.owner), {"sla": sla}, now=desk.services.clock.now()
        )


def _breaching(desk: Desk) -> set[int]:
    now = desk.services.clock.now()
    page = desk.inbox(desk.agent, due_before=now + HOUR, awake_at=now)
    return {row.case_id for row in page.rows}


def _due(desk: Desk, case_id: int) -> datetime:
    with desk.services.uow() as uow:
        status = evaluate_case_sla(uow, desk.workspace, case_id, desk.services.clock.now())
    state = status.get(SlaMetric.FIRST_RESPONSE)
    assert state is not None and state.due_at is not None
    return state.due_at


def test_a_case_enters_the_view_an_hour_before_its_first_response_is_due(desk: Desk) -> None:
    clock = desk.services.clock
    assert isinstance(clock, FixedClock)
    _targets(desk, first_response=3 * 3600)
    case_id = desk.ingest_case()
    due = _due(desk, case_id)

    clock.set(due - HOUR - timedelta(minutes=5))
    assert _breaching(desk) == set()
    clock.set(due - timedelta(minutes=50))
    assert _breaching(desk) == {case_id}

    desk.reply(desk.agent, case_id)  # the first response stops the clock

    assert _breaching(desk) == set()


def test_the_sweep_fills_cases_stored_before_and_clears_when_targets_go(desk: Desk) -> None:
    clock = desk.services.clock
    assert isinstance(clock, FixedClock)
    _targets(desk, first_response=3 * 3600)
    case_id = desk.ingest_case()
    due = _due(desk, case_id)
    with desk.services.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET sla_due_at = NULL"))
    clock.set(due - timedelta(minutes=30))
    assert _breaching(desk) == set()

    with desk.services.uow() as uow:
        do_record_breaches(uow, clock.now())
    assert _breaching(desk) == {case_id}

    _targets(desk, first_response=None)
    with desk.services.uow() as uow:
        do_record_breaches(uow, clock.now())
    assert _breaching(desk) == set()


def test_a_case_that_needs_no_reply_is_never_breaching(desk: Desk) -> None:
    clock = desk.services.clock
    assert isinstance(clock, FixedClock)
    _targets(desk, first_response=600)
    case_id = desk.ingest_case()
    with desk.services.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET needs_reply = false WHERE id = :id"), {"id": case_id})
    with desk.services.uow() as uow:
        do_record_breaches(uow, clock.now())

    assert _breaching(desk) == set()
