"""``mentiondesk user signature``, ``saved-replies import`` and ``outbox retry`` (for cron)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from mentiondesk.cli.options import DatabaseUrl, DataDir, services_for
from mentiondesk.desk.access import actor_for
from mentiondesk.domain.errors import DomainError
from mentiondesk.replies.saved import do_import_saved_replies
from mentiondesk.replies.settings import do_set_signature

outbox_app = typer.Typer(help="The reply outbox.", no_args_is_help=True)
saved_app = typer.Typer(help="Saved replies.", no_args_is_help=True)
console = Console(stderr=True)


def register(app: typer.Typer, user_app: typer.Typer) -> None:
    """Attach the outbox group and the ``user signature`` command."""
    app.add_typer(outbox_app, name="outbox")
    app.add_typer(saved_app, name="saved-replies")
    user_app.command("signature")(user_signature)


def user_signature(
    email: Annotated[str, typer.Option(help="The user's e-mail.")],
    signature: Annotated[str, typer.Option(help='e.g. "Ania"; empty clears it.')],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Set a user's signature (appended to replies per each workspace's policy)."""
    from mentiondesk.cli.main import _fail

    services = services_for(data_dir, database_url)
    try:
        with services.uow() as uow:
            user = uow.users.get_by_email(email)
            if user is None:
                raise _fail(f"no user {email}")
            saved = do_set_signature(uow, user.id, signature)
    except DomainError as exc:
        raise _fail(str(exc)) from None
    finally:
        services.close()
    console.print(f"{email} signs as {saved!r}" if saved else f"{email} has no signature")


@outbox_app.command("retry")
def outbox_retry(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Attempt every reply whose next delivery attempt is due (safe to run every minute)."""

    services = services_for(data_dir, database_url)
    try:
        retried = services.delivery.retry_due()
    finally:
        services.close()
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
    from mentiondesk.cli.main import _fail

    services = services_for(data_dir, database_url)
    try:
        with services.uow() as uow, path.open(encoding="utf-8") as lines:
            user = uow.users.get_by_email(as_user)
            if user is None:
                raise _fail(f"no user {as_user}")
            actor = actor_for(uow, user, workspace)
            report = do_import_saved_replies(uow, actor, lines, now=services.clock.now())
    except DomainError as exc:
        raise _fail(str(exc)) from None
    finally:
        services.close()
    typer.echo(f"{report.created} created, {report.updated} updated")
