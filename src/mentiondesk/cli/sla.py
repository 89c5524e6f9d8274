"""``mentiondesk sla`` and ``mentiondesk hours``: the breach sweep for cron, published hours."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from mentiondesk.cli.common import open_services
from mentiondesk.cli.options import DatabaseUrl, DataDir
from mentiondesk.desk.sla_service import do_record_breaches
from mentiondesk.desk.sla_settings import load_desk_settings, published_schedule
from mentiondesk.domain.errors import NotFound

sla_app = typer.Typer(help="SLA clocks and breaches.", no_args_is_help=True)
hours_app = typer.Typer(help="Published business hours.", no_args_is_help=True)


@sla_app.command("sweep")
def sweep(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Record SLA breaches of every workspace once (safe to run from cron every minute)."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        report = do_record_breaches(uow, services.clock.now())
    typer.echo(f"checked {report.cases} case(s), recorded {report.breaches} new breach(es)")


@hours_app.command("schedule")
def schedule(
    workspace: Annotated[str, typer.Option(help="Workspace slug.")],
    days: Annotated[int, typer.Option(min=1, max=62, help="How many local days, from today.")] = 7,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Print the opening and closing posts per channel, from the workspace's calendar."""
    with open_services(data_dir, database_url) as services:
        now = services.clock.now()
        with services.uow() as uow:
            ws = uow.workspaces.get_by_slug(workspace)
            if ws is None:
                raise NotFound(f"no workspace '{workspace}'")
            settings = load_desk_settings(uow, ws)
        zone = ZoneInfo(settings.time_zone)
        posts = published_schedule(settings, now.astimezone(zone).date(), days, now=now)
    last = now.astimezone(zone).date() + timedelta(days=days - 1)
    typer.echo(f"{ws.name}: {len(posts)} post(s) until {last.isoformat()} ({settings.time_zone})")
    for post in posts:
        when = post.at.astimezone(zone).strftime("%a %Y-%m-%d %H:%M")
        typer.echo(f"{when}\t{post.channel}\t{post.kind.value}\t{post.language}\t{post.text}")


@hours_app.command("publish")
def publish(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Publish the opening and closing posts that are due now, once each (the web server does
    this every minute; run it from cron when the server is not running)."""
    from mentiondesk.desk.hours_publishing import do_publish_hours_posts

    with open_services(data_dir, database_url) as services, services.uow() as uow:
        report = do_publish_hours_posts(uow, services.clock.now())
    simulated = f" ({report.simulated} on the development channel, not delivered)"
    typer.echo(
        f"published {report.published} post(s){simulated if report.simulated else ''}, "
        f"{report.failed} failed"
    )
