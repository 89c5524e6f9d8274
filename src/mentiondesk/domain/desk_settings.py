"""A workspace's desk settings: business hours, SLA targets, follow-up window, acknowledgements.

One value object holds everything the SLA clocks, the case router and the published hours read,
so the three can never disagree about when the brand is open. It round-trips through plain
JSON (``to_dict``/``from_dict``) and validates on construction, so a stored or submitted
setting that would break a clock is refused with the field it concerns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mentiondesk.domain.business_time import BusinessCalendar, Periods
from mentiondesk.domain.desk_texts import check_texts
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.sla import MAX_TARGET_SECONDS, SlaPolicy
from mentiondesk.domain.workspaces import WeeklyHours, Workspace

__all__ = ["DEFAULT_FOLLOW_UP_WINDOW", "DeskSettings"]

DEFAULT_FOLLOW_UP_WINDOW = 24 * 3600.0
"""Seconds within which a new post by the same author joins their open case."""

_COUNTRY = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,5})?$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_CHANNEL = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


def _date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput(what, f"expected a date as YYYY-MM-DD, got {value!r}") from None


def _target(value: Any, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(what, f"expected seconds as a number, got {value!r}")
    return float(value)


@dataclass(frozen=True, slots=True)
class DeskSettings:
    """Everything a workspace configures about its hours and promises."""

    time_zone: str = "Europe/Warsaw"
    hours: WeeklyHours = field(default_factory=WeeklyHours.office)
    holiday_countries: tuple[str, ...] = ("PL",)
    closed_days: tuple[date, ...] = ()
    special_days: Mapping[date, Periods] = field(default_factory=dict)
    sla: SlaPolicy = field(default_factory=SlaPolicy)
    follow_up_window: float = DEFAULT_FOLLOW_UP_WINDOW
    ack_enabled: bool = False
    channels: Mapping[str, str] = field(default_factory=dict)
    publish_hours: bool = False  # post the opening and closing posts on each channel
    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # see desk_texts

    def __post_init__(self) -> None:
        object.__setattr__(self, "texts", check_texts(self.texts))
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise InvalidInput("time_zone", f"unknown time zone {self.time_zone!r}") from None
        for code in self.holiday_countries:
            if not _COUNTRY.match(code):
                raise InvalidInput("holiday_countries", f"expected a code like PL, got {code!r}")
        if not 0 <= self.follow_up_window <= MAX_TARGET_SECONDS:
            raise InvalidInput("follow_up_window", "must be between 0 seconds and 365 days")
        for channel, language in self.channels.items():
            if not _CHANNEL.match(channel):
                raise InvalidInput("channels", f"not a channel name: {channel!r}")
            if not _LANGUAGE.match(language):
                raise InvalidInput("channels", f"not a language code: {language!r}")
        # Building a calendar checks every period's HH:MM once, here, not at the first clock.
        self.calendar(closed=frozenset())

    def calendar(self, closed: frozenset[date]) -> BusinessCalendar:
        """The business calendar, closed on ``closed`` (the national holidays) and custom days."""
        return BusinessCalendar(
            self.hours,
            self.time_zone,
            closed | frozenset(self.closed_days),
            dict(self.special_days),
        )

    @classmethod
    def defaults_for(cls, workspace: Workspace) -> DeskSettings:
        """What a workspace that never saved its settings runs on: its columns, no SLA, and
        each platform it has a handle on, in its first working language."""
        countries = (workspace.holiday_country,) if workspace.holiday_country else ()
        language = workspace.languages[0] if workspace.languages else "en"
        return cls(
            time_zone=workspace.time_zone,
            hours=workspace.hours,
            holiday_countries=countries,
            channels={platform: language for platform in workspace.brand.handles},
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "time_zone": self.time_zone,
            "hours": self.hours.to_dict(),
            "holiday_countries": list(self.holiday_countries),
            "closed_days": [d.isoformat() for d in sorted(self.closed_days)],
            "special_days": {
                d.isoformat(): [list(p) for p in periods]
                for d, periods in sorted(self.special_days.items())
            },
            "sla": {
                "first_response": self.sla.first_response,
                "next_response": self.sla.next_response,
                "resolution": self.sla.resolution,
            },
            "follow_up_window": self.follow_up_window,
            "ack_enabled": self.ack_enabled,
            "publish_hours": self.publish_hours,
            "channels": dict(sorted(self.channels.items())),
            "texts": {lang: dict(kinds) for lang, kinds in sorted(self.texts.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], base: DeskSettings | None = None) -> DeskSettings:
        """Settings from JSON; keys left out keep their value in ``base`` (or the default)."""
        base = base or cls()
        try:
            sla = data.get("sla")
            policy = (
                base.sla
                if sla is None
                else SlaPolicy(
                    first_response=_target(sla.get("first_response"), "sla.first_response"),
                    next_response=_target(sla.get("next_response"), "sla.next_response"),
                    resolution=_target(sla.get("resolution"), "sla.resolution"),
                )
            )
            hours = data.get("hours")
            special = data.get("special_days")
            closed = data.get("closed_days")
            return cls(
                time_zone=str(data.get("time_zone", base.time_zone)),
                hours=base.hours if hours is None else WeeklyHours.from_dict(hours),
                holiday_countries=tuple(
                    str(c).strip().upper()
                    for c in data.get("holiday_countries", base.holiday_countries)
                ),
                closed_days=base.closed_days
                if closed is None
                else tuple(_date(d, "closed_days") for d in closed),
                special_days=base.special_days
                if special is None
                else {
                    _date(d, "special_days"): tuple((p[0], p[1]) for p in periods)
                    for d, periods in special.items()
                },
                sla=policy,
                follow_up_window=float(data.get("follow_up_window", base.follow_up_window)),
                ack_enabled=bool(data.get("ack_enabled", base.ack_enabled)),
                publish_hours=bool(data.get("publish_hours", base.publish_hours)),
                channels={
                    str(k): str(v).lower() for k, v in data.get("channels", base.channels).items()
                },
                texts={
                    str(lang): {str(k): str(v) for k, v in kinds.items()}
                    for lang, kinds in data.get("texts", base.texts).items()
                },
            )
        except (AttributeError, IndexError, KeyError, OverflowError, TypeError, ValueError) as exc:
            raise InvalidInput("settings", f"malformed settings: {exc}") from exc
