"""Connecting the open networks: a Bluesky, Mastodon, Reddit or X account, or an RSS/Atom feed.

Each connection checks the credentials against the platform (the feed is fetched once) before
anything is stored, so "connected" means the platform accepted them; a refusal is an
``InvalidInput`` with the platform's words. Base URLs and the listening scope are the channel's
configuration; secrets are sealed with the account (``ChannelAccount.secrets``). Pause, resume
and remove are the same as for Meta's channels (``desk/channels.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from mentiondesk.connectors.refusals import PlatformRefused
from mentiondesk.connectors.rss.fetch import FeedFetcher, FeedState
from mentiondesk.connectors.rss.parser import parse_feed
from mentiondesk.connectors.x.oauth import UserToken
from mentiondesk.desk.access import Actor
from mentiondesk.desk.open_clients import (
    BLUESKY_SERVICE,
    JETSTREAM_URL,
    bluesky_client,
    mastodon_client,
    reddit_client,
    session_secret,
    x_client,
    x_secrets,
)
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.channels import ChannelAccount, ChannelState, Subscription
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.posts import Platform
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["OpenChannel", "do_connect_open_channel", "verified"]


@dataclass(slots=True)
class OpenChannel:
    """What an admin gives to connect an open channel: the platform, its configuration (base
    URLs, scope) and its secrets."""

    platform: Platform
    config: dict[str, Any] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)


def _url(value: str, name: str, schemes: tuple[str, ...] = ("http", "https")) -> str:
    value = value.strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.netloc:
        raise InvalidInput(name, f"must be a {' or '.join(schemes)} URL")
    return value


def _required(spec: OpenChannel, *names: str) -> None:
    for name in names:
        if not spec.secrets.get(name, "").strip():
            raise InvalidInput(name.replace("_", "-"), "is empty")


def verified(spec: OpenChannel) -> tuple[str, str, OpenChannel]:
    """Ask the platform who the credentials belong to: ``(external id, name, spec)`` with the
    spec's configuration completed; ``InvalidInput`` with the platform's reason otherwise."""
    check = {
        Platform.MASTODON: _mastodon,
        Platform.BLUESKY: _bluesky,
        Platform.REDDIT: _reddit,
        Platform.BLOG: _feed,
        Platform.X: _x,
    }.get(spec.platform)
    if check is None:
        raise InvalidInput("platform", "must be bluesky, mastodon, reddit, rss or x")
    try:
        return check(spec)
    except PlatformRefused as exc:
        raise InvalidInput("credentials", exc.failure.reason) from exc


def _probe(spec: OpenChannel, name: str = "") -> ChannelAccount:
    return ChannelAccount(
        0,
        0,
        spec.platform,
        "",
        name,
        ChannelState.CONNECTED,
        Subscription.LISTENING,
        token=json.dumps(spec.secrets),
        config=spec.config,
    )


def _mastodon(spec: OpenChannel) -> tuple[str, str, OpenChannel]:
    spec.config["instance_url"] = _url(spec.config.get("instance_url", ""), "instance")
    _required(spec, "token")
    client = mastodon_client(_probe(spec))
    try:
        account = client.verify_credentials()
    finally:
        client.close()
    host = urlsplit(spec.config["instance_url"]).netloc
    acct = str(account.get("acct") or account.get("username") or "")
    if not acct or client.account_id is None:
        raise InvalidInput("token", "the instance did not say whose token this is")
    spec.config["account_id"] = client.account_id
    return f"{acct}@{host}", f"@{acct}@{host}", spec


def _bluesky(spec: OpenChannel) -> tuple[str, str, OpenChannel]:
    spec.config["service_url"] = _url(spec.config.get("service_url") or BLUESKY_SERVICE, "service")
    spec.config["jetstream_url"] = _url(
        spec.config.get("jetstream_url") or JETSTREAM_URL, "jetstream", ("ws", "wss")
    )
    handle = str(spec.config.get("handle", "")).strip().lstrip("@")
    if not handle:
        raise InvalidInput("handle", "is empty")
    spec.config["handle"] = handle
    _required(spec, "app_password")
    client = bluesky_client(_probe(spec, handle))
    try:
        session = client.login()
    finally:
        client.close()
    spec.config["handle"] = session.handle or handle
    spec.secrets["session"] = session_secret(session)
    return session.did, f"@{spec.config['handle']}", spec


def _reddit(spec: OpenChannel) -> tuple[str, str, OpenChannel]:
    for key, name in (("oauth_url", "oauth-url"), ("www_url", "www-url")):
        if spec.config.get(key):
            spec.config[key] = _url(spec.config[key], name)
    username = str(spec.config.get("username", "")).strip()
    if not username:
        raise InvalidInput("username", "is empty")
    _required(spec, "client_id", "client_secret", "password")
    client = reddit_client(_probe(spec, username))
    try:
        client.token()
    finally:
        client.close()
    return username, f"u/{username}", spec


def _feed(spec: OpenChannel) -> tuple[str, str, OpenChannel]:
    url = _url(spec.config.get("url", ""), "url")
    spec.config["url"] = url
    fetcher = FeedFetcher()
    try:
        fetched = fetcher.fetch(FeedState(url))
    finally:
        fetcher.close()
    if fetched.content is None:
        return url, url, spec
    parsed = parse_feed(fetched.content, feed_url=url, now=fetcher.http.clock())
    if not parsed.entries and parsed.rejected and not parsed.title:
        raise InvalidInput("url", f"not a readable feed: {parsed.rejected[0].reason}")
    return url, (parsed.title or url)[:200], spec


def _x(spec: OpenChannel) -> tuple[str, str, OpenChannel]:
    if spec.config.get("api_url"):
        spec.config["api_url"] = _url(spec.config["api_url"], "api-url")
    _required(spec, "bearer_token", "user_token")
    try:
        budget = Decimal(str(spec.config.get("monthly_budget", "0")))
    except InvalidOperation:
        raise InvalidInput("monthly-budget", "must be an amount in USD") from None
    if budget < 0 or not budget.is_finite():
        raise InvalidInput("monthly-budget", "must be an amount in USD, 0 or more")
    spec.config["monthly_budget"] = str(budget)
    for optional in ("refresh_token", "client_id", "client_secret"):
        if not spec.secrets.get(optional, "").strip():
            spec.secrets.pop(optional, None)
    if spec.secrets.get("refresh_token") and not spec.secrets.get("client_id"):
        raise InvalidInput("client-id", "is needed to refresh the user token")
    probe = _probe(spec)

    def renewed(token: UserToken) -> None:  # refreshed now: its expiry is known from here on
        spec.secrets.update(x_secrets(spec.secrets, token))

    client = x_client(probe, budget=None, on_refresh=renewed)
    client.budget = None  # connecting is not counted against the month's polling
    try:
        me = client.me()
    finally:
        client.close()
    user_id = client.user_id
    if user_id is None:
        raise InvalidInput("user-token", "X did not say whose token this is")
    spec.config["username"] = str(me.get("username") or user_id)
    return user_id, f"@{spec.config['username']}", spec


def do_connect_open_channel(
    uow: UnitOfWork,
    actor: Actor,
    spec: OpenChannel,
    *,
    now: datetime,
    check: Any = verified,
) -> ChannelAccount:
    """Verify ``spec`` with the platform, then store (or reconnect) the channel."""
    actor.require_settings()
    external_id, name, spec = check(spec)
    other = uow.channels.by_external(spec.platform, external_id)
    if other is not None and other.workspace_id != actor.workspace.id:
        raise InvalidInput("account", "this account is connected to another workspace")
    token = json.dumps(spec.secrets, sort_keys=True)
    if other is None:
        account = ChannelAccount(
            0,
            actor.workspace.id,
            spec.platform,
            external_id,
            name,
            ChannelState.CONNECTED,
            Subscription.LISTENING,
            token=token,
            config=spec.config,
        )
        account.id = uow.channels.add(account, now=now)
        action = "channel.connect"
    else:
        uow.channels.update(
            other.id,
            now=now,
            name=name,
            token=token,
            config=spec.config,
            state=ChannelState.CONNECTED,
            state_reason="",
        )
        uow.channels.record_health(other.id, last_error="", last_error_at=None, retry_at=None)
        account, action = other, "channel.reconnect"
    uow.audit.append(
        AuditEntry.by(
            actor,
            action,
            f"channel:{account.id}",
            at=now,
            data={"platform": spec.platform.value, "external_id": external_id},
        )
    )
    uow.commit()
    stored = uow.channels.get(actor.workspace.id, account.id)
    assert stored is not None
    return stored
