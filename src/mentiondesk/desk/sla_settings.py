"""Reading and changing a workspace's desk settings (hours, SLA targets, acknowledgements)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from mentiondesk.desk.access import Actor
from mentiondesk.desk.calendars import holiday_dates, years_around
from mentiondesk.desk.published_hours import (
    ScheduledPost,
    closing_text,
    opening_text,
    out_of_hours_ack,
    schedule_posts,
)
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.business_time import BusinessCalendar, NeverOpenError
from mentiondesk.domain.desk_settings import DeskSettings
from mentiondesk.domain.desk_texts import TEXT_LANGUAGES
from mentiondesk.domain.events import DeskSettingsChanged
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.storage.unit_of_work import UnitOfWork


def load_desk_settings(uow: UnitOfWork, workspace: Workspace) -> DeskSettings:
    """The saved settings, or what the workspace's own columns imply when none were saved."""
    base = DeskSettings.defaults_for(workspace)
    stored = uow.sla.desk_settings(workspace.id)
    return base if stored is None else DeskSettings.from_dict(stored, base)


def desk_calendar(settings: DeskSettings, around: datetime) -> BusinessCalendar:
    """The calendar for clocks near ``around``: national holidays of the years around it."""
    closed = holiday_dates(settings.holiday_countries, years_around(around))
    return settings.calendar(closed)


def do_update_desk_settings(
    uow: UnitOfWork, actor: Actor, changes: Mapping[str, Any], *, now: datetime, reason: str = ""
) -> DeskSettings:
    """Apply ``changes`` (keys as in ``DeskSettings.to_dict``) and audit old and new values.

    Only owners and admins may; the holiday calendars are checked before anything is saved."""
    actor.require_settings()
    before = load_desk_settings(uow, actor.workspace)
    after = DeskSettings.from_dict(changes, before)
    holiday_dates(after.holiday_countries, [now.year])  # refuses an unknown country
    uow.sla.put_desk_settings(
        actor.workspace.id,
        after.to_dict(),
        time_zone=after.time_zone,
        hours=after.hours.to_dict(),
        holiday_country=after.holiday_countries[0] if after.holiday_countries else None,
    )
    uow.audit.append(
        AuditEntry.by(
            actor,
            "workspace.settings",
            f"workspace:{actor.workspace.id}",
            at=now,
            reason=reason,
            data={"before": before.to_dict(), "after": after.to_dict()},
        )
    )
    uow.collect([DeskSettingsChanged(actor.workspace.id, now)])
    uow.commit()
    actor.workspace.time_zone = after.time_zone
    actor.workspace.hours = after.hours
    return after


def preview_desk_settings(
    uow: UnitOfWork, actor: Actor, changes: Mapping[str, Any]
) -> DeskSettings:
    """What ``do_update_desk_settings`` would save, checked the same way, saving nothing."""
    actor.require_settings()
    return DeskSettings.from_dict(changes, load_desk_settings(uow, actor.workspace))


def text_previews(settings: DeskSettings, *, now: datetime) -> dict[str, dict[str, str]]:
    """Each language's opening post, closing post and acknowledgement as they would read at the
    desk's next opening, next closing and just after it closes."""
    calendar = desk_calendar(settings, now)
    try:
        opens = calendar.next_opening(now)
    except NeverOpenError:
        opens = now
    closes = calendar.next_closing(now) or now
    closed = closes + timedelta(minutes=1)
    previews = {}
    for language in TEXT_LANGUAGES:
        previews[language] = {
            "opening": opening_text(calendar, opens, language, settings.texts),
            "closing": closing_text(calendar, closes, language, settings.texts),
            "ack": out_of_hours_ack(calendar, closed, language, settings.texts)
            or "(the desk never closes: no acknowledgement is sent)",
        }
    return previews


def published_schedule(
    settings: DeskSettings, first_day: date, days: int, *, now: datetime
) -> list[ScheduledPost]:
    """Opening and closing posts for each configured channel over ``days`` local days
    (none when no channel is configured: there is nowhere to publish them)."""
    calendar = desk_calendar(settings, now)
    last_day = first_day + timedelta(days=days - 1)
    return schedule_posts(calendar, settings.channels, first_day, last_day, settings.texts)
