"""An admin sets up integrations in a real browser, at desktop and phone widths: a refused
form keeps what was typed and says why beside the field, a token and a webhook secret are shown
once, a test event reaches a real receiver and its delivery is listed as sent, and nothing is
wider than the screen."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

from mentiondesk.bootstrap import Services
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.domain.workspaces import Role
from tests.e2e.conftest import PASSWORD, Seed
from tests.e2e.test_browser import live_url, page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("MENTIONDESK_SCREENSHOTS", "/tmp/mentiondesk-screenshots"))


@pytest.fixture
def receiver_url() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()
    server.server_close()


def _admin(services: Services, seed: Seed) -> None:
    with services.uow() as uow:
        user = do_create_user(
            uow, "olga@skylot.example", "Olga", PASSWORD, now=services.clock.now()
        )
        uow.users.set_role(user.id, seed.skylot.id, Role.ADMIN)
        uow.commit()


def _fits(browser_page: Any, width: int) -> None:
    wide = browser_page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"the page is {wide}px wide on a {width}px screen"


@pytest.mark.parametrize("width", [1280, 390])
def test_an_admin_makes_a_token_and_a_webhook_and_sends_a_test_event(
    page: object,  # noqa: F811
    services: Services,
    seed: Seed,
    receiver_url: str,
    width: int,
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    _admin(services, seed)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/login?next=/w/skylot/settings/api-tokens")
    page.get_by_label("E-mail").fill("olga@skylot.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()

    page.get_by_label("Name").fill("BI export")
    page.get_by_label("Expires after (days)").fill("soon")
    page.get_by_role("button", name="Make token").click()
    expect(page.locator("#expires_in_days-error")).to_contain_text("expected a whole number")
    expect(page.get_by_label("Name")).to_have_value("BI export")  # what was typed stays
    expect(page.get_by_label("Expires after (days)")).to_have_value("soon")
    page.get_by_label("Expires after (days)").fill("30")
    page.get_by_label("write — replies, assignments, labels").check()
    page.get_by_role("button", name="Make token").click()
    expect(page.locator("#new-token")).to_contain_text("md_")
    row = page.locator("table.tokens tbody tr").first
    expect(row).to_contain_text("BI export")
    expect(row).to_contain_text("read, write")
    expect(row).to_contain_text("never")  # not used yet
    _fits(page, width)
    page.screenshot(path=str(SHOTS / f"api-tokens-{width}.png"), full_page=True)
    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("status")).to_contain_text("revoked")
    expect(page.locator("table.tokens tbody tr").first).to_contain_text("revoked")

    page.get_by_role("link", name="Event webhooks").click()
    expect(page.get_by_role("heading", name="Event webhooks")).to_be_visible()
    page.get_by_label("URL").fill("ftp://files.example.com")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator("#url-error")).to_contain_text("expected an http:// or https:// URL")
    expect(page.get_by_label("URL")).to_have_value("ftp://files.example.com")
    page.get_by_label("URL").fill(receiver_url)
    page.locator("input[name=events][value='reply.sent']").check()
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator("#new-secret")).to_contain_text("whsec_")
    page.get_by_role("button", name="Send a test event").click()
    expect(page.get_by_role("status")).to_contain_text("Test event sent: the receiver answered 200")
    deliveries = page.locator("table.deliveries tbody tr")
    expect(deliveries.first).to_contain_text("webhook.test")
    expect(deliveries.first).to_contain_text("sent")
    page.get_by_role("button", name="Pause").click()
    expect(page.locator(".subscription h2")).to_contain_text("paused")
    _fits(page, width)
    page.screenshot(path=str(SHOTS / f"webhooks-{width}.png"), full_page=True)
