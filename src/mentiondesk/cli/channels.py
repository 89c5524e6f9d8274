"""``mentiondesk channel``: connect Facebook Pages and Instagram accounts, list, pause, resume
and remove them, and reconcile what webhooks missed (for a scheduler, or after downtime)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from mentiondesk.cli import open_channels
from mentiondesk.cli.common import acting, fail, open_services
from mentiondesk.cli.options import DatabaseUrl, DataDir
from mentiondesk.desk.channels import (
    do_connect_channel,
    do_pause_channel,
    do_remove_channel,
    do_resume_channel,
    list_channels,
)
from mentiondesk.domain.channels import health_text
from mentiondesk.domain.errors import NotFound
from mentiondesk.domain.posts import Platform

app = typer.Typer(
    help="Channels: Facebook Pages, Instagram, Bluesky, Mastodon, Reddit, RSS/Atom and X.",
    no_args_is_help=True,
)
add_app = typer.Typer(help="Connect a channel.", no_args_is_help=True)
app.add_typer(add_app, name="add")
open_channels.register(add_app)
out = Console()

WorkspaceOpt = Annotated[str, typer.Option("--workspace", help="Workspace slug.")]
ChannelArg = Annotated[int, typer.Argument(help="The channel's id (see `channel list`).")]


def _connect(
    workspace: str,
    platform: Platform,
    external_id: str,
    token: str,
    messaging_id: str | None,
    data_dir: DataDir,
    database_url: DatabaseUrl,
) -> None:
    with open_services(data_dir, database_url) as services:
        if services.meta is None:
            fail("no Meta app is configured")
        with services.uow() as uow:
            account = do_connect_channel(
                uow,
                acting(uow, workspace, None),
                platform,
                external_id,
                token,
                app=services.meta,
                now=services.clock.now(),
                messaging_id=messaging_id,
            )
    reason = f" ({account.state_reason})" if account.state_reason else ""
    out.print(
        f"channel {account.id}: {platform.value} {account.name} {account.external_id} "
        f"connected; webhooks {account.subscription.value}{reason}"
    )


@add_app.command("facebook")
def add_facebook(
    workspace: WorkspaceOpt,
    page_id: Annotated[str, typer.Option("--page-id", help="The Facebook Page id.")],
    page_token: Annotated[
        str,
        typer.Option(
            "--page-token", envvar="MENTIONDESK_PAGE_TOKEN", help="A Page or system-user token."
        ),
    ],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Connect a Facebook Page (checks the token and subscribes the app to its webhooks)."""
    _connect(workspace, Platform.FACEBOOK, page_id, page_token, None, data_dir, database_url)


@add_app.command("instagram")
def add_instagram(
    workspace: WorkspaceOpt,
    account_id: Annotated[
        str, typer.Option("--account-id", help="The Instagram professional account id.")
    ],
    token: Annotated[
        str, typer.Option("--token", envvar="MENTIONDESK_IG_TOKEN", help="Its (Page) token.")
    ],
    page_id: Annotated[
        str | None,
        typer.Option("--page-id", help="The Facebook Page it is linked to (for messages)."),
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Connect an Instagram professional account."""
    _connect(workspace, Platform.INSTAGRAM, account_id, token, page_id, data_dir, database_url)


@app.command("list")
def list_(
    workspace: WorkspaceOpt, data_dir: DataDir = None, database_url: DatabaseUrl = None
) -> None:
    """The workspace's channels and their state."""
    with open_services(data_dir, database_url) as services:
        now = services.clock.now()
        with services.uow() as uow:
            accounts = list_channels(uow, acting(uow, workspace, None))
    table = Table("id", "platform", "account", "state", "last event", "heard by", "lag", "health")
    for column in table.columns:
        column.overflow = "fold"  # a narrow terminal wraps a reason, never cuts it
    for a in accounts:
        state = a.shown_state(now).value + (f": {a.state_reason}" if a.state_reason else "")
        if a.development:
            state += " (development channel)"
        last = a.last_event_at.strftime("%Y-%m-%d %H:%M") if a.last_event_at else "-"
        health = health_text(a)
        table.add_row(
            str(a.id),
            a.kind,
            f"{a.name} {a.external_id}" if a.name != a.external_id else a.name,
            state,
            last,
            "listen" if a.listened else f"webhooks {a.subscription.value}",
            health.lag,
            " ".join(x for x in (health.budget, health.error) if x) or "ok",
        )
    out.print(table)


@app.command("pause")
def pause(
    workspace: WorkspaceOpt,
    channel: ChannelArg,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Stop delivering on the channel; queued actions wait until it is resumed."""
    _change(data_dir, database_url, workspace, channel, do_pause_channel, "paused")


@app.command("resume")
def resume(
    workspace: WorkspaceOpt,
    channel: ChannelArg,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Deliver on a paused channel again."""
    _change(data_dir, database_url, workspace, channel, do_resume_channel, "resumed")


@app.command("remove")
def remove(
    workspace: WorkspaceOpt,
    channel: ChannelArg,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Forget the channel and its token (its posts and cases stay)."""
    _change(data_dir, database_url, workspace, channel, do_remove_channel, "removed")


@app.command("reconcile")
def reconcile(
    workspace: Annotated[
        str | None, typer.Option("--workspace", help="Only this workspace's channels.")
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Read each connected Page's recent posts and comments and add what webhooks missed."""
    with open_services(data_dir, database_url) as services:
        workspace_id = None
        if workspace is not None:
            with services.uow() as uow:
                found = uow.workspaces.get_by_slug(workspace)
            if found is None:
                raise NotFound(f"no workspace {workspace!r}")
            workspace_id = found.id
        report = services.reconcile_meta(workspace_id)
    out.print(
        f"{report.accounts} channel(s) read: {report.read} post(s) and comment(s), "
        f"{report.ingested} handed to the pipeline (already stored ones are kept once)"
    )
    for problem in report.failed or []:
        out.print(f"[red]failed:[/red] {problem}")
    if report.failed:
        raise typer.Exit(code=1)


def _change(
    data_dir: Path | None,
    database_url: str | None,
    workspace: str,
    channel: int,
    change: Callable[..., object],
    done: str,
) -> None:
    """Apply ``change`` to the channel as the command line (the workspace's owner)."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        change(uow, acting(uow, workspace, None), channel, now=services.clock.now())
    out.print(f"channel {channel} {done}")
