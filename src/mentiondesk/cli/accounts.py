"""``mentiondesk user passwd|reset|deactivate|remove|sessions`` and ``mentiondesk secrets
rotate-key``. Thin: each command calls one service. Commands that act on someone else name
the owner or admin who does it (``--as``); that person's rights are checked as on the pages."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mentiondesk.cli.common import acting, console, fail, open_services, user_named
from mentiondesk.cli.options import DatabaseUrl, DataDir
from mentiondesk.desk.account_admin import (
    do_change_password,
    do_remove_membership,
    do_reset_password,
    do_revoke_other_sessions,
    do_revoke_session,
    do_set_active,
    my_sessions,
)
from mentiondesk.storage.secret_box import (
    KEY_FILE_NAME,
    SecretBox,
    new_key,
    read_or_create_key_file,
    write_key_file,
)

secrets_app = typer.Typer(help="Keys that seal stored secrets.", no_args_is_help=True)

Email = Annotated[str, typer.Option("--email", help="The user's e-mail.")]
WorkspaceSlug = Annotated[str, typer.Option("--workspace", help="Workspace slug.")]
AsAdmin = Annotated[str, typer.Option("--as", help="E-mail of the owner or admin acting.")]


def user_passwd(
    email: Email,
    current_password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, help="The current password.")
    ],
    new_password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="12+ characters, not common, not your e-mail name or a workspace's name.",
        ),
    ],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Change a user's password, knowing the current one; their sessions are signed out."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        user = user_named(uow, email)
        count = do_change_password(
            uow, user, current_password, new_password, now=services.clock.now()
        )
    console.print(f"password changed; {count} session(s) signed out")


def user_reset(
    email: Email,
    workspace: WorkspaceSlug,
    as_admin: AsAdmin,
    password: Annotated[
        str | None,
        typer.Option(help="The new password; leave out to print a generated temporary one."),
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Reset a member's password (by an owner or admin); prints a temporary one when none is
    given. The member's sessions are signed out."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        actor = acting(uow, workspace, as_admin)
        target = user_named(uow, email)
        result = do_reset_password(
            uow, actor, target.id, now=services.clock.now(), new_password=password
        )
    if password is None:
        typer.echo(result)
        console.print("temporary password printed above; hand it over privately")
    else:
        console.print(f"password of {email} reset")


def user_deactivate(
    email: Email,
    workspace: WorkspaceSlug,
    as_admin: AsAdmin,
    reactivate: Annotated[
        bool, typer.Option("--reactivate", help="Let a deactivated user sign in again.")
    ] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Deactivate a user (cannot sign in; every session ends), or --reactivate them."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        actor = acting(uow, workspace, as_admin)
        target = user_named(uow, email)
        do_set_active(uow, actor, target.id, active=reactivate, now=services.clock.now())
    console.print(f"{email} {'reactivated' if reactivate else 'deactivated'}")


def user_remove(
    email: Email,
    workspace: WorkspaceSlug,
    as_admin: AsAdmin,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Take a user out of a workspace (their active cases there become unassigned; the
    account and its other workspaces stay)."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        actor = acting(uow, workspace, as_admin)
        target = user_named(uow, email)
        released = do_remove_membership(uow, actor, target.id, now=services.clock.now())
    console.print(f"{email} is no longer in {workspace}; {released} case(s) unassigned")


def user_sessions(
    email: Email,
    revoke: Annotated[str | None, typer.Option(help="Sign out the session with this key.")] = None,
    revoke_all: Annotated[
        bool, typer.Option("--revoke-all", help="Sign the user out everywhere.")
    ] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """List a user's sessions (key, browser, address, last seen), or sign some out."""
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        now = services.clock.now()
        user = user_named(uow, email)
        if revoke:
            do_revoke_session(uow, user, revoke, now=now)
            console.print(f"session {revoke} signed out")
        elif revoke_all:
            count = do_revoke_other_sessions(uow, user, "", now=now)
            console.print(f"{count} session(s) signed out")
        for s in my_sessions(uow, user, now=now):
            seen = s.last_seen_at.isoformat() if s.last_seen_at else "-"
            typer.echo(f"{s.key}\t{s.ip_address or '-'}\t{seen}\t{s.user_agent or '-'}")


@secrets_app.command("rotate-key")
def rotate_key(
    new: Annotated[
        str | None,
        typer.Option("--new-key", help="The new key (16+ characters); generated when omitted."),
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Seal every stored secret under a new key. With the key file in the data folder (the
    default outside production) the file is rewritten; with MENTIONDESK_SECRET_KEY the new
    key is printed for you to set before restarting."""
    key = new or new_key()
    if len(key) < 16:
        fail("--new-key must be at least 16 characters")
    with open_services(data_dir, database_url) as services:
        settings = services.settings
        folder = Path(settings.data_dir)
        if settings.secret_key is None:
            old_keys = read_or_create_key_file(folder)
            # both keys first: whatever happens next, every secret stays readable
            write_key_file(folder, [key, *old_keys])
        with services.uow() as uow:
            count = uow.sources.reseal_all(SecretBox([key]))
            count += uow.channels.reseal_all(SecretBox([key]))
            count += uow.webhooks.reseal_all(SecretBox([key]))
            uow.commit()
        if settings.secret_key is None:
            write_key_file(folder, [key])
    console.print(f"{count} secret(s) sealed under the new key")
    if settings.secret_key is None:
        console.print(f"key file {folder / KEY_FILE_NAME} now holds the new key only")
    else:
        typer.echo(key)
        console.print(
            "set MENTIONDESK_SECRET_KEY to the key printed above and restart every process"
        )
