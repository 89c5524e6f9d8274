"""A channel account: one Facebook Page or Instagram professional account a workspace answers
on, and the state an admin needs to see (connected, token expiring, disconnected with the
platform's reason, paused)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from mentiondesk.domain.posts import Platform

TOKEN_EXPIRY_WARNING = timedelta(days=7)


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
