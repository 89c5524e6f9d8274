"""Alerts and the on-call rota: plain values and the rules of who is told, and when.

An alert (a crisis the detector saw, or an SLA breach) goes to the person on call; unless
someone acknowledges it within ``escalate_after`` minutes it goes to the next person of the
shift, and so on, and finally to the workspace's owners. Which shift is on depends on the
workspace's local time: weekdays and weekends have their own shifts, and a public holiday is
covered by the weekend shifts. Everything here is pure; the caller brings the holidays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.events import Event

__all__ = [
    "AlertNotificationDue",
    "AlertRecord",
    "AlertState",
    "Notification",
    "Notifier",
    "OnCallRota",
    "Shift",
    "escalation_targets",
]


class AlertState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """A stored alert. ``posts`` are the ids of the stored posts that caused it; ``level`` is
    how far it has escalated (0: the person on call)."""

    id: int
    workspace_id: int
    kind: str  # volume, viral or sla
    channel: str
    title: str
    started_at: datetime
    raised_at: datetime
    state: AlertState = AlertState.OPEN
    posts: tuple[int, ...] = ()
    case_id: int | None = None
    level: int = 0
    notified: tuple[int, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)
    acknowledged_at: datetime | None = None
    acknowledged_by: int | None = None
    resolved_at: datetime | None = None


def _clock(value: str, what: str) -> time:
    try:
        hour, minute = value.strip().split(":")
        return time(int(hour), int(minute))
    except (ValueError, AttributeError):
        raise InvalidInput(what, f"expected HH:MM, got {value!r}") from None


@dataclass(frozen=True, slots=True)
class Shift:
    """From ``start`` to ``end`` local time (an ``end`` at or before ``start`` runs past
    midnight into the next day); ``people`` in the order they are called."""

    start: time
    end: time
    people: tuple[int, ...]

    def covers(self, day: date, at: datetime) -> bool:
        """Whether the shift that begins on ``day`` covers local time ``at``."""
        begin = datetime.combine(day, self.start, at.tzinfo)
        finish_day = day if self.end > self.start else day + timedelta(days=1)
        finish = datetime.combine(finish_day, self.end, at.tzinfo)
        return begin <= at < finish

    @classmethod
    def parse(cls, raw: object, what: str) -> Shift:
        if not isinstance(raw, dict):
            raise InvalidInput(what, "expected an object with start, end and people")
        people = raw.get("people", [])
        if not isinstance(people, list) or not all(
            isinstance(p, int) and not isinstance(p, bool) for p in people
        ):
            raise InvalidInput(f"{what}.people", "expected a list of user ids")
        if not people:
            raise InvalidInput(f"{what}.people", "a shift needs at least one person")
        return cls(
            _clock(str(raw.get("start", "")), f"{what}.start"),
            _clock(str(raw.get("end", "")), f"{what}.end"),
            tuple(people),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
            "people": list(self.people),
        }


@dataclass(frozen=True, slots=True)
class OnCallRota:
    """A workspace's rota; ``escalate_after`` minutes without an acknowledgement move an
    alert one step on. ``webhook_url``/``webhook_style`` (json, slack, teams) are optional."""

    weekday: tuple[Shift, ...] = ()
    weekend: tuple[Shift, ...] = ()
    escalate_after: int = 15
    webhook_url: str = ""
    webhook_style: str = "json"

    def shift_at(self, at: datetime, zone: ZoneInfo, holidays: frozenset[date]) -> Shift | None:
        """The shift on call at ``at``: a shift belongs to the day it begins on, and an
        overnight shift runs to its end, so the small hours of a Saturday belong to
        Friday's night shift when it has one."""
        local = at.astimezone(zone)
        for day in (local.date() - timedelta(days=1), local.date()):
            weekend = day.weekday() >= 5 or day in holidays
            for shift in self.weekend if weekend else self.weekday:
                if shift.covers(day, local):
                    return shift
        return None

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> OnCallRota:
        def shifts(name: str) -> tuple[Shift, ...]:
            items = raw.get(name, [])
            if not isinstance(items, list):
                raise InvalidInput(name, "expected a list of shifts")
            return tuple(Shift.parse(s, f"{name}[{i}]") for i, s in enumerate(items))

        try:
            minutes = int(raw.get("escalate_after", 15))
        except (TypeError, ValueError, OverflowError):
            raise InvalidInput("escalate_after", "expected whole minutes") from None
        if not 1 <= minutes <= 24 * 60:
            raise InvalidInput("escalate_after", "expected 1 to 1440 minutes")
        style = str(raw.get("webhook_style", "json"))
        if style not in ("json", "slack", "teams"):
            raise InvalidInput("webhook_style", "expected json, slack or teams")
        url = str(raw.get("webhook_url", "") or "").strip()
        if url and not url.startswith(("http://", "https://")):
            raise InvalidInput("webhook_url", "expected an http(s) URL")
        return cls(shifts("weekday"), shifts("weekend"), minutes, url, style)

    def as_dict(self) -> dict[str, Any]:
        return {
            "weekday": [s.as_dict() for s in self.weekday],
            "weekend": [s.as_dict() for s in self.weekend],
            "escalate_after": self.escalate_after,
            "webhook_url": self.webhook_url,
            "webhook_style": self.webhook_style,
        }


def escalation_targets(
    chain: tuple[int, ...], owners: tuple[int, ...], level: int
) -> tuple[int, ...]:
    """Who is told at ``level``: the shift's people one by one, then every owner."""
    if level < len(chain):
        return (chain[level],)
    return owners


def escalation_level(raised: datetime, now: datetime, every: timedelta, chain_len: int) -> int:
    """How far an unacknowledged alert has gone by ``now``: one step per ``every``, and no
    further than the owners (the step after the last person)."""
    steps = int((now - raised) / every) if now > raised else 0
    return min(steps, chain_len)


@dataclass(frozen=True, slots=True)
class Notification:
    """One message to one address: an e-mail address, or a webhook URL with its body."""

    to: str
    subject: str
    text: str
    body: dict[str, Any] = field(default_factory=dict)
    secret: str | None = None  # signs this webhook call instead of the notifier's own secret


class Notifier(Protocol):
    """A way to reach a person or a system (SMTP, an outgoing webhook). ``send`` raises
    ``connectors.base.DeliveryFailed`` when the message did not go; it returns a reference."""

    def send(self, message: Notification, idempotency_key: str) -> str | None: ...


@dataclass(frozen=True, slots=True)
class AlertNotificationDue(Event):
    """An alert was raised or escalated: ``recipients`` (user ids) are told at ``level``;
    the workspace's webhook hears of it when ``webhook`` is set."""

    alert_id: int
    workspace_id: int
    level: int
    recipients: tuple[int, ...]
    webhook: bool
    at: datetime
