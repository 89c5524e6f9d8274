"""Report periods and filters: local dates in, UTC instants and chart buckets out.

A report covers whole local days of the workspace's time zone, ``first`` to ``last``
inclusive, so "yesterday" means the brand's yesterday, not the server's. Ranges of two days or
less are bucketed by local hour, longer ones by local day; a day that loses or gains an hour
when clocks change has 23 or 25 hour buckets.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from mentiondesk.domain.errors import InvalidInput

__all__ = [
    "DEFAULT_DAYS",
    "MAX_DAYS",
    "Bucketing",
    "Compare",
    "Period",
    "ReportFilter",
    "buckets",
    "comparison_period",
    "parse_compare",
    "parse_filters",
    "parse_range",
]

MAX_DAYS = 400
"""The longest range a report covers: a year and a bit, enough to compare with last year."""

HOURLY_UP_TO_DAYS = 2
DEFAULT_DAYS = 30


class Bucketing(StrEnum):
    DAY = "day"
    HOUR = "hour"


class Compare(StrEnum):
    PREVIOUS = "previous"  # the same number of days just before
    YEAR = "year"  # the same dates a year earlier
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Period:
    """Local dates ``first``..``last`` inclusive in ``time_zone``."""

    first: date
    last: date
    time_zone: str

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidInput(
                "to", f"the range ends ({self.last}) before it starts ({self.first})"
            )
        if self.days > MAX_DAYS:
            raise InvalidInput("to", f"a report covers at most {MAX_DAYS} days, got {self.days}")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def start(self) -> datetime:
        return _local_midnight(self.first, self.zone)

    @property
    def end(self) -> datetime:
        """The first instant after the period (exclusive)."""
        return _local_midnight(self.last + timedelta(days=1), self.zone)

    @property
    def bucketing(self) -> Bucketing:
        return Bucketing.HOUR if self.days <= HOURLY_UP_TO_DAYS else Bucketing.DAY

    def in_zone(self, time_zone: str) -> Period:
        return replace(self, time_zone=time_zone)


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def comparison_period(period: Period, compare: Compare) -> Period | None:
    if compare is Compare.NONE:
        return None
    if compare is Compare.YEAR:
        try:
            first = period.first.replace(year=period.first.year - 1)
        except ValueError:  # 29 February
            first = period.first.replace(year=period.first.year - 1, day=28)
        return Period(first, first + timedelta(days=period.days - 1), period.time_zone)
    last = period.first - timedelta(days=1)
    return Period(last - timedelta(days=period.days - 1), last, period.time_zone)


@dataclass(frozen=True, slots=True)
class ReportFilter:
    """Which cases and posts a report counts; ``None`` means any.

    ``agent_id`` and ``team`` select cases by their current assignee (posts by their case);
    ``mention_kind`` by how the case's first post named the brand."""

    platform: str | None = None
    language: str | None = None
    agent_id: int | None = None
    team: str | None = None
    mention_kind: str | None = None

    @property
    def needs_case(self) -> bool:
        """Whether posts must be read through their case (posts without one are left out)."""
        return any(v is not None for v in (self.agent_id, self.team, self.mention_kind))

    def as_dict(self) -> dict[str, object]:
        return {
            "platform": self.platform,
            "language": self.language,
            "agent_id": self.agent_id,
            "team": self.team,
            "mention_kind": self.mention_kind,
        }


@dataclass(frozen=True, slots=True)
class Bucket:
    start: datetime  # UTC
    end: datetime
    label: str  # local, e.g. "2026-03-10" or "2026-03-10 14:00"


def buckets(period: Period) -> list[Bucket]:
    """Every bucket of the period in order, empty ones included."""
    zone = period.zone
    out: list[Bucket] = []
    if period.bucketing is Bucketing.DAY:
        day = period.first
        while day <= period.last:
            nxt = day + timedelta(days=1)
            out.append(Bucket(_local_midnight(day, zone), _local_midnight(nxt, zone), str(day)))
            day = nxt
        return out
    at, end = period.start, period.end
    while at < end:
        local = at.astimezone(zone)
        # Step an hour in UTC, then back to the local hour's start: a change of offset by
        # half an hour still leaves one bucket per local hour.
        ahead = (at + timedelta(hours=1)).astimezone(zone)
        nxt = min(end, at + timedelta(hours=1, minutes=-ahead.minute))
        out.append(Bucket(at, nxt, local.strftime("%Y-%m-%d %H:%M")))
        at = nxt
    return out


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(field, f"expected a date as YYYY-MM-DD, got {value!r}") from None


def parse_range(first: str | None, last: str | None, today: date) -> tuple[date, date]:
    """The dates a request names; by default the last :data:`DEFAULT_DAYS` days to today."""
    end = _date(last, "to") if last else today
    start = _date(first, "from") if first else end - timedelta(days=DEFAULT_DAYS - 1)
    Period(start, end, "UTC")  # refuses a reversed or too long range, naming the field
    return start, end


def parse_compare(value: str | None) -> Compare:
    try:
        return Compare(value or Compare.PREVIOUS.value)
    except ValueError:
        choices = ", ".join(c.value for c in Compare)
        raise InvalidInput("compare", f"expected one of {choices}, got {value!r}") from None


def parse_filters(
    *,
    platform: str | None = None,
    language: str | None = None,
    agent: int | None = None,
    team: str | None = None,
    kind: str | None = None,
    platforms: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
) -> ReportFilter:
    """A filter from request values; empty strings mean "any", unknown values are refused."""
    platform, language, team, kind = (
        v.strip() or None if v else None for v in (platform, language, team, kind)
    )
    if platform is not None and platforms and platform not in platforms:
        raise InvalidInput("platform", f"unknown channel {platform!r}")
    if kind is not None and kinds and kind not in kinds:
        raise InvalidInput("kind", f"expected one of {', '.join(kinds)}, got {kind!r}")
    if language is not None and not (2 <= len(language) <= 8 and language.isalpha()):
        raise InvalidInput("language", f"expected a language code like pl, got {language!r}")
    return ReportFilter(platform, language, agent, team, kind)
