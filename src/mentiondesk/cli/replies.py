"""``mentiondesk user signature``, ``saved-replies import`` and ``outbox list|retry``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from mentiondesk.cli.common import acting, console, fail, open_services, user_named
from mentiondesk.cli.options import DatabaseUrl, DataDir
from mentiondesk.desk.outbox_service import do_retry_item, outbox_listing
from mentiondesk.domain.replies import DeliveryStatus
from mentiondesk.replies.saved import do_import_saved_replies
from mentiondesk.replies.settings import do_set_signature

outbox_app = typer.Typer(
    help="The outbox of platform actions (replies, messages, hide/unhide/like, brand posts).",
    no_args_is_help=True,
)
saved_app = typer.Typer(help="Saved replies.", no_args_is_help=True)


def user_signature(
    email: Annotated[str, typer.Option(help="The user's e-mail.")],
    signature: Annotated[str, typer.Option(help='e.g. "Ania"; empty clears it.')],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Set a user's signature (appended to replies per each workspace's policy)."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        saved = do_set_signature(uow, user_named(uow, email).id, signature)
    console.print(f"{email} signs as {saved!r}" if saved else f"{email} has no signature")


@outbox_app.command("retry")
def outbox_retry(
    item: Annotated[
        int | None, typer.Option("--id", help="Put this failed item back in the queue first.")
    ] = None,
    workspace: Annotated[str | None, typer.Option(help="Workspace slug (with --id).")] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Run the follow-ups a killed process left behind, then attempt every outbox item whose
    next attempt is due (safe to run every minute from cron)."""
    if item is not None and workspace is None:
        fail("--id needs --workspace")
    with open_services(data_dir, database_url) as services:
        if item is not None:
            with services.uow() as uow:
                ws = uow.workspaces.get_by_slug(workspace or "")
                if ws is None:
                    fail(f"no workspace {workspace}")
                do_retry_item(uow, ws.id, item, now=services.clock.now())
        effects = services.dispatcher.sweep()
        retried = services.outbox.run_due()
    counts = Counter(i.status.value for i in retried)
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing due"
    typer.echo(f"follow-ups run: {effects}; attempted {len(retried)}: {summary}")


@outbox_app.command("list")
def outbox_list(
    workspace: Annotated[str | None, typer.Option(help="Workspace slug; all when omitted.")] = None,
    status: Annotated[
        str | None, typer.Option(help="queued, sent, simulated, failed or unsupported.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Every outbound platform action, newest first: what, where, its state and why."""
    try:
        wanted = DeliveryStatus(status) if status else None
    except ValueError:
        fail(f"unknown status {status!r}")
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        ws_id = None
        if workspace is not None:
            ws = uow.workspaces.get_by_slug(workspace)
            if ws is None:
                fail(f"no workspace {workspace}")
            ws_id = ws.id
        items = outbox_listing(uow, workspace_id=ws_id, status=wanted, limit=limit)
        stuck = uow.pending_effects.unfinished(limit)
    if not items:
        typer.echo("the outbox is empty")
    for i in items:
        target = (
            f"reply {i.reply_id}"
            if i.reply_id
            else f"post {i.post_id}"
            if i.post_id
            else f"hours post {i.hours_post_id}"
        )
        why = f"\t{i.failure_reason}" if i.failure_reason else ""
        typer.echo(
            f"{i.id}\t{i.action.value}\t{i.channel}\t{target}\t{i.status.label}"
            f"\tattempts {i.attempts}{why}"
        )
    for effect in [e for e in stuck if workspace is None or e.workspace_id == ws_id]:
        typer.echo(
            f"follow-up {effect.id}\t{effect.handler}\t{effect.status}\t"
            f"attempts {effect.attempts}\t{effect.last_error or ''}"
        )


@saved_app.command("import")
def saved_import(
    path: Annotated[Path, typer.Argument(help="JSON lines: language, title, body, tags.")],
    workspace: Annotated[str, typer.Option(help="Workspace slug.")],
    as_user: Annotated[str, typer.Option("--as", help="E-mail of an owner or admin.")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create or update (by language and title) a workspace's saved replies; all or nothing."""
    with (
        open_services(data_dir, database_url) as services,
        services.uow() as uow,
        path.open(encoding="utf-8") as lines,
    ):
        actor = acting(uow, workspace, as_user)
        report = do_import_saved_replies(uow, actor, lines, now=services.clock.now())
    typer.echo(f"{report.created} created, {report.updated} updated")
