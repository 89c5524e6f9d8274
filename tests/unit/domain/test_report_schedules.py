"""Which period a scheduled summary covers, in the workspace's own time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.report_schedules import (
    Cadence,
    ReportSchedule,
    due_period,
    parse_hour,
    parse_weekday,
)

WARSAW = "Europe/Warsaw"


def schedule(cadence: Cadence, hour: int = 8, weekday: int = 0) -> ReportSchedule:
    return ReportSchedule(1, 1, cadence, hour, ("a@b.example",), weekday)


def test_a_daily_summary_covers_yesterday_once_its_hour_has_come() -> None:
    daily = schedule(Cadence.DAILY)
    # 07:30 in Warsaw (06:30 UTC): today's 08:00 summary is not due; the day before's is.
    assert due_period(daily, datetime(2026, 11, 18, 6, 30, tzinfo=UTC), WARSAW) == (
        date(2026, 11, 16),
        date(2026, 11, 16),
    )
    assert due_period(daily, datetime(2026, 11, 18, 7, 0, tzinfo=UTC), WARSAW) == (
        date(2026, 11, 17),
        date(2026, 11, 17),
    )


def test_a_weekly_summary_covers_the_seven_days_before_its_weekday() -> None:
    monday = schedule(Cadence.WEEKLY, hour=8, weekday=0)
    # Wednesday 18 Nov 2026: the latest Monday send was 16 Nov, covering 9..15 Nov.
    assert due_period(monday, datetime(2026, 11, 18, 12, tzinfo=UTC), WARSAW) == (
        date(2026, 11, 9),
        date(2026, 11, 15),
    )
    # Monday 23 Nov before 08:00 local: still last week's.
    assert due_period(monday, datetime(2026, 11, 23, 6, 59, tzinfo=UTC), WARSAW) == (
        date(2026, 11, 9),
        date(2026, 11, 15),
    )
    assert due_period(monday, datetime(2026, 11, 23, 7, 0, tzinfo=UTC), WARSAW) == (
        date(2026, 11, 16),
        date(2026, 11, 22),
    )


def test_the_local_day_decides_not_the_servers() -> None:
    daily = schedule(Cadence.DAILY, hour=0)
    # 23:30 UTC on the 17th is already 00:30 on the 18th in Warsaw.
    assert due_period(daily, datetime(2026, 11, 17, 23, 30, tzinfo=UTC), WARSAW)[0] == date(
        2026, 11, 17
    )


def test_weekdays_and_hours_are_read_as_people_write_them() -> None:
    assert parse_weekday("Mon") == 0 and parse_weekday("sunday") == 6 and parse_weekday("") == 0
    assert parse_hour("08:00") == 8 and parse_hour("") == 8
    with pytest.raises(InvalidInput):
        parse_weekday("someday")
    with pytest.raises(InvalidInput):
        parse_hour("25")
