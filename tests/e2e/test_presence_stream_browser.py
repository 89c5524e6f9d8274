"""Collision presence in real chromium, two agents in two browser contexts: opening and typing
in a case shows on the colleague's list and pane within about a second, over the inbox's
server-sent event stream (the list never polls for presence)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from mentiondesk.bootstrap import Services
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.domain.workspaces import Role
from tests.e2e.conftest import NOW, PASSWORD, Seed
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, _require_chromium, live_url

__all__ = ["live_url"]

pytestmark = pytest.mark.browser

SOON_MS = 1500  # "within about a second", with room for a busy test machine


@pytest.fixture
def bruno(services: Services, seed: Seed) -> str:
    with services.uow() as uow:
        user = do_create_user(uow, "bruno@skylot.example", "Bruno", PASSWORD, now=NOW)
        uow.users.set_role(user.id, seed.skylot.id, Role.AGENT)
        uow.commit()
    return "bruno@skylot.example"


@pytest.fixture
def browser(live_url: str) -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _inbox_as(browser: object, base_url: str, email: str) -> object:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    page = browser.new_context(
        base_url=base_url, viewport={"width": 1280, "height": 900}
    ).new_page()
    page.goto("/login?next=/w/skylot/inbox")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Skylot inbox")).to_be_visible()
    expect(page.locator("#inbox-live")).to_have_attribute("data-live", "connected")
    return page


def test_a_colleague_opening_and_typing_shows_on_my_list_and_pane_at_once(
    browser: object, live_url: str, bruno: str
) -> None:
    from playwright.sync_api import Page, expect

    ania = _inbox_as(browser, live_url, "ania@skylot.example")
    other = _inbox_as(browser, live_url, bruno)
    assert isinstance(ania, Page) and isinstance(other, Page)
    row = other.locator("tr.case-row").first
    case_id = row.get_attribute("data-case-id")
    on_my_row = ania.locator(f'tr[data-case-id="{case_id}"] .row-presence')

    started = time.monotonic()
    row.locator("td.summary a").click()  # Bruno opens the case beside his list
    expect(on_my_row).to_have_text("Bruno is viewing", timeout=SOON_MS)
    viewing_after = time.monotonic() - started

    ania.locator(f'tr[data-case-id="{case_id}"] td.summary a').click()
    expect(ania.locator("#case-pane [data-pane-case]")).to_have_attribute(
        "data-pane-case", case_id or ""
    )
    other.locator("#reply-text").fill("Checking your booking now")
    other.locator("#reply-text").press("End")  # a keystroke: the composer reports typing
    expect(ania.locator("#presence .presence-typing")).to_have_text(
        "Bruno is typing…", timeout=SOON_MS
    )
    expect(on_my_row).to_have_text("Bruno is typing…")
    # Ania's own heartbeats never come back to her as a colleague
    expect(other.locator(f'tr[data-case-id="{case_id}"] .row-presence')).to_have_text(
        "Ania is viewing", timeout=SOON_MS
    )
    expect(ania.locator(".row-presence", has_text="Ania")).to_have_count(0)
    assert viewing_after < 2.0, f"presence took {viewing_after:.1f}s to show"
