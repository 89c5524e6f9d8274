"""SLA clocks on stored cases, on SQLite and PostgreSQL: history, pauses, breaches once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mentiondesk.desk.sla_service import do_record_breaches, evaluate_case_sla
from mentiondesk.desk.sla_settings import do_update_desk_settings
from mentiondesk.domain.cases import CaseStatus
from mentiondesk.domain.errors import NotFound, PermissionDenied
from mentiondesk.domain.events import SlaBreached
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.sla import ClockState, MetricState, SlaMetric
from tests.factories import Desk

WARSAW = ZoneInfo("Europe/Warsaw")
HOUR = 3600


def warsaw(*args: int) -> datetime:
    return datetime(*args, tzinfo=WARSAW).astimezone(UTC)  # type: ignore[misc]


def configure(desk: Desk, **changes: object) -> None:
    settings: dict[str, object] = {
        "time_zone": "Europe/Warsaw",
        "hours": {str(d): [["08:00", "20:00"]] for d in range(5)},
        "holiday_countries": ["PL"],
        "sla": {"first_response": HOUR, "next_response": None, "resolution": None},
    }
    settings.update(changes)
    with desk.services.uow() as uow:
        do_update_desk_settings(
            uow, desk.actor(desk.owner), settings, now=desk.services.clock.now()
        )


def set_clock(desk: Desk, at: datetime) -> None:
    clock = desk.services.clock
    assert isinstance(clock, FixedClock)
    clock.set(at)


def sla(desk: Desk, case_id: int, metric: SlaMetric = SlaMetric.FIRST_RESPONSE) -> MetricState:
    with desk.services.uow() as uow:
        state = evaluate_case_sla(uow, desk.workspace, case_id, desk.services.clock.now()).get(
            metric
        )
    assert state is not None
    return state


def sweep(desk: Desk) -> int:
    with desk.services.uow() as uow:
        return do_record_breaches(uow, desk.services.clock.now()).breaches


def test_status_history_is_written_for_every_change(desk: Desk) -> None:
    case_id = desk.ingest_case()
    desk.assign(desk.agent, case_id, desk.agent)
    desk.reply(desk.agent, case_id)
    desk.resolve(desk.agent, case_id)
    with desk.services.uow() as uow:
        history = [change.status for change in uow.sla.history(case_id)]
    assert history == [
        CaseStatus.NEW,
        CaseStatus.OPEN,
        CaseStatus.WAITING,
        CaseStatus.RESOLVED,
    ]


def test_saturday_complaint_is_due_monday_nine_and_not_breached_on_sunday(desk: Desk) -> None:
    configure(desk)
    set_clock(desk, warsaw(2026, 3, 14, 17, 7))
    case_id = desk.ingest_case(created_at=warsaw(2026, 3, 14, 17, 7).isoformat())

    set_clock(desk, warsaw(2026, 3, 15, 12, 0))
    sunday = sla(desk, case_id)
    assert not sunday.breached
    assert sunday.due_at == warsaw(2026, 3, 16, 9, 0)
    assert sweep(desk) == 0

    set_clock(desk, warsaw(2026, 3, 16, 9, 30))
    monday = sla(desk, case_id)
    assert monday.breached and monday.breached_at == warsaw(2026, 3, 16, 9, 0)


def test_a_breach_is_recorded_once_across_sweeps_with_one_event_and_audit(desk: Desk) -> None:
    configure(desk)
    case_id = desk.ingest_case()
    set_clock(desk, desk.services.clock.now() + timedelta(hours=2))
    desk.services.published.clear()

    assert sweep(desk) == 1
    assert sweep(desk) == 0

    breaches = [e for e in desk.services.published if isinstance(e, SlaBreached)]
    assert [(e.case_id, e.metric) for e in breaches] == [(case_id, "first_response")]
    with desk.services.uow() as uow:
        assert uow.sla.recorded(case_id) == {"first_response"}
        entries = uow.audit.list(desk.workspace.id, subject=f"case:{case_id}")
    sla_entries = [e for e in entries if e.action == "case.sla_breach"]
    assert len(sla_entries) == 1 and sla_entries[0].actor_rule == "system"


def test_waiting_for_the_customer_pauses_the_clock(desk: Desk) -> None:
    configure(desk, sla={"resolution": 8 * HOUR})
    start = desk.services.clock.now()  # Tuesday 10:00 in Warsaw
    case_id = desk.ingest_case(created_at=start.isoformat())
    set_clock(desk, start + timedelta(hours=1))
    desk.reply(desk.agent, case_id)  # waiting for the customer from now on
    set_clock(desk, start + timedelta(hours=5))
    paused = sla(desk, case_id, SlaMetric.RESOLUTION)
    assert paused.state is ClockState.PAUSED
    assert paused.elapsed == pytest.approx(HOUR)

    desk.ingest(created_at=(start + timedelta(hours=5)).isoformat())  # the customer answers
    set_clock(desk, start + timedelta(hours=5, minutes=30))
    running = sla(desk, case_id, SlaMetric.RESOLUTION)
    assert running.state is ClockState.RUNNING
    assert running.elapsed == pytest.approx(1.5 * HOUR)
    assert sweep(desk) == 0


def test_settings_are_for_owners_and_admins_and_hidden_from_other_tenants(
    desk: Desk, other_desk: Desk
) -> None:
    with desk.services.uow() as uow, pytest.raises(PermissionDenied):
        do_update_desk_settings(uow, desk.actor(desk.agent), {}, now=desk.services.clock.now())
    with pytest.raises(NotFound):
        desk.actor(other_desk.owner)
