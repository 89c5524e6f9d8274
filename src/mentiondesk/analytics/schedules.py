"""Scheduled summaries: a workspace admin subscribes members to a daily or weekly e-mail,
and the sweep queues each due period's summary in the outbox as ``notify.email``.

Exactly once per period: the outbox row's dedupe key is ``report:{workspace}:{schedule}:
{first day}``, so two sweeps racing, or a sweep after a crash, queue one e-mail; the SMTP
notifier then gets the row's idempotency key per recipient. "Send now" queues the latest
complete period again under a key of its own (a preview for the people subscribed).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update

from mentiondesk.analytics.digest import summary_email
from mentiondesk.desk.access import Actor
from mentiondesk.desk.sla_settings import load_desk_settings
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.errors import InvalidInput, NotFound
from mentiondesk.domain.outbox import OutboxItem, PlatformAction
from mentiondesk.domain.report_schedules import (
    MAX_RECIPIENTS,
    Cadence,
    ReportSchedule,
    due_period,
)
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.storage.tables_schedules import report_schedules as rs
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = [
    "do_create_schedule",
    "do_queue_due_summaries",
    "do_remove_schedule",
    "do_send_summary_now",
    "member_emails",
    "preview",
    "schedules_for",
]


def _schedule(row: Any) -> ReportSchedule:
    return ReportSchedule(
        id=int(row.id),
        workspace_id=int(row.workspace_id),
        cadence=Cadence(row.cadence),
        hour=int(row.hour),
        recipients=tuple(row.recipients or ()),
        weekday=int(row.weekday),
        last_period=row.last_period,
        created_at=row.created_at,
        created_by=row.created_by,
    )


def schedules_for(uow: UnitOfWork, actor: Actor) -> list[ReportSchedule]:
    """The workspace's schedules; any member may see who gets what."""
    rows = uow.connection.execute(
        select(rs).where(rs.c.workspace_id == actor.workspace.id).order_by(rs.c.id)
    )
    return [_schedule(r) for r in rows]


def _get(uow: UnitOfWork, workspace_id: int, schedule_id: int) -> ReportSchedule:
    row = uow.connection.execute(
        select(rs).where(rs.c.id == schedule_id, rs.c.workspace_id == workspace_id)
    ).first()
    if row is None:
        raise NotFound(f"no scheduled report {schedule_id}")
    return _schedule(row)


def member_emails(uow: UnitOfWork, workspace_id: int) -> list[str]:
    """E-mail addresses of the workspace's active members: who may be subscribed."""
    return sorted(user.email for user, _ in uow.users.members(workspace_id) if user.is_active)


def _recipients(uow: UnitOfWork, workspace_id: int, addresses: Sequence[str]) -> tuple[str, ...]:
    chosen = list(dict.fromkeys(a.strip().lower() for a in addresses if a.strip()))
    if not chosen:
        raise InvalidInput("recipients", "choose at least one member to send the summary to")
    if len(chosen) > MAX_RECIPIENTS:
        raise InvalidInput("recipients", f"at most {MAX_RECIPIENTS} people per schedule")
    members = {e.lower() for e in member_emails(uow, workspace_id)}
    strangers = [a for a in chosen if a not in members]
    if strangers:
        raise InvalidInput("recipients", f"not a member of this workspace: {', '.join(strangers)}")
    return tuple(chosen)


def do_create_schedule(
    uow: UnitOfWork,
    actor: Actor,
    *,
    cadence: Cadence,
    hour: int,
    weekday: int,
    recipients: Sequence[str],
    now: datetime,
) -> ReportSchedule:
    """Subscribe members; the first e-mail goes at the next send time (the period already
    due is marked as sent: "send now" is there for one today)."""
    actor.require_settings()
    chosen = _recipients(uow, actor.workspace.id, recipients)
    schedule = ReportSchedule(0, actor.workspace.id, cadence, hour, chosen, weekday)
    time_zone = load_desk_settings(uow, actor.workspace).time_zone
    schedule.last_period = due_period(schedule, now, time_zone)[0]
    created = uow.connection.execute(
        rs.insert().values(
            workspace_id=actor.workspace.id,
            cadence=cadence.value,
            weekday=weekday,
            hour=hour,
            recipients=list(chosen),
            last_period=schedule.last_period,
            created_by=actor.user.id or None,
            created_at=now,
        )
    )
    schedule.id = int(created.inserted_primary_key[0])  # type: ignore[index]
    uow.audit.append(
        AuditEntry.by(
            actor,
            "report_schedule.create",
            f"report_schedule:{schedule.id}",
            at=now,
            data={"cadence": cadence.value, "hour": hour, "weekday": weekday},
        )
    )
    uow.commit()
    return schedule


def do_remove_schedule(uow: UnitOfWork, actor: Actor, schedule_id: int, *, now: datetime) -> None:
    actor.require_settings()
    _get(uow, actor.workspace.id, schedule_id)
    uow.connection.execute(delete(rs).where(rs.c.id == schedule_id))
    uow.audit.append(
        AuditEntry.by(actor, "report_schedule.remove", f"report_schedule:{schedule_id}", at=now)
    )
    uow.commit()


def _still_members(uow: UnitOfWork, schedule: ReportSchedule) -> list[str]:
    """The recipients who are still active members: a person who left the workspace (or was
    deactivated) stops getting its figures even if nobody edited the schedule."""
    members = {e.lower() for e in member_emails(uow, schedule.workspace_id)}
    return [r for r in schedule.recipients if r.lower() in members]


def _item(
    workspace: Workspace, recipients: list[str], schedule: ReportSchedule, key: str,
    subject: str, text: str,
) -> OutboxItem:  # fmt: skip
    return OutboxItem.notification(
        workspace.id,
        PlatformAction.NOTIFY_EMAIL,
        key,
        {
            "to": recipients,
            "subject": subject,
            "text": text,
            "report_schedule_id": schedule.id,
        },
    )


def period_key(workspace: Workspace, schedule: ReportSchedule, first: date) -> str:
    return f"report:{workspace.id}:{schedule.id}:{first.isoformat()}"


def preview(
    uow: UnitOfWork, actor: Actor, schedule_id: int, *, now: datetime
) -> tuple[date, date, str, str]:
    """The latest due period of a schedule and the subject and text its e-mail has."""
    schedule = _get(uow, actor.workspace.id, schedule_id)
    time_zone = load_desk_settings(uow, actor.workspace).time_zone
    first, last = due_period(schedule, now, time_zone)
    subject, text = summary_email(uow, actor.workspace, schedule.cadence, first, last, now=now)
    return first, last, subject, text


def do_send_summary_now(uow: UnitOfWork, actor: Actor, schedule_id: int, *, now: datetime) -> int:
    """Queue the latest complete period's summary to the schedule's people at once."""
    actor.require_settings()
    schedule = _get(uow, actor.workspace.id, schedule_id)
    first, _, subject, text = preview(uow, actor, schedule_id, now=now)
    recipients = _still_members(uow, schedule)
    if not recipients:
        raise InvalidInput("schedule", "none of this schedule's people is a member any more")
    key = f"{period_key(actor.workspace, schedule, first)}:now:{now.isoformat()}"
    item = _item(actor.workspace, recipients, schedule, key, subject, text)
    item_id = uow.outbox.enqueue(item, now=now)
    uow.audit.append(
        AuditEntry.by(actor, "report_schedule.send_now", f"report_schedule:{schedule.id}", at=now)
    )
    uow.commit()
    if item_id is None:  # the same instant twice: already queued
        raise InvalidInput("schedule", "this summary was just queued")
    return item_id


def do_queue_due_summaries(uow: UnitOfWork, now: datetime) -> list[int]:
    """Queue every schedule's due period not queued yet, in every workspace; the outbox ids
    queued now (the web sweeper, ``mentiondesk worker`` and ``report send-due`` call this)."""
    queued: list[int] = []
    rows = list(uow.connection.execute(select(rs).order_by(rs.c.workspace_id, rs.c.id)))
    workspaces: dict[int, Workspace | None] = {}
    for row in rows:
        schedule = _schedule(row)
        if schedule.workspace_id not in workspaces:
            workspaces[schedule.workspace_id] = uow.workspaces.get(schedule.workspace_id)
        workspace = workspaces[schedule.workspace_id]
        if workspace is None:
            continue
        time_zone = load_desk_settings(uow, workspace).time_zone
        first, last = due_period(schedule, now, time_zone)
        if schedule.last_period is not None and schedule.last_period >= first:
            continue
        recipients = _still_members(uow, schedule)
        item_id = None
        if recipients:
            subject, text = summary_email(uow, workspace, schedule.cadence, first, last, now=now)
            key = period_key(workspace, schedule, first)
            item = _item(workspace, recipients, schedule, key, subject, text)
            item_id = uow.outbox.enqueue(item, now=now)
        uow.connection.execute(update(rs).where(rs.c.id == schedule.id).values(last_period=first))
        uow.commit()
        if item_id is not None:
            queued.append(item_id)
    return queued
