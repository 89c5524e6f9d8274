"""``mentiondesk token`` and ``mentiondesk webhook``: API tokens for scripts and BI tools, and
outgoing event webhooks, as the workspace's integration settings page manages them."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from mentiondesk.cli.common import acting, console, fail, open_services
from mentiondesk.cli.options import DatabaseUrl, DataDir
from mentiondesk.desk.api_tokens import do_create_token, do_revoke_token, tokens_for
from mentiondesk.desk.event_webhooks import (
    do_add_webhook,
    do_remove_webhook,
    do_send_test_event,
    do_set_webhook_paused,
    webhook_views,
)
from mentiondesk.domain.integrations import WEBHOOK_EVENTS

token_app = typer.Typer(help="API tokens (Bearer) for scripts and BI tools.", no_args_is_help=True)
webhook_app = typer.Typer(
    help="Outgoing event webhooks: signed JSON calls when things happen in the desk.",
    no_args_is_help=True,
)

Workspace = Annotated[str, typer.Option("--workspace", help="Workspace slug.")]
As = Annotated[str | None, typer.Option("--as", help="E-mail of the admin acting.")]
AsJson = Annotated[bool, typer.Option("--json", help="One JSON object per line.")]


def _when(value: object) -> str:
    return "-" if value is None else str(getattr(value, "isoformat", lambda: value)())


@token_app.command("create")
def create_token(
    workspace: Workspace,
    name: Annotated[str, typer.Option(help="Who or what uses the token, e.g. 'BI export'.")],
    scope: Annotated[
        list[str], typer.Option("--scope", help="read, write or admin; repeat for several.")
    ],
    expires_in_days: Annotated[
        int | None, typer.Option(help="Days until it stops working; never when left out.")
    ] = None,
    as_: As = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create a token and print its secret once (only its hash is kept)."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        made = do_create_token(
            uow,
            acting(uow, workspace, as_),
            name,
            scope,
            now=services.clock.now(),
            expires_in_days=expires_in_days,
        )
    console.print(
        f"token {made.token.id} '{made.token.name}' ({', '.join(made.token.scopes)}): "
        "copy it now, it is not shown again"
    )
    typer.echo(made.secret)


@token_app.command("list")
def list_tokens(
    workspace: Workspace,
    as_json: AsJson = False,
    as_: As = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """The workspace's tokens, newest first, with their state and when last used."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        now = services.clock.now()
        tokens = tokens_for(uow, acting(uow, workspace, as_))
    for t in tokens:
        row = {
            "id": t.id,
            "name": t.name,
            "prefix": t.prefix,
            "scopes": [s.value for s in t.scopes],
            "state": t.state(now),
            "created_at": _when(t.created_at),
            "expires_at": _when(t.expires_at),
            "last_used_at": _when(t.last_used_at),
        }
        if as_json:
            typer.echo(json.dumps(row))
        else:
            typer.echo(
                f"{t.id}\t{t.prefix}…\t{t.name}\t{','.join(s.value for s in t.scopes)}"
                f"\t{row['state']}"
                f"\tlast used {row['last_used_at']}\texpires {row['expires_at']}"
            )


@token_app.command("revoke")
def revoke_token(
    workspace: Workspace,
    token: Annotated[str, typer.Argument(help="The token's id or the prefix the list shows.")],
    as_: As = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke a token: it stops working at once."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        revoked = do_revoke_token(uow, acting(uow, workspace, as_), token, now=services.clock.now())
    typer.echo(f"revoked token {revoked.id} '{revoked.name}'")


@webhook_app.command("add")
def add_webhook(
    workspace: Workspace,
    url: Annotated[str, typer.Argument(help="The http(s) URL that receives the calls.")],
    event: Annotated[
        list[str],
        typer.Option("--event", help=f"Repeat for several: {', '.join(WEBHOOK_EVENTS)}."),
    ],
    description: Annotated[str, typer.Option(help="What the receiver is.")] = "",
    as_: As = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Subscribe a URL to events; prints the secret that signs its calls, once."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        added = do_add_webhook(
            uow,
            acting(uow, workspace, as_),
            url,
            event,
            now=services.clock.now(),
            description=description,
        )
    s = added.subscription
    console.print(
        f"webhook {s.id} → {s.url} ({', '.join(s.events)}); calls are signed with this "
        "secret, shown once:"
    )
    typer.echo(added.secret)


@webhook_app.command("list")
def list_webhooks(
    workspace: Workspace,
    as_json: AsJson = False,
    as_: As = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Subscriptions with their latest deliveries and how each went."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        views = webhook_views(uow, acting(uow, workspace, as_))
    for view in views:
        s = view.subscription
        deliveries = [
            {
                "id": d.id,
                "event": d.payload.get("event"),
                "status": d.status.value,
                "attempts": d.attempts,
                "at": _when(d.done_at or d.created_at),
                "reason": d.failure_reason,
            }
            for d in view.deliveries
        ]
        if as_json:
            row = {
                "id": s.id,
                "url": s.url,
                "events": list(s.events),
                "paused": s.paused,
                "description": s.description,
                "deliveries": deliveries,
            }
            typer.echo(json.dumps(row))
            continue
        state = "paused" if s.paused else "active"
        typer.echo(f"{s.id}\t{s.url}\t{','.join(s.events)}\t{state}")
        for d in deliveries:
            why = f" ({d['reason']})" if d["reason"] else ""
            typer.echo(f"  {d['at']}\t{d['event']}\t{d['status']}{why}")


@webhook_app.command("remove")
def remove_webhook(
    workspace: Workspace,
    subscription: Annotated[int, typer.Argument(help="The subscription's id.")],
    as_: As = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Delete a subscription; nothing more is sent to it."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        do_remove_webhook(uow, acting(uow, workspace, as_), subscription, now=services.clock.now())
    typer.echo(f"removed webhook {subscription}")


@webhook_app.command("pause")
def pause_webhook(
    workspace: Workspace,
    subscription: Annotated[int, typer.Argument(help="The subscription's id.")],
    resume: Annotated[bool, typer.Option("--resume", help="Resume instead.")] = False,
    as_: As = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Pause a subscription (or resume it with --resume)."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        s = do_set_webhook_paused(
            uow, acting(uow, workspace, as_), subscription, not resume, now=services.clock.now()
        )
    typer.echo(f"webhook {s.id} {'paused' if s.paused else 'active'}")


@webhook_app.command("test")
def test_webhook(
    workspace: Workspace,
    subscription: Annotated[int, typer.Argument(help="The subscription's id.")],
    as_: As = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Send a signed ``webhook.test`` event now and say how the receiver answered."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        sent = do_send_test_event(
            uow, acting(uow, workspace, as_), subscription, now=services.clock.now()
        )
    if sent.status.value in ("sent", "simulated"):
        typer.echo(f"test event {sent.status.value}: the receiver answered {sent.platform_ref}")
        return
    reason = sent.failure_reason or "not delivered yet"
    fail(f"test event {sent.status.value}: {reason} (the outbox retries it)")
