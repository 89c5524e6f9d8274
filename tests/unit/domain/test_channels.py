"""A channel account's state as the Channels page shows it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mentiondesk.domain.channels import (
    ChannelAccount,
    ChannelHealth,
    ChannelState,
    Subscription,
    health_text,
)
from mentiondesk.domain.posts import Platform

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def account(**overrides: object) -> ChannelAccount:
    values: dict[str, object] = dict(
        id=1,
        workspace_id=1,
        platform=Platform.FACEBOOK,
        external_id="123",
        name="Acme",
        state=ChannelState.CONNECTED,
        subscription=Subscription.SUBSCRIBED,
    )
    values.update(overrides)
    return ChannelAccount(**values)  # type: ignore[arg-type]


def test_a_token_running_out_within_a_week_shows_as_expiring() -> None:
    assert account(token_expires_at=NOW + timedelta(days=6)).shown_state(NOW) is (
        ChannelState.TOKEN_EXPIRING
    )
    assert account(token_expires_at=NOW + timedelta(days=30)).shown_state(NOW) is (
        ChannelState.CONNECTED
    )


def test_only_connected_and_expiring_channels_deliver() -> None:
    assert account().delivers
    assert account(state=ChannelState.TOKEN_EXPIRING).delivers
    assert not account(state=ChannelState.PAUSED).delivers
    assert not account(state=ChannelState.DISCONNECTED, state_reason="expired").delivers
    disconnected = account(state=ChannelState.DISCONNECTED, token_expires_at=NOW)
    assert disconnected.shown_state(NOW) is ChannelState.DISCONNECTED


def test_demo_channels_are_development_channels() -> None:
    assert account(subscription=Subscription.DEVELOPMENT).development
    assert not account().development


def open_channel(platform: Platform, **config: object) -> ChannelAccount:
    return ChannelAccount(
        7, 1, platform, "acct", "@acct", ChannelState.CONNECTED, Subscription.LISTENING,
        token='{"token": "secret"}', config=dict(config),
    )  # fmt: skip


def test_an_open_channels_secrets_are_read_from_its_sealed_json() -> None:
    account = open_channel(Platform.MASTODON)
    assert account.listened and account.secrets == {"token": "secret"}
    assert ChannelAccount(1, 1, Platform.FACEBOOK, "1", "P", ChannelState.CONNECTED,
                          Subscription.SUBSCRIBED, token="EAAB").secrets == {}  # fmt: skip


def test_a_feed_is_called_rss_and_its_health_reads_in_words() -> None:
    feed = open_channel(Platform.BLOG)
    at = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    feed.health = ChannelHealth(
        lag_seconds=150, last_error="Too many requests", last_error_at=at,
        retry_at=at + timedelta(minutes=2),
    )  # fmt: skip
    words = health_text(feed)
    assert feed.kind == "rss" and words.lag == "2 min" and words.budget == ""
    assert words.error == (
        "Too many requests (2026-03-10 09:00 UTC; retrying at 2026-03-10 09:02:00 UTC)"
    )


def test_an_x_channel_shows_its_spend_against_the_cap() -> None:
    x = open_channel(Platform.X, monthly_budget="50")
    x.health = ChannelHealth(spent_usd="12.345")
    assert health_text(x).budget == "$12.345 of $50 this month"
