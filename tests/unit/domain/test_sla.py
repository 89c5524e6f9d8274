"""SLA clocks: business time only, paused while waiting for the customer, breaches once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentiondesk.domain.business_time import BusinessCalendar
from mentiondesk.domain.cases import CaseStatus
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.events import SlaBreached
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.sla import (
    CaseTimeline,
    ClockState,
    MetricState,
    SlaClock,
    SlaMetric,
    SlaPolicy,
    StatusSpan,
    breach_events,
    evaluate_sla,
    new_breaches,
)
from mentiondesk.domain.workspaces import WeeklyHours

HOUR = 3600.0
MINUTE = 60.0
OFFICE = BusinessCalendar(WeeklyHours.office("08:00", "20:00"), "Europe/Warsaw")


def warsaw(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo("Europe/Warsaw"))  # type: ignore[misc]


def metric(
    policy: SlaPolicy, timeline: CaseTimeline, now: datetime, which: SlaMetric
) -> MetricState:
    state = evaluate_sla(policy, timeline, OFFICE, now).get(which)
    assert state is not None
    return state


SATURDAY_COMPLAINT = warsaw(2025, 11, 15, 17, 7)
ONE_HOUR_FIRST_RESPONSE = SlaPolicy(first_response=HOUR)
FIRST = SlaMetric.FIRST_RESPONSE
NEXT = SlaMetric.NEXT_RESPONSE
RESOLUTION = SlaMetric.RESOLUTION


# -- first response ------------------------------------------------------------------------------


def test_a_weekend_complaint_is_due_one_business_hour_after_monday_opening() -> None:
    timeline = CaseTimeline(opened_at=SATURDAY_COMPLAINT)
    state = metric(ONE_HOUR_FIRST_RESPONSE, timeline, warsaw(2025, 11, 16, 23, 0), FIRST)
    assert state.elapsed == 0
    assert state.state is ClockState.RUNNING
    assert state.due_at == warsaw(2025, 11, 17, 9, 0)
    assert state.remaining == HOUR
    assert not state.breached


def test_an_unanswered_complaint_breaches_at_the_due_time_and_goes_overdue() -> None:
    timeline = CaseTimeline(opened_at=SATURDAY_COMPLAINT)
    state = metric(ONE_HOUR_FIRST_RESPONSE, timeline, warsaw(2025, 11, 17, 9, 30), FIRST)
    assert state.breached
    assert state.breached_at == warsaw(2025, 11, 17, 9, 0)
    assert state.due_at == state.breached_at
    assert state.remaining == -30 * MINUTE


def test_a_reply_in_time_stops_the_clock_without_a_breach() -> None:
    timeline = CaseTimeline(
        opened_at=SATURDAY_COMPLAINT, agent_replies=(warsaw(2025, 11, 17, 8, 45),)
    )
    state = metric(ONE_HOUR_FIRST_RESPONSE, timeline, warsaw(2025, 11, 18, 12, 0), FIRST)
    assert state.state is ClockState.STOPPED
    assert state.elapsed == 45 * MINUTE
    assert not state.breached
    assert state.due_at is None


def test_a_zero_target_is_breached_as_soon_as_the_desk_opens() -> None:
    state = metric(
        SlaPolicy(first_response=0), CaseTimeline(SATURDAY_COMPLAINT), warsaw(2025, 11, 18), FIRST
    )
    assert state.breached_at == warsaw(2025, 11, 17, 8, 0)


# -- pausing -------------------------------------------------------------------------------------

MONDAY_CASE = CaseTimeline(
    opened_at=warsaw(2025, 11, 17, 9, 0),
    statuses=(
        StatusSpan(CaseStatus.OPEN, warsaw(2025, 11, 17, 9, 0), warsaw(2025, 11, 17, 9, 10)),
        StatusSpan(CaseStatus.WAITING, warsaw(2025, 11, 17, 9, 10), warsaw(2025, 11, 18, 9, 0)),
        StatusSpan(CaseStatus.OPEN, warsaw(2025, 11, 18, 9, 0)),
    ),
    customer_messages=(warsaw(2025, 11, 17, 9, 0), warsaw(2025, 11, 18, 9, 0)),
    agent_replies=(warsaw(2025, 11, 17, 9, 10),),
)


def test_the_resolution_clock_pauses_while_waiting_for_the_customer() -> None:
    policy = SlaPolicy(resolution=2 * HOUR)
    state = metric(policy, MONDAY_CASE, warsaw(2025, 11, 18, 10, 0), RESOLUTION)
    assert state.elapsed == 10 * MINUTE + HOUR
    assert not state.breached
    assert state.due_at == warsaw(2025, 11, 18, 10, 50)


def test_a_clock_waiting_for_the_customer_reports_paused_with_no_due_time() -> None:
    waiting = CaseTimeline(
        opened_at=MONDAY_CASE.opened_at,
        statuses=(StatusSpan(CaseStatus.WAITING, warsaw(2025, 11, 17, 9, 10)),),
        agent_replies=MONDAY_CASE.agent_replies,
    )
    state = metric(SlaPolicy(resolution=HOUR), waiting, warsaw(2025, 11, 19, 15, 0), RESOLUTION)
    assert state.state is ClockState.PAUSED
    assert state.elapsed == 10 * MINUTE
    assert state.due_at is None


def test_time_spent_resolved_before_a_reopening_does_not_count() -> None:
    reopened = CaseTimeline(
        opened_at=warsaw(2025, 11, 17, 9, 0),
        statuses=(
            StatusSpan(CaseStatus.RESOLVED, warsaw(2025, 11, 17, 10, 0), warsaw(2025, 11, 18, 9)),
        ),
        resolved_at=warsaw(2025, 11, 18, 9, 30),
    )
    state = metric(SlaPolicy(resolution=4 * HOUR), reopened, warsaw(2025, 11, 20), RESOLUTION)
    assert state.state is ClockState.STOPPED
    assert state.elapsed == 1.5 * HOUR


# -- next response -------------------------------------------------------------------------------


def test_next_response_is_idle_until_the_customer_writes_after_a_reply() -> None:
    policy = SlaPolicy(next_response=30 * MINUTE)
    fresh = CaseTimeline(opened_at=warsaw(2025, 11, 17, 9, 0))
    assert metric(policy, fresh, warsaw(2025, 11, 17, 12), NEXT).state is ClockState.IDLE
    answered = CaseTimeline(fresh.opened_at, agent_replies=(warsaw(2025, 11, 17, 9, 5),))
    assert metric(policy, answered, warsaw(2025, 11, 17, 12), NEXT).state is ClockState.IDLE


def test_next_response_runs_from_the_first_unanswered_follow_up() -> None:
    policy = SlaPolicy(next_response=30 * MINUTE)
    case = CaseTimeline(
        opened_at=warsaw(2025, 11, 17, 9, 0),
        customer_messages=(warsaw(2025, 11, 17, 10, 0), warsaw(2025, 11, 17, 10, 5)),
        agent_replies=(warsaw(2025, 11, 17, 9, 5), warsaw(2025, 11, 17, 10, 20)),
    )
    state = metric(policy, case, warsaw(2025, 11, 17, 12), NEXT)
    assert state.state is ClockState.STOPPED
    assert state.elapsed == 20 * MINUTE
    assert not state.breached


def test_a_late_next_response_stays_breached_after_later_quick_answers() -> None:
    policy = SlaPolicy(next_response=30 * MINUTE)
    case = CaseTimeline(
        opened_at=warsaw(2025, 11, 17, 9, 0),
        customer_messages=(warsaw(2025, 11, 17, 10, 0), warsaw(2025, 11, 17, 13, 0)),
        agent_replies=(
            warsaw(2025, 11, 17, 9, 5),
            warsaw(2025, 11, 17, 11, 0),
            warsaw(2025, 11, 17, 13, 5),
        ),
    )
    state = metric(policy, case, warsaw(2025, 11, 17, 14), NEXT)
    assert state.elapsed == 5 * MINUTE
    assert state.breached
    assert state.breached_at == warsaw(2025, 11, 17, 10, 30)


# -- recording breaches --------------------------------------------------------------------------


def test_a_breach_is_reported_once_however_often_the_clock_is_read() -> None:
    policy = SlaPolicy(first_response=HOUR, resolution=8 * HOUR)
    timeline = CaseTimeline(opened_at=SATURDAY_COMPLAINT)
    recorded: set[str] = set()
    raised: list[SlaBreached] = []
    for now in (warsaw(2025, 11, 17, 9, 30), warsaw(2025, 11, 17, 12), warsaw(2025, 11, 18, 9)):
        status = evaluate_sla(policy, timeline, OFFICE, now)
        fresh = breach_events(7, 3, status, recorded)
        recorded |= {e.metric for e in fresh}
        raised += fresh
    assert raised == [
        SlaBreached(7, 3, "first_response", HOUR, warsaw(2025, 11, 17, 9, 0)),
        SlaBreached(7, 3, "resolution", 8 * HOUR, warsaw(2025, 11, 17, 16, 0)),
    ]


def test_new_breaches_accepts_metrics_or_their_names() -> None:
    status = evaluate_sla(
        ONE_HOUR_FIRST_RESPONSE, CaseTimeline(SATURDAY_COMPLAINT), OFFICE, warsaw(2025, 11, 18)
    )
    assert [m.metric for m in new_breaches(status, set())] == [FIRST]
    assert new_breaches(status, {FIRST}) == ()
    assert new_breaches(status, {"first_response"}) == ()
    assert status.breached == {FIRST}


# -- policy, inputs, injected clock ----------------------------------------------------------------


def test_metrics_without_a_target_are_left_out() -> None:
    status = evaluate_sla(SlaPolicy(resolution=HOUR), MONDAY_CASE, OFFICE, warsaw(2025, 11, 18))
    assert [m.metric for m in status.metrics] == [RESOLUTION]
    assert status.get(FIRST) is None


def test_negative_targets_are_refused() -> None:
    with pytest.raises(InvalidInput, match="next_response"):
        SlaPolicy(next_response=-1)


def test_naive_instants_in_a_timeline_are_refused() -> None:
    with pytest.raises(ValueError, match="opened_at"):
        evaluate_sla(
            SlaPolicy(), CaseTimeline(datetime(2025, 11, 17, 9)), OFFICE, warsaw(2025, 11, 18)
        )


def test_naive_status_spans_are_refused() -> None:
    timeline = CaseTimeline(
        SATURDAY_COMPLAINT, statuses=(StatusSpan(CaseStatus.OPEN, datetime(2025, 11, 17, 9)),)
    )
    with pytest.raises(ValueError, match="status start"):
        evaluate_sla(SlaPolicy(resolution=HOUR), timeline, OFFICE, warsaw(2025, 11, 18))


def test_the_sla_clock_reads_the_injected_clock() -> None:
    clock = FixedClock(warsaw(2025, 11, 17, 8, 30))
    sla = SlaClock(ONE_HOUR_FIRST_RESPONSE, OFFICE, clock)
    before = sla.evaluate(CaseTimeline(SATURDAY_COMPLAINT)).get(FIRST)
    clock.set(warsaw(2025, 11, 17, 9, 1))
    after = sla.evaluate(CaseTimeline(SATURDAY_COMPLAINT)).get(FIRST)
    assert before is not None and after is not None
    assert (before.elapsed, before.breached) == (30 * MINUTE, False)
    assert (after.elapsed, after.breached) == (61 * MINUTE, True)


# -- properties ------------------------------------------------------------------------------------

instants = st.datetimes(datetime(2024, 1, 1), datetime(2026, 12, 31)).map(
    lambda naive: naive.replace(tzinfo=UTC)
)
spans = st.floats(0, 10 * 24 * HOUR, allow_nan=False).map(lambda s: timedelta(seconds=s))


@st.composite
def waiting_timelines(draw: st.DrawFn) -> CaseTimeline:
    opened = draw(instants)
    offsets = sorted(draw(st.lists(spans, max_size=6)))
    statuses = tuple(
        StatusSpan(CaseStatus.WAITING, opened + a, opened + b)
        for a, b in zip(offsets[::2], offsets[1::2], strict=False)
    )
    return CaseTimeline(opened, statuses=statuses)


@settings(deadline=None)
@given(waiting_timelines(), spans, spans, st.floats(0, 20 * HOUR))
def test_a_clock_only_grows_and_its_breach_instant_never_moves(
    timeline: CaseTimeline, d1: timedelta, d2: timedelta, target: float
) -> None:
    policy = SlaPolicy(resolution=target)
    earlier = evaluate_sla(policy, timeline, OFFICE, timeline.opened_at + d1).get(RESOLUTION)
    later = evaluate_sla(policy, timeline, OFFICE, timeline.opened_at + d1 + d2).get(RESOLUTION)
    assert earlier is not None and later is not None
    assert later.elapsed >= earlier.elapsed
    assert later.elapsed + later.remaining == pytest.approx(target, abs=1e-6)
    if earlier.breached:
        assert later.breached_at == earlier.breached_at


@settings(deadline=None)
@given(waiting_timelines(), spans, st.floats(0, 20 * HOUR))
def test_waiting_for_the_customer_never_adds_time(
    timeline: CaseTimeline, age: timedelta, target: float
) -> None:
    now = timeline.opened_at + age
    policy = SlaPolicy(resolution=target)
    paused = evaluate_sla(policy, timeline, OFFICE, now).get(RESOLUTION)
    assert paused is not None
    plain = OFFICE.business_seconds_between(timeline.opened_at, now)
    waited = sum(
        OFFICE.business_seconds_between(s.start, min(s.end or now, now))
        for s in timeline.statuses
        if s.start < now
    )
    assert paused.elapsed == pytest.approx(plain - waited, abs=1e-3)
    if paused.breached_at is not None:
        assert paused.breached_at <= now
        just_before = paused.breached_at - timedelta(microseconds=1)
        assert OFFICE.is_open(just_before) or OFFICE.is_open(paused.breached_at)
