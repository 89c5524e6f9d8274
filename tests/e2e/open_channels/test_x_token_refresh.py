"""X's user-context token kept alive with the OAuth 2.0 refresh_token grant: refreshed when the
channel is connected, again when X answers 401 (an expired token) in a poll or in the outbox,
each new pair stored sealed for the next process; a refresh X refuses disconnects the channel
with the reason."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mentiondesk.connectors.x.fake_server import FakeX
from mentiondesk.domain.posts import Platform
from tests.e2e.open_channels.harness import Desk


@pytest.fixture
def fake() -> Iterator[FakeX]:
    with FakeX(brand_id="1000", brand_username="skylot", refresh_token="refresh-0") as server:
        yield server


def connect(desk: Desk, fake: FakeX, *more: str) -> tuple[int, str]:
    return desk.cli(
        "channel", "add", "x", "--workspace", "skylot", "--bearer-token", "bearer",
        "--user-token", "user-token", "--api-url", fake.base_url,
        "--refresh-token", "refresh-0", *more,
    )  # fmt: skip


def stored_secrets(desk: Desk) -> dict[str, str]:
    services = desk.services()
    try:
        with services.uow() as uow:
            (account,) = [a for a in uow.channels.all() if a.platform is Platform.X]
            return dict(account.secrets)
    finally:
        services.close()


def test_the_user_token_is_refreshed_when_it_expires_in_polls_and_answers(
    desk: Desk, fake: FakeX
) -> None:
    code, out = connect(desk, fake, "--client-id", "x-client")
    assert code == 0, out
    assert fake.refreshes == 1  # at connection: the expiry is known from then on
    first = stored_secrets(desk)
    assert first["user_token"] == "user-token-1" and first["refresh_token"] == "refresh-1"
    assert first["user_token_expires_at"]

    fake.post_by("jane", "@skylot my flight was cancelled", mentions_brand=True)
    fake.expire_user_token()
    desk.listen_once()
    assert fake.refreshes == 2
    assert stored_secrets(desk)["refresh_token"] == "refresh-2"
    case = desk.case_with("my flight was cancelled")

    fake.expire_user_token()
    sent = desk.answer(case["id"], "We are sorry, we will rebook you.")

    assert sent["status"] == "sent", sent
    assert fake.refreshes == 3
    assert stored_secrets(desk)["refresh_token"] == "refresh-3"
    desk.listen_once()  # a new process reads the pair the outbox stored
    assert fake.refreshes == 3
    assert "disconnected" not in desk.ok("channel", "list", "--workspace", "skylot")


def test_a_refresh_x_refuses_disconnects_the_channel_with_the_reason(
    desk: Desk, fake: FakeX
) -> None:
    assert connect(desk, fake, "--client-id", "x-client")[0] == 0
    fake.refresh_token = "revoked"
    fake.expire_user_token()
    desk.listen_once()
    listing = desk.ok("channel", "list", "--workspace", "skylot")
    assert "disconnected" in listing and "refresh the user token" in listing


def test_a_refresh_token_without_a_client_id_is_refused(desk: Desk, fake: FakeX) -> None:
    code, out = connect(desk, fake)
    assert code == 2 and "client-id" in out
    assert fake.refreshes == 0
