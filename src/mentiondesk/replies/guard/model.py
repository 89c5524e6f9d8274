"""What the reply guard is told (``GuardContext``) and what it answers (``GuardResult``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

__all__ = [
    "CHECKS",
    "REDIRECT_KINDS",
    "Detected",
    "Finding",
    "GuardContext",
    "GuardResult",
    "GuardSettings",
    "HotlineSchedule",
    "Person",
    "Severity",
]

CHECKS: tuple[str, ...] = (
    "unfilled_placeholder",
    "wrong_name",
    "duplicate_reply",
    "sensitive_public",
    "channel_redirect",
    "redirect_while_closed",
    "blame",
    "boilerplate",
    "missing_apology",
    "no_next_step",
    "missing_signature",
)
REDIRECT_KINDS: tuple[str, ...] = (
    "phone",
    "email",
    "chat",
    "form",
    "dm",
    "url",
    "other_team",
    "cant_help",  # "we can't help here": no channel, but the same brush-off
)


class Severity(StrEnum):
    BLOCK = "block"  # the reply must not go out as it is
    WARN = "warn"  # the agent should look again, but may send


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in a reply; ``start``/``end`` are character offsets in the reply (equal when
    the finding is about something missing: they then mark where it would go)."""

    check: str
    severity: Severity
    start: int
    end: int
    message: str
    suggestion: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The batch-contract shape."""
        return {
            "check": self.check,
            "severity": self.severity.value,
            "start": self.start,
            "end": self.end,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Detected:
    """What the guard recognised in the reply, whether or not it was a problem."""

    apology: bool = False
    redirect: tuple[str, ...] = ()
    signature: str | None = None
    next_step: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "apology": self.apology,
            "redirect": list(self.redirect),
            "signature": self.signature,
            "next_step": self.next_step,
        }


@dataclass(frozen=True, slots=True)
class GuardResult:
    findings: tuple[Finding, ...]
    detected: Detected

    @property
    def blocked(self) -> bool:
        return any(f.severity is Severity.BLOCK for f in self.findings)

    @property
    def checks(self) -> frozenset[str]:
        return frozenset(f.check for f in self.findings)


def _parse_hhmm(value: str) -> time:
    hours, _, minutes = value.strip().partition(":")
    if hours == "24" and minutes in ("", "00"):
        return time(23, 59, 59, 999999)
    return time(int(hours), int(minutes or 0))


@dataclass(frozen=True)
class HotlineSchedule:
    """When the phone line answers: weekday (0=Monday) -> (open "HH:MM", close "HH:MM") periods,
    in the hotline's own time zone. A weekday that is absent is closed all day."""

    days: Mapping[int, Sequence[tuple[str, str]]]
    time_zone: str = "Europe/Warsaw"

    @cached_property
    def _periods(self) -> dict[int, tuple[tuple[time, time], ...]]:
        return {
            int(day): tuple((_parse_hhmm(a), _parse_hhmm(b)) for a, b in periods)
            for day, periods in self.days.items()
        }

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def is_open(self, at: datetime) -> bool:
        """Whether the line answers at ``at`` (an aware datetime; naive ones are taken as UTC)."""
        if at.tzinfo is None:
            at = at.replace(tzinfo=ZoneInfo("UTC"))
        local = at.astimezone(self.zone)
        moment = local.time().replace(tzinfo=None)
        return any(a <= moment < b for a, b in self._periods.get(local.weekday(), ()))

    def periods(self, weekday: int) -> tuple[tuple[time, time], ...]:
        """(opens, closes) of each period on ``weekday`` (0=Monday)."""
        return self._periods.get(weekday, ())

    def open_during(self, weekday: int, start: time, end: time) -> bool:
        """Whether the line answers at some moment of ``weekday`` between ``start`` and ``end``."""
        return any(a < end and start < b for a, b in self._periods.get(weekday, ()))

    def next_opening(self, at: datetime) -> datetime | None:
        """When the line next opens after ``at``, in its own time zone; None if it never does."""
        if at.tzinfo is None:
            at = at.replace(tzinfo=ZoneInfo("UTC"))
        local = at.astimezone(self.zone)
        for offset in range(8):
            day = local + timedelta(days=offset)
            for opens, _closes in sorted(self._periods.get(day.weekday(), ())):
                candidate = day.replace(
                    hour=opens.hour, minute=opens.minute, second=0, microsecond=0
                )
                if candidate > local:
                    return candidate
        return None

    def describe(self) -> str:
        """ "Mon-Fri 08:00-17:00, Sat 09:00-13:00": weekdays with the same hours grouped."""
        names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
        groups: list[tuple[list[int], str]] = []
        for day in range(7):
            periods = self._periods.get(day, ())
            if not periods:
                continue
            hours = ", ".join(
                f"{a:%H:%M}-{'24:00' if b.second else f'{b:%H:%M}'}" for a, b in periods
            )
            if groups and groups[-1][1] == hours and groups[-1][0][-1] == day - 1:
                groups[-1][0].append(day)
            else:
                groups.append(([day], hours))
        if not groups:
            return "never open"
        return "; ".join(
            (names[d[0]] if len(d) == 1 else f"{names[d[0]]}-{names[d[-1]]}") + f" {hours}"
            for d, hours in groups
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HotlineSchedule:
        """``{"time_zone": "...", "days": {"0": [["08:00", "17:00"]], ...}}``."""
        days = data.get("days", {})
        if not isinstance(days, Mapping):
            raise ValueError("hotline.days must be an object of weekday -> periods")
        parsed = {
            int(day): tuple((str(p[0]), str(p[1])) for p in periods)
            for day, periods in days.items()
        }
        schedule = cls(parsed, str(data.get("time_zone", "Europe/Warsaw")))
        _ = schedule._periods, schedule.zone  # validate now, not at the first check
        return schedule


@dataclass(frozen=True, slots=True)
class Person:
    """Someone the reply may address: the author, or an earlier author in the same case."""

    name: str = ""
    handle: str = ""


@dataclass(frozen=True, slots=True)
class GuardSettings:
    """A workspace's guard settings; the defaults are what a workspace gets until it changes them.

    ``duplicate_threshold`` is the similarity (0..1, after masking names and numbers) above which
    a reply counts as the same text sent to another customer today. ``signature_pattern`` is an
    optional regex the reply's end must match when signatures are required. ``brand_handles``
    and ``brand_contacts`` are the workspace's own handles, phones and addresses, which a reply
    may name freely.
    """

    requires_signature: bool = False
    duplicate_threshold: float = 0.9
    duplicate_min_chars: int = 60
    hotline: HotlineSchedule | None = None
    time_zone: str = "Europe/Warsaw"
    order_pattern: str | None = None
    signature_pattern: str | None = None
    brand_handles: tuple[str, ...] = ()
    brand_contacts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GuardContext:
    """The post being answered and the workspace's rules. ``intent`` is triage's label when known
    ("complaint", "question", ...); without it the guard infers complaints from the post text.
    ``language`` is a hint: phrase lists of all supported languages are applied regardless."""

    post_text: str = ""
    author_name: str = ""
    author_handle: str = ""
    former_authors: tuple[Person, ...] = ()
    platform: str = ""
    language: str | None = None
    intent: str | None = None
    public: bool = True
    settings: GuardSettings = field(default_factory=GuardSettings)
    now: datetime | None = None
