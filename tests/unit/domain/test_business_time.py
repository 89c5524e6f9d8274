"""Business-time arithmetic: specific stories first, then properties over zones and hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentiondesk.domain.business_time import BusinessCalendar, NeverOpenError, OpenPeriod
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.workspaces import WeeklyHours

WARSAW = ZoneInfo("Europe/Warsaw")
HOUR = 3600.0
ZONES = [
    "Europe/Warsaw",
    "Europe/Rome",
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "Pacific/Apia",
    "UTC",
]


def local(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))  # type: ignore[misc]


def warsaw(*args: int) -> datetime:
    return local("Europe/Warsaw", *args)


def every_day(open_: str, close: str) -> WeeklyHours:
    return WeeklyHours({d: ((open_, close),) for d in range(7)})


OFFICE = BusinessCalendar(WeeklyHours.office("08:00", "20:00"), "Europe/Warsaw")


# -- the complaint that arrives on Saturday evening -------------------------------------------


def test_a_saturday_complaint_accrues_no_business_time_until_monday_morning() -> None:
    saturday = warsaw(2025, 11, 15, 17, 7)
    assert not OFFICE.is_open(saturday)
    assert OFFICE.business_seconds_between(saturday, warsaw(2025, 11, 17, 8, 0)) == 0
    assert OFFICE.next_opening(saturday) == warsaw(2025, 11, 17, 8, 0)


def test_a_one_hour_target_set_on_saturday_is_due_monday_at_nine_local() -> None:
    due = OFFICE.add_business_seconds(warsaw(2025, 11, 15, 17, 7), HOUR)
    assert due == warsaw(2025, 11, 17, 9, 0)
    assert due.tzinfo is UTC


def test_time_left_at_closing_carries_over_to_the_next_opening() -> None:
    due = OFFICE.add_business_seconds(warsaw(2025, 11, 14, 19, 30), HOUR)
    assert due == warsaw(2025, 11, 17, 8, 30)


# -- inputs --------------------------------------------------------------------------------------


def test_naive_datetimes_are_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="aware"):
        OFFICE.is_open(datetime(2025, 11, 17, 9, 0))
    with pytest.raises(ValueError, match="end must be an aware"):
        OFFICE.business_seconds_between(warsaw(2025, 11, 17, 9), datetime(2025, 11, 18))


@pytest.mark.parametrize(
    ("hours", "zone"),
    [
        (WeeklyHours({0: (("0800", "20:00"),)}), "Europe/Warsaw"),
        (WeeklyHours({0: (("08:00", "2o:00"),)}), "Europe/Warsaw"),
        (WeeklyHours({0: (("24:00", "20:00"),)}), "Europe/Warsaw"),
        (WeeklyHours({0: (("08:00", "20:60"),)}), "Europe/Warsaw"),
        (WeeklyHours({7: (("08:00", "20:00"),)}), "Europe/Warsaw"),
        (WeeklyHours.office(), "Europe/Warszawa"),
    ],
)
def test_malformed_hours_and_unknown_zones_are_refused(hours: WeeklyHours, zone: str) -> None:
    with pytest.raises(InvalidInput):
        BusinessCalendar(hours, zone)


def test_negative_durations_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        OFFICE.add_business_seconds(warsaw(2025, 11, 17, 9), -1)


def test_an_always_closed_calendar_raises_instead_of_searching_forever() -> None:
    closed = BusinessCalendar(WeeklyHours(), "Europe/Warsaw")
    with pytest.raises(NeverOpenError):
        closed.next_opening(warsaw(2025, 1, 1))
    with pytest.raises(NeverOpenError):
        closed.add_business_seconds(warsaw(2025, 1, 1), 60)
    assert closed.business_seconds_between(warsaw(2025, 1, 1), warsaw(2026, 1, 1)) == 0


# -- periods, closings and holidays -------------------------------------------------------------


def test_next_closing_is_the_end_of_the_current_period_or_of_the_next_one() -> None:
    assert OFFICE.next_closing(warsaw(2025, 11, 17, 9)) == warsaw(2025, 11, 17, 20)
    assert OFFICE.next_closing(warsaw(2025, 11, 15, 9)) == warsaw(2025, 11, 17, 20)
    assert OFFICE.current_period(warsaw(2025, 11, 17, 9)) == OpenPeriod(
        warsaw(2025, 11, 17, 8), warsaw(2025, 11, 17, 20)
    )
    assert OFFICE.current_period(warsaw(2025, 11, 17, 20)) is None


def test_a_desk_open_around_the_clock_never_closes() -> None:
    always = BusinessCalendar(every_day("00:00", "24:00"), "Europe/Warsaw")
    assert always.next_closing(warsaw(2025, 6, 1, 12)) is None
    assert list(always.transitions(warsaw(2025, 6, 1), warsaw(2025, 6, 8))) == []


def test_a_period_closing_before_it_opens_runs_past_midnight() -> None:
    nights = BusinessCalendar(WeeklyHours({4: (("22:00", "06:00"),)}), "Europe/Warsaw")
    assert nights.is_open(warsaw(2025, 11, 15, 3, 0))  # Saturday small hours
    assert not nights.is_open(warsaw(2025, 11, 15, 6, 0))
    friday_evening, saturday_morning = warsaw(2025, 11, 14, 21), warsaw(2025, 11, 15, 7)
    assert nights.business_seconds_between(friday_evening, saturday_morning) == 8 * HOUR


def test_equal_open_and_close_means_a_full_day_from_the_opening() -> None:
    cal = BusinessCalendar(WeeklyHours({0: (("12:00", "12:00"),)}), "Europe/Warsaw")
    assert cal.business_seconds_between(warsaw(2025, 11, 17), warsaw(2025, 11, 19)) == 24 * HOUR


def test_closed_dates_are_closed_all_day_even_for_a_period_spilling_into_them() -> None:
    nights = BusinessCalendar(
        every_day("22:00", "06:00"), "Europe/Warsaw", closed_dates=frozenset({date(2025, 11, 11)})
    )
    assert nights.business_seconds_between(warsaw(2025, 11, 10, 12), warsaw(2025, 11, 12)) == (
        2 * HOUR
    )
    assert not nights.is_open(warsaw(2025, 11, 11, 1))


def test_a_special_opening_day_replaces_the_weekly_hours_and_wins_over_a_closed_date() -> None:
    cal = BusinessCalendar(
        WeeklyHours.office(),
        "Europe/Warsaw",
        closed_dates=frozenset({date(2025, 12, 24)}),
        special_days={date(2025, 12, 24): (("10:00", "14:00"),), date(2025, 12, 27): ()},
    )
    assert cal.business_seconds_between(warsaw(2025, 12, 24), warsaw(2025, 12, 25)) == 4 * HOUR
    assert cal.next_opening(warsaw(2025, 12, 24, 7)) == warsaw(2025, 12, 24, 10)
    special_saturday = BusinessCalendar(
        WeeklyHours.office(),
        "Europe/Warsaw",
        special_days={date(2025, 12, 20): (("09:00", "13:00"),)},
    )
    assert special_saturday.is_open(warsaw(2025, 12, 20, 12))


def test_a_calendar_ignores_later_changes_to_the_special_days_it_was_given() -> None:
    special = {date(2025, 11, 15): (("09:00", "13:00"),)}
    cal = BusinessCalendar(WeeklyHours.office(), "Europe/Warsaw", special_days=special)
    special[date(2025, 11, 16)] = (("09:00", "13:00"),)
    assert date(2025, 11, 16) not in cal.special_days
    assert not cal.is_open(warsaw(2025, 11, 16, 10))


def test_transitions_list_openings_and_closings_in_order() -> None:
    got = list(OFFICE.transitions(warsaw(2025, 11, 14, 12), warsaw(2025, 11, 17, 12)))
    assert got == [(warsaw(2025, 11, 14, 20), False), (warsaw(2025, 11, 17, 8), True)]


# -- daylight saving time --------------------------------------------------------------------


def test_the_spring_forward_day_has_twenty_three_open_hours() -> None:
    always = BusinessCalendar(every_day("00:00", "24:00"), "Europe/Warsaw")
    assert always.business_seconds_between(warsaw(2025, 3, 30), warsaw(2025, 3, 31)) == 23 * HOUR
    assert always.business_seconds_between(warsaw(2025, 10, 26), warsaw(2025, 10, 27)) == 25 * HOUR


def test_an_opening_in_the_skipped_hour_opens_when_the_clocks_jump() -> None:
    cal = BusinessCalendar(WeeklyHours({6: (("02:30", "04:00"),)}), "Europe/Warsaw")
    period = cal.current_period(warsaw(2025, 3, 30, 3, 30))
    assert period is not None
    assert period.opens_at == warsaw(2025, 3, 30, 3, 0)
    assert period.seconds == HOUR


def test_a_repeated_wall_time_means_its_first_occurrence() -> None:
    cal = BusinessCalendar(WeeklyHours({6: (("01:00", "02:30"),)}), "Europe/Warsaw")
    period = cal.current_period(datetime(2025, 10, 26, 0, 0, tzinfo=UTC))
    assert period == OpenPeriod(
        datetime(2025, 10, 25, 23, 0, tzinfo=UTC), datetime(2025, 10, 26, 0, 30, tzinfo=UTC)
    )


def test_lord_howe_half_hour_shift_is_counted() -> None:
    always = BusinessCalendar(every_day("00:00", "24:00"), "Australia/Lord_Howe")
    start = local("Australia/Lord_Howe", 2025, 10, 5)
    end = local("Australia/Lord_Howe", 2025, 10, 6)
    assert always.business_seconds_between(start, end) == 23.5 * HOUR


def test_the_day_samoa_skipped_holds_no_business_time() -> None:
    always = BusinessCalendar(every_day("08:00", "20:00"), "Pacific/Apia")
    start, end = local("Pacific/Apia", 2011, 12, 29), local("Pacific/Apia", 2012, 1, 1)
    assert always.business_seconds_between(start, end) == 2 * 12 * HOUR


# -- properties ----------------------------------------------------------------------------------

clock_times = st.integers(0, 24 * 4 - 1).map(lambda q: f"{q // 4:02d}:{q % 4 * 15:02d}")
periods = st.tuples(clock_times, clock_times | st.just("24:00"))
weekly_hours = st.dictionaries(
    st.integers(0, 6), st.lists(periods, min_size=1, max_size=2).map(tuple), min_size=1
).map(WeeklyHours)
instants = st.datetimes(datetime(2010, 1, 1), datetime(2035, 1, 1)).map(
    lambda naive: naive.replace(tzinfo=UTC)
)
durations = st.floats(0, 21 * 24 * HOUR, allow_nan=False)


@st.composite
def calendars(draw: st.DrawFn, near: datetime) -> BusinessCalendar:
    zone = draw(st.sampled_from(ZONES))
    first = near.astimezone(ZoneInfo(zone)).date()
    closed = draw(st.frozensets(st.integers(-3, 20).map(lambda n: first + timedelta(days=n))))
    return BusinessCalendar(draw(weekly_hours), zone, closed_dates=closed)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[BusinessCalendar, datetime]:
    start = draw(instants)
    return draw(calendars(start)), start


@settings(deadline=None)
@given(scenarios(), durations)
def test_counting_back_what_was_added_gives_the_same_duration(
    scenario: tuple[BusinessCalendar, datetime], seconds: float
) -> None:
    cal, start = scenario
    due = cal.add_business_seconds(start, seconds)
    assert due >= start
    assert cal.business_seconds_between(start, due) == pytest.approx(seconds, abs=1e-3)


@settings(deadline=None)
@given(scenarios(), durations, durations)
def test_business_time_adds_up_over_consecutive_spans(
    scenario: tuple[BusinessCalendar, datetime], d1: float, d2: float
) -> None:
    cal, a = scenario
    b = a + timedelta(seconds=d1)
    c = b + timedelta(seconds=d2)
    parts = cal.business_seconds_between(a, b) + cal.business_seconds_between(b, c)
    assert parts == pytest.approx(cal.business_seconds_between(a, c), abs=1e-3)
    assert 0 <= cal.business_seconds_between(a, c) <= (c - a).total_seconds() + 1e-3


@settings(deadline=None)
@given(scenarios(), durations, durations)
def test_more_business_time_never_lands_earlier(
    scenario: tuple[BusinessCalendar, datetime], s1: float, s2: float
) -> None:
    cal, start = scenario
    small, large = sorted((s1, s2))
    assert cal.add_business_seconds(start, small) <= cal.add_business_seconds(start, large)


@settings(deadline=None)
@given(scenarios(), st.floats(1, 7 * 24 * HOUR))
def test_a_deadline_lands_inside_open_time(
    scenario: tuple[BusinessCalendar, datetime], seconds: float
) -> None:
    cal, start = scenario
    due = cal.add_business_seconds(start, seconds)
    assert cal.is_open(due - timedelta(microseconds=1))
    opening = cal.next_opening(start)
    assert cal.is_open(opening)
    assert cal.business_seconds_between(start, opening) == 0


@settings(deadline=None)
@given(scenarios(), st.integers(-3, 20))
def test_no_business_time_is_ever_counted_on_a_closed_date(
    scenario: tuple[BusinessCalendar, datetime], offset: int
) -> None:
    cal, start = scenario
    day = start.astimezone(cal.zone).date() + timedelta(days=offset)
    cal = BusinessCalendar(cal.hours, cal.time_zone, closed_dates=cal.closed_dates | {day})
    midnight = datetime.combine(day, time(), tzinfo=cal.zone)
    next_midnight = datetime.combine(day + timedelta(days=1), time(), tzinfo=cal.zone)
    assert cal.business_seconds_between(midnight, next_midnight) == 0
    assert not cal.is_open(midnight + (next_midnight - midnight) / 2)


@settings(deadline=None)
@given(scenarios(), durations)
def test_is_open_agrees_with_the_transitions(
    scenario: tuple[BusinessCalendar, datetime], seconds: float
) -> None:
    cal, start = scenario
    end = start + timedelta(seconds=seconds)
    state = cal.is_open(start - timedelta(microseconds=1))  # an opening at start counts
    for at, opens in cal.transitions(start, end):
        assert opens is not state
        assert cal.is_open(at) is opens
        state = opens
    at_end = [opens for _, opens in cal.transitions(end, end + timedelta(microseconds=1))]
    assert cal.is_open(end) is state or at_end == [not state]
