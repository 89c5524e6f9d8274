"""The platform clients and connectors of an open channel, built from its stored account.

Every base URL is the channel's configuration (``ChannelAccount.config``), so the same code
talks to the network or to the fake server beside it; the secrets come from the sealed
``ChannelAccount.secrets``. One module knows which configuration key each platform reads.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation

from mentiondesk.connectors.base import Connector
from mentiondesk.connectors.bluesky.client import BlueskyClient, Session
from mentiondesk.connectors.bluesky.connector import BlueskyConnector
from mentiondesk.connectors.mastodon.client import MastodonClient
from mentiondesk.connectors.mastodon.connector import MastodonConnector
from mentiondesk.connectors.reddit.client import OAUTH_URL, WWW_URL, RedditClient
from mentiondesk.connectors.reddit.connector import RedditConnector
from mentiondesk.connectors.rss.connector import FeedConnector
from mentiondesk.connectors.x.budget import Budget
from mentiondesk.connectors.x.client import API_URL, XClient
from mentiondesk.connectors.x.connector import XConnector
from mentiondesk.connectors.x.oauth import UserToken
from mentiondesk.domain.channels import ChannelAccount
from mentiondesk.domain.posts import Platform

__all__ = [
    "BLUESKY_SERVICE",
    "JETSTREAM_URL",
    "bluesky_client",
    "mastodon_client",
    "open_connector",
    "reddit_client",
    "session_secret",
    "stored_session",
    "synced_budget",
    "x_budget",
    "x_client",
    "x_secrets",
    "x_user_token",
]

StoreSecrets = Callable[[int, dict[str, str]], None]  # (channel id, secrets): seal and store

BLUESKY_SERVICE = "https://bsky.social"
JETSTREAM_URL = "wss://jetstream2.us-east.bsky.network"


def mastodon_client(account: ChannelAccount) -> MastodonClient:
    client = MastodonClient(account.config["instance_url"], account.secrets.get("token", ""))
    client.account_id = account.config.get("account_id")
    return client


def bluesky_client(account: ChannelAccount) -> BlueskyClient:
    """Resumes the stored session, so a process (a ``listen --once`` from cron) does not log
    in again: ``createSession`` allows 30 logins per 5 minutes and 300 a day."""
    return BlueskyClient(
        account.config.get("service_url", BLUESKY_SERVICE),
        account.config.get("handle", account.name),
        account.secrets.get("app_password", ""),
        appview_url=account.config.get("appview_url"),
        session=stored_session(account.secrets),
    )


def stored_session(secrets: dict[str, str]) -> Session | None:
    try:
        value = json.loads(secrets.get("session") or "null")
        return Session(**value) if isinstance(value, dict) else None
    except (ValueError, TypeError):
        return None


def session_secret(session: Session) -> str:
    """A Bluesky session as it is kept among the channel's sealed secrets."""
    return json.dumps(
        {
            "did": session.did,
            "handle": session.handle,
            "access_jwt": session.access_jwt,
            "refresh_jwt": session.refresh_jwt,
        }
    )


def reddit_client(account: ChannelAccount) -> RedditClient:
    secrets = account.secrets
    return RedditClient(
        secrets.get("client_id", ""),
        secrets.get("client_secret", ""),
        account.config.get("username", account.external_id),
        secrets.get("password", ""),
        oauth_url=account.config.get("oauth_url", OAUTH_URL),
        www_url=account.config.get("www_url", WWW_URL),
    )


def x_budget(account: ChannelAccount) -> Budget:
    """The month's spend so far against the workspace's cap (stored with the channel)."""
    try:
        spent = Decimal(account.health.spent_usd or "0")
    except InvalidOperation:
        spent = Decimal("0")
    return Budget(
        account.config.get("monthly_budget", "0"),
        spent=spent,
        month=account.health.spent_month,
    )


def synced_budget(budget: Budget, account: ChannelAccount) -> None:
    """Bring a long-lived budget up to what the database says was spent (by any process)."""
    fresh = x_budget(account)
    budget.monthly, budget.spent, budget.month = fresh.monthly, fresh.spent, fresh.month


def x_user_token(secrets: dict[str, str]) -> UserToken | None:
    """The refreshable user token, when the channel was given a refresh token."""
    if not secrets.get("refresh_token"):
        return None
    try:
        expires = datetime.fromisoformat(secrets.get("user_token_expires_at", ""))
    except ValueError:
        expires = None
    return UserToken(
        secrets.get("user_token", ""),
        secrets["refresh_token"],
        secrets.get("client_id", ""),
        secrets.get("client_secret", ""),
        expires,
    )


def x_secrets(secrets: dict[str, str], token: UserToken) -> dict[str, str]:
    """``secrets`` with a refreshed pair in place of the old one."""
    return secrets | {
        "user_token": token.access,
        "refresh_token": token.refresh,
        "user_token_expires_at": token.expires_at.isoformat() if token.expires_at else "",
    }


def x_client(
    account: ChannelAccount,
    budget: Budget | None = None,
    *,
    on_refresh: Callable[[UserToken], None] | None = None,
) -> XClient:
    secrets = account.secrets
    return XClient(
        secrets.get("bearer_token", ""),
        secrets.get("user_token", ""),
        api_url=account.config.get("api_url", API_URL),
        budget=budget if budget is not None else x_budget(account),
        user_id=account.external_id,
        refresh=x_user_token(secrets),
        on_refresh=on_refresh,
    )


def open_connector(account: ChannelAccount, store: StoreSecrets | None = None) -> Connector:
    """The connector that answers on ``account`` (the outbox's ``route`` asks for it);
    ``store`` keeps credentials the platform renewed while answering (X's user token)."""
    match account.platform:
        case Platform.MASTODON:
            return MastodonConnector(mastodon_client(account))
        case Platform.BLUESKY:
            return BlueskyConnector(bluesky_client(account))
        case Platform.REDDIT:
            return RedditConnector(reddit_client(account))
        case Platform.X:
            secrets = dict(account.secrets)

            def keep(token: UserToken) -> None:
                secrets.update(x_secrets(secrets, token))
                if store is not None:
                    store(account.id, dict(secrets))

            return XConnector(x_client(account, on_refresh=keep))
        case _:
            return FeedConnector(account.platform)
