"""The inbox in real chromium: keyboard-only triage, bulk actions, a saved view, search, live
arrival of a new case, and a usable phone width. Screenshots land in the test's folder."""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mentiondesk.bootstrap import Services
from tests.e2e.conftest import PASSWORD, Seed, raw_post
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, _require_chromium, live_url

__all__ = ["live_url"]  # the live server fixture, shared with the other browser tests

pytestmark = pytest.mark.browser

SHOTS = (
    Path(os.environ.get("MENTIONDESK_SCREENSHOTS", ""))
    if os.environ.get("MENTIONDESK_SCREENSHOTS")
    else None
)


@pytest.fixture
def more_cases(services: Services, seed: Seed) -> list[str]:
    """Six more Skylot cases (eight in all), each from its own customer."""
    texts = [
        "@skylot my flight SK-204 was cancelled and nobody answers the phone!",
        "@skylot opóźnienie lotu do Krakowa, trzy godziny czekamy",
        "@skylot volo in ritardo di due ore, nessuna risposta",
        "@skylot can I bring my bike as luggage?",
        "@skylot thanks, great crew today",
        "@skylot kolejne opóźnienia, co się dzieje?",
    ]
    for i, text in enumerate(texts):
        services.pipeline.ingest(
            seed.skylot,
            raw_post(f"b-{i}", text, author_handle=f"flyer_{i}", author_name=f"Flyer {i}"),
            source="t",
        )
    return texts


@pytest.fixture
def browser_context(live_url: str) -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_url, viewport={"width": 1280, "height": 900})
        yield context
        context.close()
        browser.close()


def _signed_in(context: object, width: int = 1280) -> object:
    from playwright.sync_api import BrowserContext, expect

    assert isinstance(context, BrowserContext)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/login?next=/w/skylot/inbox")
    page.get_by_label("E-mail").fill("ania@skylot.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Skylot inbox")).to_be_visible()
    return page


def _shot(page: object, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=True)  # type: ignore[attr-defined]


def test_keyboard_only_triage_assigns_resolves_and_moves_on(
    browser_context: object, more_cases: list[str]
) -> None:
    from playwright.sync_api import Page, expect

    page = _signed_in(browser_context)
    assert isinstance(page, Page)
    rows = page.locator("tr.case-row")
    expect(rows).to_have_count(8)
    _shot(page, "inbox-1280.png")

    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_class("case-row sentiment-negative current")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(rows.nth(0)).to_contain_text("")
    first_id = rows.nth(0).get_attribute("data-case-id")
    page.keyboard.press("a")  # assign to me
    expect(page.locator(".notice")).to_have_text("Assign to me: 1 case done.")
    expect(page.locator(f'tr[data-case-id="{first_id}"] td.assignee')).to_have_text("Ania")

    page.keyboard.press("j")
    second_id = page.locator("tr.case-row.current").get_attribute("data-case-id")
    page.keyboard.press("e")  # resolve; the row below becomes current
    expect(page.locator(".notice")).to_have_text("Resolve: 1 case done.")
    expect(rows).to_have_count(7)
    expect(page.locator(f'tr[data-case-id="{second_id}"]')).to_have_count(0)
    expect(page.locator("tr.case-row.current")).to_have_count(1)

    page.keyboard.press("?")
    expect(page.get_by_role("heading", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("/")
    expect(page.locator("#inbox-search")).to_be_focused()
    page.keyboard.type("opóźnienie")
    page.keyboard.press("Enter")
    expect(page.locator(".count")).to_contain_text("matching “opóźnienie”")
    summaries = rows.locator("td.summary").all_inner_texts()
    assert summaries and all("opóźn" in text for text in summaries), summaries
    expect(page).to_have_url(
        "/w/skylot/inbox?status=active&language=&assignee=&needs_reply=&mention_kind=&intent=&sort=urgent&breached=&q=op%C3%B3%C5%BAnienie"
    )

    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    page.keyboard.press("Enter")  # opens the case beside the list
    pane = page.locator("#case-pane")
    expect(pane.locator(".case-title")).to_contain_text("Case")
    expect(page).to_have_url(re.compile(r"case=\d+"))
    page.keyboard.press("r")
    expect(page.locator("#reply-text")).to_be_focused()
    page.locator("#reply-text").press("Escape")  # back to the list, where the keys work
    opened = pane.locator("[data-pane-case]").get_attribute("data-pane-case")
    page.keyboard.press("e")  # resolve and open the next row
    expect(pane.locator("[data-pane-case]")).not_to_have_attribute("data-pane-case", opened or "")
    expect(page.locator(f'tr[data-case-id="{opened}"]')).to_have_count(0)


def test_bulk_actions_and_a_saved_view_with_its_count(
    browser_context: object, more_cases: list[str]
) -> None:
    from playwright.sync_api import Page, expect

    page = _signed_in(browser_context)
    assert isinstance(page, Page)
    rows = page.locator("tr.case-row")
    expect(rows).to_have_count(8)
    for i in (0, 1, 2):
        rows.nth(i).get_by_role("checkbox").check()
    page.get_by_role("button", name="Assign to me").click()
    expect(page.locator(".notice")).to_have_text("Assign to me: 3 cases done.")

    mine = page.get_by_role("link", name="Mine 3")
    expect(mine).to_be_visible()
    mine.click()
    expect(rows).to_have_count(3)
    for i in (0, 1):
        rows.nth(i).get_by_role("checkbox").check()
    page.get_by_role("button", name="Snooze 4 hours").click()
    expect(page.locator(".notice")).to_have_text("Snooze 4 hours: 2 cases done.")
    expect(rows).to_have_count(1)
    expect(page.get_by_role("link", name="Mine 1")).to_be_visible()


def test_a_new_case_appears_on_the_open_inbox_within_a_second_or_so(
    browser_context: object, services: Services, seed: Seed
) -> None:
    from playwright.sync_api import Page, expect

    page = _signed_in(browser_context)
    assert isinstance(page, Page)
    rows = page.locator("tr.case-row")
    expect(rows).to_have_count(2)
    expect(page.locator("#inbox-live")).to_have_attribute("data-live", "connected")

    stored = threading.Event()

    def arrive() -> None:
        services.pipeline.ingest(
            seed.skylot,
            raw_post("live-1", "@skylot lost my luggage in Rome!", author_handle="late_lea"),
            source="t",
        )
        stored.set()

    threading.Thread(target=arrive).start()
    assert stored.wait(10)
    started = time.monotonic()
    expect(rows).to_have_count(3, timeout=3000)
    waited = time.monotonic() - started
    expect(page.locator(".arrived")).to_contain_text("1 new case")
    expect(page.locator("tbody")).to_contain_text("lost my luggage in Rome")
    assert waited < 2.5, f"the new case took {waited:.1f}s to appear"


def test_at_phone_width_nothing_scrolls_sideways_and_sign_out_is_reachable(
    browser_context: object, more_cases: list[str]
) -> None:
    from playwright.sync_api import Page, expect

    page = _signed_in(browser_context, width=390)
    assert isinstance(page, Page)
    expect(page.locator("tr.case-row")).to_have_count(8)
    width = page.evaluate("document.documentElement.scrollWidth")
    _shot(page, "inbox-390.png")
    assert width <= 390, f"the page is {width}px wide at a 390px viewport"
    sign_out = page.get_by_role("button", name="Sign out")
    box = sign_out.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.locator("tr.case-row").first.get_by_role("link").click()
    expect(page.locator("#case-pane .case-title")).to_contain_text("Case")
    expect(page.locator(".split-list")).to_be_hidden()  # the pane takes the list's place
    _shot(page, "case-390.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="← Back to the list").click()
    expect(page.locator("tr.case-row")).to_have_count(8)
    expect(page.locator(".split-list")).to_be_visible()
