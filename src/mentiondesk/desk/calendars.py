"""Build a workspace's :class:`BusinessCalendar` from its hours and public-holiday calendars.

The domain only knows a set of closed dates; which dates those are is a matter of national
calendars, so the ``holidays`` package is confined to this adapter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

import holidays

from mentiondesk.domain.business_time import BusinessCalendar, Periods, require_aware
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.workspaces import WeeklyHours, Workspace

__all__ = [
    "HolidaySource",
    "build_calendar",
    "holiday_dates",
    "workspace_calendar",
    "years_around",
]


@dataclass(frozen=True, slots=True)
class HolidaySource:
    """A national holiday calendar: ISO country code, optionally one subdivision."""

    country: str
    subdivision: str | None = None

    @classmethod
    def parse(cls, code: str) -> HolidaySource:
        """``"PL"`` or ``"GB-SCT"`` (country, hyphen, subdivision as ``holidays`` names it)."""
        country, _, subdivision = code.strip().partition("-")
        if not country:
            raise InvalidInput("holiday_country", f"expected a country code, got {code!r}")
        return cls(country.upper(), subdivision.upper() or None)

    def __str__(self) -> str:
        return self.country if self.subdivision is None else f"{self.country}-{self.subdivision}"


def _source(item: str | HolidaySource) -> HolidaySource:
    return item if isinstance(item, HolidaySource) else HolidaySource.parse(item)


def holiday_dates(sources: Iterable[str | HolidaySource], years: Iterable[int]) -> frozenset[date]:
    """Every public holiday of the given calendars in ``years``, observed days included."""
    wanted = sorted(set(years))
    if not wanted:
        return frozenset()
    dates: set[date] = set()
    for source in map(_source, sources):
        try:
            calendar = holidays.country_holidays(
                source.country, subdiv=source.subdivision, years=wanted
            )
        except NotImplementedError as exc:
            raise InvalidInput("holiday_country", f"no holiday calendar for {source}") from exc
        dates.update(calendar.keys())
    return frozenset(dates)


def years_around(at: datetime, before: int = 1, after: int = 1) -> range:
    """The years worth loading around ``at``: enough for any clock that is still running."""
    year = require_aware(at).year
    return range(year - before, year + after + 1)


def build_calendar(
    hours: WeeklyHours,
    time_zone: str,
    *,
    years: Iterable[int],
    holiday_countries: Iterable[str | HolidaySource] = (),
    closed_days: Iterable[date] = (),
    special_days: Mapping[date, Periods] | None = None,
) -> BusinessCalendar:
    """Weekly hours closed on national holidays and custom days, open on special days."""
    closed = holiday_dates(holiday_countries, years) | frozenset(closed_days)
    return BusinessCalendar(hours, time_zone, closed, dict(special_days or {}))


def workspace_calendar(
    workspace: Workspace,
    years: Iterable[int],
    *,
    extra_countries: Iterable[str | HolidaySource] = (),
    closed_days: Iterable[date] = (),
    special_days: Mapping[date, Periods] | None = None,
) -> BusinessCalendar:
    """The calendar a workspace's SLA clocks and published hours run on."""
    countries: list[str | HolidaySource] = list(extra_countries)
    if workspace.holiday_country:
        countries.insert(0, workspace.holiday_country)
    return build_calendar(
        workspace.hours,
        workspace.time_zone,
        years=years,
        holiday_countries=countries,
        closed_days=closed_days,
        special_days=special_days,
    )
