"""Business-time arithmetic: when a brand is open, and how much open time lies between instants.

SLA clocks count only the hours a brand publishes, so every target ("answer within 1 h") is
measured against a :class:`BusinessCalendar`. Everything here is pure: callers pass instants
(aware datetimes, returned in UTC) and nothing reads the system clock.

How wall-clock hours become instants:

* A period belongs to the local date it opens on. A period whose close is earlier than or equal
  to its open ends on the next day; "24:00" closes at the next midnight.
* A closed date (holiday, custom day off) is closed for the whole local day: periods opening
  on it are dropped and a period spilling into it from the evening before is cut at midnight.
  A special opening day replaces the weekly hours for that date and wins over a closed date.
* A wall time that does not exist (the hour skipped when clocks go forward) maps to the instant
  the clocks jump, so a period opening at 02:30 on that night opens at the jump (03:00).
  A wall time that occurs twice (clocks go back) maps to its first occurrence. Both rules keep
  the mapping from wall time to instant non-decreasing, so no period ever ends before it opens.
* Searches look at most :data:`HORIZON_DAYS` ahead; a calendar with no open time in that window
  raises :class:`NeverOpenError` instead of looping forever.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mentiondesk.domain.errors import DomainError, InvalidInput
from mentiondesk.domain.workspaces import WeeklyHours

__all__ = [
    "HORIZON_DAYS",
    "BusinessCalendar",
    "NeverOpenError",
    "OpenPeriod",
    "Periods",
    "business_span",
    "require_aware",
]

HORIZON_DAYS = 3 * 366
"""How far ahead a search for open time goes before it gives up."""

_DAY_MINUTES = 24 * 60
_CACHE_LIMIT = 4096

Periods = tuple[tuple[str, str], ...]
"""Opening periods of one day as ("HH:MM", "HH:MM") pairs, as in :class:`WeeklyHours`."""


class NeverOpenError(DomainError):
    """The calendar has no open time within the search horizon."""


@dataclass(frozen=True, slots=True)
class OpenPeriod:
    """One configured opening, as instants in UTC: ``opens_at`` <= t < ``closes_at``."""

    opens_at: datetime
    closes_at: datetime

    def __contains__(self, at: object) -> bool:
        return isinstance(at, datetime) and self.opens_at <= at < self.closes_at

    @property
    def seconds(self) -> float:
        return (self.closes_at - self.opens_at).total_seconds()


def require_aware(at: datetime, name: str = "at") -> datetime:
    """Return ``at`` in UTC; refuse naive datetimes, whose meaning depends on the server."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (UTC), got naive {at.isoformat()}")
    return at.astimezone(UTC)


def _parse_minutes(value: str, *, allow_24: bool, what: str) -> int:
    hours, sep, minutes = value.partition(":")
    well_formed = sep and len(hours) in (1, 2) and len(minutes) == 2
    if not (well_formed and f"{hours}{minutes}".isdigit()):
        raise InvalidInput(what, f"expected HH:MM, got {value!r}")
    h, m = int(hours), int(minutes)
    if allow_24 and (h, m) == (24, 0):
        return _DAY_MINUTES
    if h > 23 or m > 59:
        raise InvalidInput(what, f"{value!r} is not a time of day")
    return h * 60 + m


def _parse_periods(periods: Periods, what: str) -> tuple[tuple[int, int], ...]:
    """Periods as (open, close) minutes from the opening day's midnight; close may pass 1440."""
    parsed = []
    for open_, close in periods:
        start = _parse_minutes(open_, allow_24=False, what=what)
        end = _parse_minutes(close, allow_24=True, what=what)
        if end <= start:
            end += _DAY_MINUTES
        parsed.append((start, end))
    return tuple(sorted(parsed))


def _wall_to_utc(wall: datetime, zone: ZoneInfo) -> datetime:
    """Map a naive local wall time to an instant; see the module docstring for gaps and folds."""
    first = wall.replace(tzinfo=zone, fold=0)
    instant = first.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == wall:
        return instant  # exists; fold=0 is the first occurrence when it is ambiguous
    # In a gap: the jump lies between the instants read with the later and the earlier offset.
    after = wall.replace(tzinfo=zone, fold=1).utcoffset()
    before = first.utcoffset()
    assert after is not None and before is not None
    lo = int((wall - max(after, before)).replace(tzinfo=UTC).timestamp())
    hi = int((wall - min(after, before)).replace(tzinfo=UTC).timestamp()) + 1
    while hi - lo > 1:  # transitions fall on whole seconds
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, zone).replace(tzinfo=None) >= wall:
            hi = mid
        else:
            lo = mid
    return datetime.fromtimestamp(hi, UTC)


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """Published hours in one time zone, minus closed dates, plus special opening days."""

    hours: WeeklyHours
    time_zone: str
    closed_dates: frozenset[date] = frozenset()
    special_days: Mapping[date, Periods] = field(default_factory=dict)
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    _weekly: dict[int, tuple[tuple[int, int], ...]] = field(init=False, repr=False, compare=False)
    _special: dict[date, tuple[tuple[int, int], ...]] = field(init=False, repr=False, compare=False)
    _cache: dict[date, tuple[OpenPeriod, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            zone = ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidInput("time_zone", f"unknown IANA time zone {self.time_zone!r}") from exc
        weekly: dict[int, tuple[tuple[int, int], ...]] = {}
        for weekday, periods in self.hours.days.items():
            if weekday not in range(7):
                raise InvalidInput("hours", f"weekday must be 0 (Monday) to 6, got {weekday!r}")
            weekly[weekday] = _parse_periods(periods, "hours")
        special = {d: _parse_periods(p, "special_days") for d, p in self.special_days.items()}
        # Frozen copies: a caller mutating its dict later must not desynchronise the calendar.
        object.__setattr__(self, "special_days", MappingProxyType(dict(self.special_days)))
        object.__setattr__(self, "_zone", zone)
        object.__setattr__(self, "_weekly", weekly)
        object.__setattr__(self, "_special", special)
        object.__setattr__(self, "_cache", {})

    # -- what a local day looks like -------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        return self._zone

    def local(self, at: datetime) -> datetime:
        """``at`` as the brand's local wall time (aware, in the calendar's zone)."""
        return require_aware(at).astimezone(self._zone)

    def is_closed_date(self, day: date) -> bool:
        """Whether ``day`` is closed all day by the calendar, rather than by its weekly hours."""
        return day in self.closed_dates and day not in self._special

    def _minutes_of(self, day: date) -> tuple[tuple[int, int], ...]:
        if day in self._special:
            return self._special[day]
        if day in self.closed_dates:
            return ()
        return self._weekly.get(day.weekday(), ())

    def periods_on(self, day: date) -> tuple[OpenPeriod, ...]:
        """The periods opening on local ``day``, cut where they would run into a closed date."""
        cached = self._cache.get(day)
        if cached is not None:
            return cached
        midnight = datetime.combine(day, time())
        result = []
        cut_at_midnight = self.is_closed_date(day + timedelta(days=1))
        for start, end in self._minutes_of(day):
            close = min(end, _DAY_MINUTES) if cut_at_midnight else end
            opens = _wall_to_utc(midnight + timedelta(minutes=start), self._zone)
            closes = _wall_to_utc(midnight + timedelta(minutes=close), self._zone)
            if closes > opens:
                result.append(OpenPeriod(opens, closes))
        periods = tuple(result)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[day] = periods
        return periods

    def _periods_from(self, at: datetime, until: datetime) -> Iterator[OpenPeriod]:
        """Configured periods in order of opening, from those that may still contain ``at``
        to those opening by ``until``.

        Starts two local days back, since a period lasts at most a day and wall time can step
        back around a fold; the bound keeps a calendar with no open time from looping forever.
        """
        day = at.astimezone(self._zone).date() - timedelta(days=2)
        last = until.astimezone(self._zone).date() + timedelta(days=1)
        while day <= last:
            for period in self.periods_on(day):
                if period.opens_at > until:
                    return
                yield period
            day += timedelta(days=1)

    def _horizon(self, at: datetime) -> datetime:
        return at + timedelta(days=HORIZON_DAYS)

    # -- queries -----------------------------------------------------------------------------

    def is_open(self, at: datetime) -> bool:
        return self.current_period(at) is not None

    def current_period(self, at: datetime) -> OpenPeriod | None:
        """The configured period containing ``at`` (the latest-opening one if periods overlap)."""
        at = require_aware(at)
        found = None
        for period in self._periods_from(at, at):
            if at in period:
                found = period
        return found

    def next_opening(self, at: datetime) -> datetime:
        """The first instant at or after ``at`` when the calendar is open (``at`` if open)."""
        at = require_aware(at)
        for period in self._periods_from(at, self._horizon(at)):
            if period.closes_at > at:
                return max(period.opens_at, at)
        raise NeverOpenError(f"no open time within {HORIZON_DAYS} days after {at.isoformat()}")

    def next_closing(self, at: datetime) -> datetime | None:
        """When the calendar next stops being open after ``at``, if open; else after it opens.

        Adjoining periods (e.g. 00:00-24:00 every day) count as one stretch; ``None`` means no
        closing within the horizon, as for a desk staffed around the clock.
        """
        start = self.next_opening(at)
        end: datetime | None = None
        for period in self._periods_from(start, self._horizon(start)):
            if period.closes_at <= start:
                continue
            if end is not None and period.opens_at > end:
                return end
            end = period.closes_at if end is None else max(end, period.closes_at)
        return None

    def business_seconds_between(self, start: datetime, end: datetime) -> float:
        """Open seconds in [start, end); 0 when ``end`` is not after ``start``."""
        start, end = require_aware(start, "start"), require_aware(end, "end")
        if end <= start:
            return 0.0
        total = timedelta()
        cursor = start  # everything before the cursor is already counted or excluded
        for period in self._periods_from(start, end):
            lo = max(period.opens_at, cursor)
            hi = min(period.closes_at, end)
            if hi > lo:
                total += hi - lo
                cursor = hi
        return total.total_seconds()

    def add_business_seconds(self, start: datetime, seconds: float) -> datetime:
        """The instant at which ``seconds`` of open time have passed since ``start``.

        Zero returns ``start`` unchanged, even when closed: no open time is needed.
        """
        start = require_aware(start, "start")
        if seconds < 0:
            raise ValueError(f"seconds must not be negative, got {seconds}")
        remaining = timedelta(seconds=seconds)
        cursor = start
        while remaining:
            progressed = False
            for period in self._periods_from(cursor, self._horizon(cursor)):
                lo = max(period.opens_at, cursor)
                if period.closes_at <= lo:
                    continue
                available = period.closes_at - lo
                if available >= remaining:
                    return lo + remaining
                remaining -= available
                cursor, progressed = period.closes_at, True
            if not progressed:
                raise NeverOpenError(
                    f"no open time within {HORIZON_DAYS} days after {cursor.isoformat()}"
                )
        return cursor

    def transitions(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, bool]]:
        """Each instant in [start, end) where the calendar opens (True) or closes (False).

        Adjoining periods form one stretch, so midnight inside 00:00-24:00 days is no change.
        """
        start, end = require_aware(start, "start"), require_aware(end, "end")
        stretch_end: datetime | None = None
        for period in self._periods_from(start, end):
            if stretch_end is not None and period.opens_at <= stretch_end:
                stretch_end = max(stretch_end, period.closes_at)
                continue
            if stretch_end is not None and start <= stretch_end < end:
                yield stretch_end, False
            if period.opens_at >= end:
                return
            if period.opens_at >= start:
                yield period.opens_at, True
            stretch_end = period.closes_at
        if stretch_end is not None and start <= stretch_end < end:
            yield stretch_end, False


def business_span(seconds: float) -> str:
    """A target in words: "24 business hours", "90 business minutes", "1 business hour"."""
    minutes = round(seconds / 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} business hour{'' if hours == 1 else 's'}"
    return f"{minutes} business minute{'' if minutes == 1 else 's'}"
