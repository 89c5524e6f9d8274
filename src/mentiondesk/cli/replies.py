"""``mentiondesk user signature``, ``saved-replies import`` and ``outbox list|retry``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from mentiondesk.cli.options import DatabaseUrl, DataDir, services_for
from mentiondesk.desk.access import actor_for
from mentiondesk.desk.outbox_service import do_retry_item, outbox_listing
from mentiondesk.domain.errors import DomainError
from mentiondesk.domain.replies import DeliveryStatus
from mentiondesk.replies.saved import do_import_saved_replies
from mentiondesk.replies.settings import do_set_signature

outbox_app = typer.Typer(
    help="The outbox of platform actions (replies, messages, hide/unhide/like, brand posts).",
    no_args_is_help=True,
)
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
    from mentiondesk.cli.main import _fail

    services = services_for(data_dir, database_url)
    try:
        if item is not None:
            if workspace is None:
                raise _fail("--id needs --workspace")
            with services.uow() as uow:
                ws = uow.workspaces.get_by_slug(workspace)
                if ws is None:
                    raise _fail(f"no workspace {workspace}")
                do_retry_item(uow, ws.id, item, now=services.clock.now())
        effects = services.dispatcher.sweep()
        retried = services.outbox.run_due()
    except DomainError as exc:
        raise _fail(str(exc)) from None
    finally:
        services.close()
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
    from mentiondesk.cli.main import _fail

    try:
        wanted = DeliveryStatus(status) if status else None
    except ValueError:
        raise _fail(f"unknown status {status!r}") from None
    services = services_for(data_dir, database_url)
    try:
        with services.uow() as uow:
            ws_id = None
            if workspace is not None:
                ws = uow.workspaces.get_by_slug(workspace)
                if ws is None:
                    raise _fail(f"no workspace {workspace}")
                ws_id = ws.id
            items = outbox_listing(uow, workspace_id=ws_id, status=wanted, limit=limit)
            stuck = uow.pending_effects.unfinished(limit)
    finally:
        services.close()
    if not items:
        typer.echo("the outbox is empty")
    for i in items:
        target = (
            f"reply {i.reply_id}"
            if i.reply_id
            else f"post {i.post_id}"
            if i.post_id
            else (f"hours post {i.hours_post_id}")
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
