"""An admin connects a Mastodon account from the Channels page in a real browser, at desktop
and phone widths: the instance's refusal of a token is shown beside the token field, the
instance URL stays typed and the token is not sent back; the right token connects it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mentiondesk.bootstrap import Services
from mentiondesk.connectors.mastodon.fake_server import FakeMastodonServer
from tests.e2e.conftest import PASSWORD, Seed
from tests.e2e.test_browser import live_url, page  # noqa: F401  (fixtures)
from tests.e2e.test_integrations_browser import _admin, _fits

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("MENTIONDESK_SCREENSHOTS", "/tmp/mentiondesk-screenshots"))


@pytest.fixture
def mastodon() -> Iterator[FakeMastodonServer]:
    with FakeMastodonServer(token="brand-token", brand_acct="skylot") as server:
        yield server


@pytest.mark.parametrize("width", [1280, 390])
def test_an_admin_connects_mastodon_from_the_channels_page(
    page: Any,  # noqa: F811
    services: Services,
    seed: Seed,
    mastodon: FakeMastodonServer,
    width: int,
) -> None:
    from playwright.sync_api import expect

    SHOTS.mkdir(parents=True, exist_ok=True)
    _admin(services, seed)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/login?next=/w/skylot/channels")
    page.get_by_label("E-mail").fill("olga@skylot.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Connect an open network")).to_be_visible()

    page.locator("#connect-mastodon summary").click()
    page.get_by_label("Instance URL").fill(mastodon.base_url)
    page.get_by_label("Access token").fill("not-the-token")
    page.get_by_role("button", name="Connect Mastodon").click()

    expect(page.locator("#open-mastodon-token-error")).to_contain_text("invalid")
    expect(page.get_by_label("Instance URL")).to_have_value(mastodon.base_url)
    expect(page.get_by_label("Access token")).to_have_value("")
    assert "not-the-token" not in page.content()
    page.screenshot(path=str(SHOTS / f"channels-open-refused-{width}.png"), full_page=True)
    _fits(page, width)

    page.get_by_label("Access token").fill("brand-token")
    page.get_by_role("button", name="Connect Mastodon").click()
    expect(page.locator("p.notice")).to_contain_text("@skylot@")
    row = page.locator("tr.channel-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Mastodon")
    expect(row.locator(".channel-state")).to_contain_text("connected")
    assert "brand-token" not in page.content()
    page.screenshot(path=str(SHOTS / f"channels-open-connected-{width}.png"), full_page=True)
    _fits(page, width)
