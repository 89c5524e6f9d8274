"""``mentiondesk user signature``, ``saved-replies import`` and ``outbox retry`` (for cron)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mentiondesk.cli.common import acting, console, open_services, user_named
from mentiondesk.cli.options import DatabaseUrl, DataDir
from mentiondesk.replies.saved import do_import_saved_replies
from mentiondesk.replies.settings import do_set_signature

outbox_app = typer.Typer(help="The reply outbox.", no_args_is_help=True)
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
def outbox_retry(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Attempt every reply whose next delivery attempt is due (safe to run every minute)."""
    with open_services(data_dir, database_url) as services:
        retried = services.delivery.retry_due()
    sent = sum(1 for r in retried if r.status.value == "sent")
    failed = sum(1 for r in retried if r.status.value == "failed")
    typer.echo(f"attempted {len(retried)}: {sent} sent, {failed} failed")


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
