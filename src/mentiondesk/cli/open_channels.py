"""``mentiondesk channel add bluesky|mastodon|reddit|rss|x``: connect an open channel after
the platform accepted its credentials (the feed answered); a refusal exits 2 with the
platform's reason. The channel is then heard by ``mentiondesk listen`` (or ``serve``)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from mentiondesk.cli.common import acting, open_services
from mentiondesk.cli.options import DatabaseUrl, DataDir
from mentiondesk.desk.open_channels import OpenChannel, do_connect_open_channel
from mentiondesk.domain.posts import Platform

__all__ = ["register"]

out = Console()

WorkspaceOpt = Annotated[str, typer.Option("--workspace", help="Workspace slug.")]
SearchOpt = Annotated[
    list[str] | None,
    typer.Option("--search", help="A search term (repeatable; default: the brand's names)."),
]


def _connect(
    workspace: str,
    spec: OpenChannel,
    data_dir: DataDir,
    database_url: DatabaseUrl,
) -> None:
    with open_services(data_dir, database_url) as services, services.uow() as uow:
        account = do_connect_open_channel(
            uow, acting(uow, workspace, None), spec, now=services.clock.now()
        )
    out.print(
        f"channel {account.id}: {account.kind} {account.name} connected; "
        "heard by `mentiondesk listen` (or `serve`)"
    )


def _scope(search: list[str] | None, **lists: list[str] | None) -> dict[str, list[str]]:
    scope = {
        key: [v.strip().lstrip("#") for v in values if v.strip()]
        for key, values in lists.items()
        if values
    }
    if search:
        scope["search"] = [s.strip() for s in search if s.strip()]
    return scope


def add_mastodon(
    workspace: WorkspaceOpt,
    instance: Annotated[str, typer.Option("--instance", help="The instance URL.")],
    token: Annotated[
        str, typer.Option("--token", envvar="MENTIONDESK_MASTODON_TOKEN", help="Access token.")
    ],
    hashtag: Annotated[
        list[str] | None, typer.Option("--hashtag", help="A hashtag to follow (repeatable).")
    ] = None,
    search: SearchOpt = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Connect a Mastodon account (checks the token with verify_credentials)."""
    config = {"instance_url": instance, **_scope(search, hashtags=hashtag)}
    spec = OpenChannel(Platform.MASTODON, config, {"token": token})
    _connect(workspace, spec, data_dir, database_url)


def add_bluesky(
    workspace: WorkspaceOpt,
    handle: Annotated[str, typer.Option("--handle", help="The account's handle.")],
    app_password: Annotated[
        str,
        typer.Option(
            "--app-password", envvar="MENTIONDESK_BLUESKY_APP_PASSWORD", help="An app password."
        ),
    ],
    service: Annotated[
        str | None, typer.Option("--service", help="The PDS URL (default https://bsky.social).")
    ] = None,
    jetstream: Annotated[
        str | None, typer.Option("--jetstream", help="The Jetstream URL (ws:// or wss://).")
    ] = None,
    appview: Annotated[str | None, typer.Option("--appview", help="The AppView URL.")] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Connect a Bluesky account (creates a session once); Jetstream is read for the brand."""
    config = {"handle": handle, "service_url": service, "jetstream_url": jetstream}
    if appview:
        config["appview_url"] = appview
    spec = OpenChannel(Platform.BLUESKY, config, {"app_password": app_password})
    _connect(workspace, spec, data_dir, database_url)


def add_reddit(
    workspace: WorkspaceOpt,
    client_id: Annotated[str, typer.Option("--client-id", help="The Reddit app's id.")],
    client_secret: Annotated[
        str,
        typer.Option(
            "--client-secret", envvar="MENTIONDESK_REDDIT_SECRET", help="The app's secret."
        ),
    ],
    username: Annotated[str, typer.Option("--username", help="The brand's Reddit user.")],
    password: Annotated[
        str, typer.Option("--password", envvar="MENTIONDESK_REDDIT_PASSWORD", help="Its password.")
    ],
    oauth_url: Annotated[str | None, typer.Option("--oauth-url", help="OAuth API URL.")] = None,
    www_url: Annotated[str | None, typer.Option("--www-url", help="Token URL host.")] = None,
    subreddit: Annotated[
        list[str] | None, typer.Option("--subreddit", help="A subreddit to hear (repeatable).")
    ] = None,
    search: SearchOpt = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Connect a Reddit account (OAuth password grant for a script app)."""
    config: dict[str, object] = {"username": username, **_scope(search, subreddits=subreddit)}
    config |= {k: v for k, v in (("oauth_url", oauth_url), ("www_url", www_url)) if v}
    secrets = {"client_id": client_id, "client_secret": client_secret, "password": password}
    _connect(workspace, OpenChannel(Platform.REDDIT, config, secrets), data_dir, database_url)


def add_rss(
    workspace: WorkspaceOpt,
    url: Annotated[str, typer.Option("--url", help="The RSS or Atom feed's URL.")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Follow an RSS/Atom feed (fetched once now); listen-only: answer on the site."""
    _connect(workspace, OpenChannel(Platform.BLOG, {"url": url}), data_dir, database_url)


def add_x(
    workspace: WorkspaceOpt,
    bearer_token: Annotated[
        str, typer.Option("--bearer-token", envvar="MENTIONDESK_X_BEARER", help="App token: reads.")
    ],
    user_token: Annotated[
        str,
        typer.Option(
            "--user-token", envvar="MENTIONDESK_X_USER_TOKEN", help="OAuth 2.0 user token: posts."
        ),
    ],
    api_url: Annotated[str | None, typer.Option("--api-url", help="The X API URL.")] = None,
    monthly_budget: Annotated[
        str, typer.Option("--monthly-budget", help="USD a month X may cost (reads and writes).")
    ] = "50",
    refresh_token: Annotated[
        str,
        typer.Option(
            "--refresh-token",
            envvar="MENTIONDESK_X_REFRESH_TOKEN",
            help="OAuth 2.0 refresh token (offline.access): the user token is kept fresh.",
        ),
    ] = "",
    client_id: Annotated[
        str, typer.Option("--client-id", help="The X app's OAuth 2.0 client id (to refresh).")
    ] = "",
    client_secret: Annotated[
        str,
        typer.Option(
            "--client-secret",
            envvar="MENTIONDESK_X_CLIENT_SECRET",
            help="Its client secret, for a confidential client.",
        ),
    ] = "",
    search: SearchOpt = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Connect an X account (checks the user token with /2/users/me; with a refresh token,
    refreshes it first and keeps refreshing it before it expires)."""
    config: dict[str, object] = {"monthly_budget": monthly_budget, **_scope(search)}
    if api_url:
        config["api_url"] = api_url
    secrets = {"bearer_token": bearer_token, "user_token": user_token}
    secrets |= {"refresh_token": refresh_token, "client_id": client_id}
    secrets["client_secret"] = client_secret
    _connect(workspace, OpenChannel(Platform.X, config, secrets), data_dir, database_url)


def register(add_app: typer.Typer) -> None:
    for name, command in (
        ("bluesky", add_bluesky),
        ("mastodon", add_mastodon),
        ("reddit", add_reddit),
        ("rss", add_rss),
        ("x", add_x),
    ):
        add_app.command(name)(command)
