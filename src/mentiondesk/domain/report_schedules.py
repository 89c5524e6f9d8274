"""Scheduled report e-mails: who gets a daily or weekly summary, and which period is due.

Periods are whole local days of the workspace's time zone. A daily summary covers yesterday
and goes out at ``hour`` today; a weekly one covers the seven days before ``weekday`` and
goes out on that weekday at ``hour`` (Monday 08:00 sends Monday..Sunday of last week). Only
the latest complete period is due: a desk that was down for a week sends last week's
summary once, not seven daily ones, and each period is sent at most once (the outbox row's
key is workspace + schedule + period).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from mentiondesk.domain.errors import InvalidInput

__all__ = [
    "WEEKDAYS",
    "Cadence",
    "ReportSchedule",
    "due_period",
    "parse_cadence",
    "parse_hour",
    "parse_weekday",
]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_RECIPIENTS = 50


class Cadence(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"


@dataclass(slots=True)
class ReportSchedule:
    id: int
    workspace_id: int
    cadence: Cadence
    hour: int  # local hour 0..23 it goes out at
    recipients: tuple[str, ...]  # e-mail addresses of members
    weekday: int = 0  # 0 = Monday; weekly only
    last_period: date | None = None  # first day of the latest period queued
    created_at: datetime | None = None
    created_by: int | None = None

    def describe(self) -> str:
        at = f"{self.hour:02d}:00"
        if self.cadence is Cadence.DAILY:
            return f"daily at {at}, covering the day before"
        day = WEEKDAYS[self.weekday].capitalize()
        return f"weekly on {day} at {at}, covering the 7 days before"


def due_period(schedule: ReportSchedule, now: datetime, time_zone: str) -> tuple[date, date]:
    """The latest period whose summary is due at ``now``: its first and last local day."""
    local = now.astimezone(ZoneInfo(time_zone))
    today = local.date()
    sent_today = local.time() >= time(schedule.hour)
    if schedule.cadence is Cadence.DAILY:
        send_day = today if sent_today else today - timedelta(days=1)
        day = send_day - timedelta(days=1)
        return day, day
    back = (today.weekday() - schedule.weekday) % 7
    send_day = today - timedelta(days=back)
    if back == 0 and not sent_today:
        send_day -= timedelta(days=7)
    return send_day - timedelta(days=7), send_day - timedelta(days=1)


def parse_cadence(value: str) -> Cadence:
    try:
        return Cadence(value.strip().lower())
    except ValueError:
        raise InvalidInput("cadence", f"expected daily or weekly, got {value!r}") from None


def parse_weekday(value: str | int | None) -> int:
    """0..6 or a day's name (or its first three letters); empty means Monday."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    text = str(value).strip().lower()
    if text.isdigit() and 0 <= int(text) <= 6:
        return int(text)
    for number, name in enumerate(WEEKDAYS):
        if len(text) >= 3 and name.startswith(text):
            return number
    raise InvalidInput("weekday", f"expected a day of the week like monday, got {value!r}")


def parse_hour(value: str | int | None) -> int:
    """A local hour 0..23 ("8", "08" or "08:00"); empty means 8."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 8
    text = str(value).strip()
    if text.endswith(":00"):
        text = text[:-3]
    if text.isdigit() and 0 <= int(text) <= 23:
        return int(text)
    raise InvalidInput("hour", f"expected an hour from 0 to 23, got {value!r}")
