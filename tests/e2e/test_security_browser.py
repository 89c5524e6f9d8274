"""In a real browser (Debian's chromium): the lockout notice on the login page, a password
change, the new account, members and erasure pages at desktop and phone widths without a
single Content-Security-Policy violation, and API docs that reach no other host."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest

from mentiondesk.bootstrap import Services
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.workspaces import Role
from tests.e2e.conftest import PASSWORD, Seed
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, _require_chromium, live_url
from tests.e2e.test_security_web import add_lead

__all__ = ["live_url"]

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("MENTIONDESK_SCREENSHOTS", "/tmp/mentiondesk-screens"))


class Browser:
    """A chromium context that records console errors and every host it talks to."""

    def __init__(self, playwright: object, base_url: str) -> None:
        from playwright.sync_api import Playwright

        assert isinstance(playwright, Playwright)
        self._browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.base_url = base_url
        self.errors: list[str] = []
        self.hosts: set[str] = set()

    def page(self, width: int = 1280, height: int = 900) -> object:
        context = self._browser.new_context(
            base_url=self.base_url, viewport={"width": width, "height": height}
        )
        page = context.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", lambda r: self.hosts.add(urlparse(r.url).netloc))
        return page

    def _console(self, message: object) -> None:
        """Script errors and CSP violations; a 401 or 404 answer logged by the browser is
        what the page meant to show (a wrong password, the missing favicon)."""
        text, kind = getattr(message, "text", ""), getattr(message, "type", "")
        if kind == "error" and not text.startswith("Failed to load resource"):
            self.errors.append(text)

    def close(self) -> None:
        self._browser.close()


@pytest.fixture
def browser(live_url: str) -> Iterator[Browser]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        opened = Browser(playwright, live_url)
        yield opened
        opened.close()


def _sign_in(page: object, email: str, password: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_the_login_page_shows_the_lockout_notice_with_its_end(
    browser: Browser, services: Services, seed: Seed
) -> None:
    from playwright.sync_api import Page, expect

    clock = services.clock
    assert isinstance(clock, FixedClock)
    page = browser.page(390, 844)
    assert isinstance(page, Page)
    for attempt in range(10):
        if attempt >= 5:
            clock.set(clock.now() + timedelta(minutes=1))
        _sign_in(page, "ania@skylot.example", "not-the-password")
    until = clock.now() + timedelta(minutes=15)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(f"locked until {until:%H:%M} UTC")
    expect(page.get_by_label("E-mail")).to_have_value("ania@skylot.example")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "login-locked-390.png"), full_page=True)
    assert browser.errors == []


def test_a_user_changes_their_password_and_signs_out_other_sessions(
    browser: Browser, seed: Seed
) -> None:
    from playwright.sync_api import Page, expect

    phone = browser.page(390, 844)
    desktop = browser.page()
    assert isinstance(phone, Page) and isinstance(desktop, Page)
    _sign_in(phone, "ania@skylot.example", PASSWORD)
    _sign_in(desktop, "ania@skylot.example", PASSWORD)
    desktop.get_by_role("link", name="Ania").click()
    expect(desktop.get_by_role("heading", name="Your account")).to_be_visible()
    expect(desktop.locator("table.sessions tbody tr")).to_have_count(2)
    desktop.screenshot(path=str(SHOTS / "account-1280.png"), full_page=True)
    desktop.get_by_label("Current password").fill(PASSWORD)
    desktop.get_by_label("New password", exact=True).fill("password123456")
    desktop.get_by_label("New password again").fill("password123456")
    desktop.get_by_role("button", name="Change password").click()
    expect(desktop.get_by_role("alert")).to_contain_text("common")
    desktop.get_by_label("Current password").fill(PASSWORD)
    desktop.get_by_label("New password", exact=True).fill("tulip-harbour-lantern")
    desktop.get_by_label("New password again").fill("tulip-harbour-lantern")
    desktop.get_by_role("button", name="Change password").click()
    expect(desktop.get_by_role("status")).to_contain_text("1 other session(s) signed out")
    expect(desktop.locator("table.sessions tbody tr")).to_have_count(1)
    phone.goto("/account")
    expect(phone).to_have_url("/login?next=/account")  # the phone was signed out
    _sign_in(phone, "ania@skylot.example", "tulip-harbour-lantern")
    phone.goto("/account")
    phone.screenshot(path=str(SHOTS / "account-390.png"), full_page=True)
    assert browser.errors == []


def test_members_and_erasure_pages_render_without_csp_violations(
    browser: Browser, services: Services, seed: Seed
) -> None:
    from playwright.sync_api import Page, expect

    add_lead(services, seed, Role.OWNER)
    for width in (1280, 390):
        page = browser.page(width, 900)
        assert isinstance(page, Page)
        _sign_in(page, "lead@agency.example", PASSWORD)
        page.goto("/w/skylot/members")
        row = page.locator("tr", has_text="vera@client.example")
        row.get_by_role("button", name="Reset password").click()
        expect(page.locator("#temporary-password")).to_be_visible()
        page.screenshot(path=str(SHOTS / f"members-{width}.png"), full_page=True)
        page.goto("/w/skylot/erasure")
        page.get_by_label("Author handle").fill("ola")
        page.get_by_label("Requested by").fill("ola@example.com")
        page.get_by_label("Legal reason").fill("GDPR art. 17, e-mail")
        page.get_by_role("button", name="Preview what will be erased").click()
        expect(page.locator("#erasure-preview")).to_contain_text("1 posts")
        page.screenshot(path=str(SHOTS / f"erasure-{width}.png"), full_page=True)
        page.goto("/w/skylot/inbox")  # htmx pages too: no inline script or style left
        page.goto("/no/such/page")
    assert browser.errors == []


def test_the_api_docs_render_from_local_assets_only(browser: Browser, live_url: str) -> None:
    from playwright.sync_api import Page, expect

    page = browser.page()
    assert isinstance(page, Page)
    page.goto("/api/docs")
    title = page.locator(".swagger-ui .info .title")
    expect(title).to_contain_text("mentiondesk", timeout=30_000)  # a 170 KB spec, parsed in JS
    page.screenshot(path=str(SHOTS / "api-docs-1280.png"))
    assert browser.hosts == {urlparse(live_url).netloc}
    assert browser.errors == []
