"""A channel account's state as the Channels page shows it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mentiondesk.domain.channels import ChannelAccount, ChannelState, Subscription
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
