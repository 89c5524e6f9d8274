"""``mentiondesk alerts``: list, acknowledge, resolve and annotate alerts, run the escalation
sweep from cron, and show or set the on-call rota."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from mentiondesk.analytics.alerts import (
    alerts_for,
    do_acknowledge_alert,
    do_add_alert_note,
    do_escalate_alerts,
    do_resolve_alert,
    do_update_rota,
    load_rota,
)
from mentiondesk.cli.common import acting, fail, open_services
from mentiondesk.cli.options import DatabaseUrl, DataDir
from mentiondesk.domain.alerts import AlertState

app = typer.Typer(
    help="Crisis and SLA alerts, escalation and the on-call rota.", no_args_is_help=True
)

Workspace = Annotated[str, typer.Option("--workspace", help="Workspace slug.")]
As = Annotated[str | None, typer.Option("--as", help="E-mail of the person acting.")]


@app.command("list")
def list_alerts(
    workspace: Workspace,
    state: Annotated[
        str | None, typer.Option(help="open, acknowledged or resolved; all when left out.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """The workspace's alerts, newest first."""
    if state is not None and state not in {s.value for s in AlertState}:
        fail(f"unknown state {state!r}: expected open, acknowledged or resolved")
    states = (AlertState(state),) if state else ()
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        alerts = alerts_for(uow, acting(uow, workspace, None), states)
    for a in alerts:
        if as_json:
            row = {
                "id": a.id,
                "kind": a.kind,
                "channel": a.channel,
                "state": a.state.value,
                "title": a.title,
                "started_at": a.started_at.isoformat(),
                "raised_at": a.raised_at.isoformat(),
                "level": a.level,
                "posts": list(a.posts),
                "case_id": a.case_id,
            }
            typer.echo(json.dumps(row))
        else:
            raised = a.raised_at.strftime("%Y-%m-%d %H:%M")
            typer.echo(f"{a.id}\t{a.state.value}\t{a.kind}\t{a.channel}\t{raised}\t{a.title}")
    if not alerts and not as_json:
        typer.echo("no alerts")


@app.command("ack")
def acknowledge(
    workspace: Workspace,
    alert_id: Annotated[int, typer.Argument(help="The alert's id.")],
    as_email: As = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Acknowledge an open alert: its escalation stops."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        alert = do_acknowledge_alert(
            uow, acting(uow, workspace, as_email), alert_id, now=services.clock.now()
        )
    typer.echo(f"alert {alert.id} acknowledged")


@app.command("resolve")
def resolve(
    workspace: Workspace,
    alert_id: Annotated[int, typer.Argument(help="The alert's id.")],
    note: Annotated[str, typer.Option(help="A note to leave with it.")] = "",
    as_email: As = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Resolve an open or acknowledged alert, optionally with a note."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        actor = acting(uow, workspace, as_email)
        if note:
            do_add_alert_note(uow, actor, alert_id, note, now=services.clock.now())
        alert = do_resolve_alert(uow, actor, alert_id, now=services.clock.now())
    typer.echo(f"alert {alert.id} resolved")


@app.command("note")
def note(
    workspace: Workspace,
    alert_id: Annotated[int, typer.Argument(help="The alert's id.")],
    text: Annotated[str, typer.Argument(help="The note.")],
    as_email: As = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Add a note to an alert."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        do_add_alert_note(
            uow, acting(uow, workspace, as_email), alert_id, text, now=services.clock.now()
        )
    typer.echo(f"note added to alert {alert_id}")


@app.command("sweep")
def sweep(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Escalate unacknowledged alerts that waited long enough, and send what the outbox holds
    (the web server does this every minute; run it from cron when it is not running)."""
    with open_services(data_dir, database_url) as services:
        with services.uow() as uow:
            steps = do_escalate_alerts(uow, services.clock.now())
        attempted = services.sweep_effects()
    typer.echo(f"escalated {steps} alert(s); {attempted} outbox item(s) attempted")


@app.command("rota")
def rota(
    workspace: Workspace,
    set_from: Annotated[
        Path | None,
        typer.Option("--set", help="A JSON file with the new rota (see README); shown if absent."),
    ] = None,
    as_email: As = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Show the on-call rota as JSON, or replace it from a file."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        actor = acting(uow, workspace, as_email)
        if set_from is None:
            typer.echo(json.dumps(load_rota(uow, actor.workspace).as_dict(), indent=2))
            return
        try:
            raw = json.loads(set_from.read_text())
        except (OSError, ValueError) as exc:
            fail(f"cannot read {set_from}: {exc}")
        if not isinstance(raw, dict):
            fail("the rota file must hold a JSON object")
        saved = do_update_rota(uow, actor, raw, now=services.clock.now())
    typer.echo(json.dumps(saved.as_dict(), indent=2))
