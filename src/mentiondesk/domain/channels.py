"""A channel account: one Facebook Page, Instagram professional account, or open-network
account (Bluesky, Mastodon, Reddit, X) or RSS/Atom feed a workspace hears and answers on, and
the state an admin needs to see (connected, token expiring, disconnected with the platform's
reason, paused) with the listener's health (last event, lag, last error, next retry, X spend).

Meta accounts keep their Page token in ``token``; open channels keep a JSON object of their
secrets there (app password, tokens, client secret), so one sealed column holds either."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from mentiondesk.domain.posts import Platform

TOKEN_EXPIRY_WARNING = timedelta(days=7)

OPEN_PLATFORMS = (Platform.BLUESKY, Platform.MASTODON, Platform.REDDIT, Platform.BLOG, Platform.X)
"""Channels heard by ``mentiondesk listen`` (polling and streaming) rather than webhooks;
an RSS/Atom feed is stored under ``Platform.BLOG``."""

CHANNEL_KINDS = {Platform.BLOG: "rss"}
"""What the command line and the Channels page call a platform, where the names differ."""


class ChannelState(StrEnum):
    CONNECTED = "connected"
    TOKEN_EXPIRING = "token_expiring"
    DISCONNECTED = "disconnected"  # the platform refused the token; an admin must reconnect
    PAUSED = "paused"  # an admin stopped delivery and hearing on purpose


class Subscription(StrEnum):
    """Whether the platform sends this account's webhooks to us."""

    SUBSCRIBED = "subscribed"
    NOT_SUBSCRIBED = "not_subscribed"
    FAILED = "failed"  # subscribing was refused; ``state_reason`` says why
    DEVELOPMENT = "development"  # a demo channel: nothing is subscribed anywhere
    LISTENING = "listening"  # an open channel: ``mentiondesk listen`` polls and streams it


@dataclass(slots=True)
class ChannelHealth:
    """How the listener is doing on a channel; written by the listener, shown to admins."""

    lag_seconds: float | None = None  # the newest event read vs. the platform's own clock
    last_error: str = ""
    last_error_at: datetime | None = None
    retry_at: datetime | None = None  # when the listener tries again after an error
    spent_usd: str = "0"  # X: this month's spend against ``config["monthly_budget"]``
    spent_month: str | None = None  # ``YYYY-MM`` the spend counts


@dataclass(slots=True)
class ChannelAccount:
    id: int
    workspace_id: int
    platform: Platform
    external_id: str  # the Page id or the Instagram account id
    name: str
    state: ChannelState
    subscription: Subscription
    token: str = ""  # plain text in memory only; sealed at rest
    messaging_id: str | None = None  # Instagram: the Page whose /messages edge sends
    state_reason: str = ""
    token_expires_at: datetime | None = None
    last_event_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    config: dict[str, Any] = field(default_factory=dict)  # base URLs, scope, budget (not secret)
    health: ChannelHealth = field(default_factory=ChannelHealth)

    @property
    def kind(self) -> str:
        """``rss`` for a feed, else the platform's name."""
        return CHANNEL_KINDS.get(self.platform, self.platform.value)

    @property
    def listened(self) -> bool:
        """Heard by the channel worker (polled or streamed) rather than by webhooks."""
        return self.subscription is Subscription.LISTENING

    @property
    def secrets(self) -> dict[str, str]:
        """An open channel's secrets (the sealed ``token`` column holds them as JSON)."""
        try:
            value = json.loads(self.token) if self.token.startswith("{") else {}
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}

    @property
    def development(self) -> bool:
        return self.subscription is Subscription.DEVELOPMENT

    @property
    def delivers(self) -> bool:
        """Whether the outbox may send on this account now."""
        return self.state in (ChannelState.CONNECTED, ChannelState.TOKEN_EXPIRING)

    def shown_state(self, now: datetime) -> ChannelState:
        """A connected account whose token runs out within a week shows as expiring."""
        if (
            self.state is ChannelState.CONNECTED
            and self.token_expires_at is not None
            and self.token_expires_at - now <= TOKEN_EXPIRY_WARNING
        ):
            return ChannelState.TOKEN_EXPIRING
        return self.state


@dataclass(frozen=True, slots=True)
class HealthText:
    """A channel's health in words, the same on the Channels page and in ``channel list``."""

    lag: str
    error: str
    budget: str


def _seconds(value: float) -> str:
    if value < 90:
        return f"{value:.0f} s"
    if value < 5400:
        return f"{value / 60:.0f} min"
    return f"{value / 3600:.1f} h"


def health_text(account: ChannelAccount) -> HealthText:
    health = account.health
    lag = "-" if health.lag_seconds is None else _seconds(health.lag_seconds)
    error = ""
    if health.last_error:
        at = health.last_error_at.strftime("%Y-%m-%d %H:%M UTC") if health.last_error_at else ""
        error = f"{health.last_error} ({at}"
        if health.retry_at is not None:
            error += f"; retrying at {health.retry_at.strftime('%Y-%m-%d %H:%M:%S UTC')}"
        error += ")"
    budget = ""
    if account.platform is Platform.X and account.listened:
        cap = account.config.get("monthly_budget", "0")
        budget = f"${health.spent_usd} of ${cap} this month"
    return HealthText(lag, error, budget)
