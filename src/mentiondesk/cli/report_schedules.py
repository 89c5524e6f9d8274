"""``mentiondesk report schedule …`` and ``report send-due``: daily and weekly summary
e-mails to chosen members, sent through the outbox (SMTP: MENTIONDESK_SMTP_HOST)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from mentiondesk.analytics.schedules import (
    do_create_schedule,
    do_queue_due_summaries,
    do_remove_schedule,
    do_send_summary_now,
    preview,
    schedules_for,
)
from mentiondesk.cli.common import console, open_services
from mentiondesk.cli.options import DatabaseUrl, DataDir
from mentiondesk.desk.access import operator_actor
from mentiondesk.domain.report_schedules import parse_cadence, parse_hour, parse_weekday

schedule_app = typer.Typer(help="Daily and weekly summary e-mails to chosen members.")

Workspace = Annotated[str, typer.Option("--workspace", help="Workspace slug.")]
ScheduleId = Annotated[int, typer.Argument(help="The schedule's number (see `list`).")]


@schedule_app.command("add")
def add(
    workspace: Workspace,
    to: Annotated[
        list[str], typer.Option("--to", help="A member's e-mail address (repeat for more).")
    ],
    cadence: Annotated[str, typer.Option(help="daily or weekly.")] = "weekly",
    weekday: Annotated[str, typer.Option(help="Weekly: the day it goes out.")] = "monday",
    hour: Annotated[str, typer.Option(help="Local hour it goes out, 0-23.")] = "8",
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Subscribe members of WORKSPACE to a summary: volume, sentiment, response and
    resolution times, SLA, backlog, top complaint topics and new opportunities."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        actor = operator_actor(uow, workspace)
        created = do_create_schedule(
            uow,
            actor,
            cadence=parse_cadence(cadence),
            hour=parse_hour(hour),
            weekday=parse_weekday(weekday),
            recipients=to,
            now=services.clock.now(),
        )
    console.print(
        f"schedule {created.id}: {created.describe()}, to {', '.join(created.recipients)}"
    )


@schedule_app.command("list")
def list_(workspace: Workspace, data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """The workspace's scheduled summaries and who gets them."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        found = schedules_for(uow, operator_actor(uow, workspace))
    table = Table("id", "when", "to", "last period sent")
    for s in found:
        last = s.last_period.isoformat() if s.last_period else "–"
        table.add_row(str(s.id), s.describe(), ", ".join(s.recipients), last)
    console.print(table)


@schedule_app.command("remove")
def remove(
    workspace: Workspace,
    schedule_id: ScheduleId,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Stop a scheduled summary."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        do_remove_schedule(
            uow, operator_actor(uow, workspace), schedule_id, now=services.clock.now()
        )
    console.print(f"removed schedule {schedule_id}")


@schedule_app.command("preview")
def show(
    workspace: Workspace,
    schedule_id: ScheduleId,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Print the e-mail the schedule would send for its latest complete period."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        _, _, subject, text = preview(
            uow, operator_actor(uow, workspace), schedule_id, now=services.clock.now()
        )
    typer.echo(f"Subject: {subject}\n\n{text}")


@schedule_app.command("send-now")
def send_now(
    workspace: Workspace,
    schedule_id: ScheduleId,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Send the latest complete period's summary to the schedule's people now."""
    with open_services(data_dir, database_url) as services:
        with services.uow() as uow:
            item_id = do_send_summary_now(
                uow, operator_actor(uow, workspace), schedule_id, now=services.clock.now()
            )
        item = services.outbox.attempt(item_id)
    console.print(f"summary e-mail {item.status.value}" + _why(item.failure_reason))


def _why(reason: str | None) -> str:
    return f": {reason}" if reason else ""


def send_due(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Queue and send every scheduled summary whose period is due, in every workspace (each
    period once; run it from cron if no `mentiondesk worker` or web app runs)."""
    with open_services(data_dir, database_url) as services:
        with services.uow() as uow:
            queued = do_queue_due_summaries(uow, services.clock.now())
        states = [services.outbox.attempt(i) for i in queued]
    sent = sum(1 for s in states if s.status.value in ("sent", "simulated"))
    console.print(f"{len(queued)} summary e-mail(s) due; {sent} delivered")
    for item in states:
        if item.failure_reason:
            console.print(f"  outbox {item.id}: {item.status.value}{_why(item.failure_reason)}")


def register(app: typer.Typer) -> None:
    app.add_typer(schedule_app, name="schedule")
    app.command("send-due")(send_due)
