"""Workspace calendars: national holidays from the ``holidays`` package, custom and special days."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from mentiondesk.desk.calendars import (
    HolidaySource,
    build_calendar,
    holiday_dates,
    workspace_calendar,
    years_around,
)
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.workspaces import BrandIdentity, WeeklyHours, Workspace

HOUR = 3600.0
OFFICE = WeeklyHours.office("08:00", "20:00")


def at(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))  # type: ignore[misc]


@pytest.mark.parametrize(
    "holiday", [date(2025, 11, 11), date(2025, 12, 24), date(2026, 12, 24), date(2025, 5, 1)]
)
def test_polish_public_holidays_are_closed(holiday: date) -> None:
    cal = build_calendar(OFFICE, "Europe/Warsaw", years=range(2025, 2027), holiday_countries=["PL"])
    noon = datetime(holiday.year, holiday.month, holiday.day, 12, tzinfo=ZoneInfo("Europe/Warsaw"))
    assert not cal.is_open(noon)


def test_christmas_eve_became_a_polish_holiday_only_in_2025() -> None:
    closed = holiday_dates(["PL"], [2024, 2025])
    assert date(2024, 12, 24) not in closed
    assert date(2025, 12, 24) in closed


def test_italian_immaculate_conception_is_closed_in_rome() -> None:
    cal = build_calendar(OFFICE, "Europe/Rome", years=[2025], holiday_countries=["IT"])
    assert not cal.is_open(at("Europe/Rome", 2025, 12, 8, 12))
    assert cal.is_open(at("Europe/Rome", 2025, 12, 9, 12))


def test_british_and_american_calendars_are_available() -> None:
    assert date(2025, 12, 26) in holiday_dates(["GB"], [2025])
    assert date(2026, 7, 3) in holiday_dates(["US"], [2026])  # 4 July observed on the Friday


def test_a_subdivision_adds_its_own_holidays() -> None:
    assert date(2025, 1, 2) not in holiday_dates(["GB"], [2025])
    assert date(2025, 1, 2) in holiday_dates(["GB-SCT"], [2025])
    assert date(2025, 1, 2) in holiday_dates([HolidaySource("GB", "SCT")], [2025])


def test_several_countries_are_merged() -> None:
    closed = holiday_dates(["PL", "IT"], [2025])
    assert {date(2025, 11, 11), date(2025, 12, 8)} <= closed


@pytest.mark.parametrize("code", ["XX", "PL-ZZ", ""])
def test_unknown_countries_and_subdivisions_are_refused(code: str) -> None:
    with pytest.raises(InvalidInput, match="holiday_country"):
        holiday_dates([code], [2025])


def test_a_target_set_before_a_holiday_is_due_after_it() -> None:
    cal = build_calendar(OFFICE, "Europe/Warsaw", years=[2025], holiday_countries=["PL"])
    due = cal.add_business_seconds(at("Europe/Warsaw", 2025, 11, 10, 19, 30), HOUR)
    assert due == at("Europe/Warsaw", 2025, 11, 12, 8, 30)


def test_custom_closed_days_and_special_opening_days_are_merged_in() -> None:
    cal = build_calendar(
        OFFICE,
        "Europe/Warsaw",
        years=[2025],
        holiday_countries=["PL"],
        closed_days=[date(2025, 11, 10)],
        special_days={date(2025, 11, 11): (("10:00", "14:00"),)},
    )
    assert not cal.is_open(at("Europe/Warsaw", 2025, 11, 10, 12))
    assert cal.is_open(at("Europe/Warsaw", 2025, 11, 11, 12))
    assert not cal.is_open(at("Europe/Warsaw", 2025, 11, 11, 15))


def test_a_workspace_calendar_uses_its_zone_hours_and_holiday_country() -> None:
    workspace = Workspace(
        1, "pizzeria", "Pizzeria", BrandIdentity(), time_zone="Europe/Rome", holiday_country="IT"
    )
    cal = workspace_calendar(workspace, [2025], extra_countries=["PL"])
    assert cal.time_zone == "Europe/Rome"
    assert not cal.is_open(at("Europe/Rome", 2025, 12, 8, 12))
    assert not cal.is_open(at("Europe/Rome", 2025, 11, 11, 12))
    assert cal.is_open(at("Europe/Rome", 2025, 11, 12, 19, 30))
    without = Workspace(2, "x", "X", BrandIdentity(), holiday_country=None)
    assert workspace_calendar(without, [2025]).closed_dates == frozenset()


def test_years_around_covers_the_year_before_and_after() -> None:
    assert years_around(datetime(2025, 12, 31, 23, tzinfo=UTC)) == range(2024, 2027)
    with pytest.raises(ValueError, match="aware"):
        years_around(datetime(2025, 1, 1))
