"""An agent's first week, scripted in real chromium: keyboard-only triage of twenty cases in
the split inbox, a bulk tag, a saved view of one's own, a search, a post arriving live while
the page is open, and the phone width. Screenshots land in $MENTIONDESK_SCREENSHOTS."""

from __future__ import annotations

import re
import struct
import threading
from pathlib import Path

import pytest

from mentiondesk.bootstrap import Services
from tests.e2e.conftest import Seed, raw_post
from tests.e2e.test_browser import live_url
from tests.e2e.test_inbox_browser import SHOTS, _signed_in, browser_context

__all__ = ["browser_context", "live_url"]

pytestmark = pytest.mark.browser

TEXTS = [
    "@skylot my flight was cancelled, what now?",
    "@skylot lost my luggage at Fiumicino",
    "@skylot opóźnienie lotu, nikt nic nie mówi",
    "@skylot volo cancellato senza avviso",
    "@skylot can I change my seat online?",
    "@skylot the app crashes at check-in",
]
TRIAGED = 20
UNREAD = re.compile(r"\bunread\b")


@pytest.fixture
def week(services: Services, seed: Seed) -> int:
    """Twenty-four more Skylot cases, each from its own customer; how many are active."""
    for i in range(24):
        services.pipeline.ingest(
            seed.skylot,
            raw_post(
                f"w-{i}",
                f"{TEXTS[i % len(TEXTS)]} (#{i})",
                author_handle=f"traveller_{i}",
                author_name=f"Traveller {i}",
            ),
            source="t",
        )
    return 26


def _png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return int(width), int(height)


def _shot(page: object, name: str, tmp_path: Path, *, full_page: bool = True) -> Path:
    folder = SHOTS or tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path), full_page=full_page)  # type: ignore[attr-defined]
    return path


def test_a_first_week_in_the_split_inbox(
    browser_context: object, services: Services, seed: Seed, week: int, tmp_path: Path
) -> None:
    from playwright.sync_api import Page, expect

    page = _signed_in(browser_context)
    assert isinstance(page, Page)
    rows = page.locator("tr.case-row")
    pane = page.locator("#case-pane")
    expect(rows).to_have_count(week)
    expect(page.locator("#inbox-live")).to_have_attribute("data-live", "connected")

    # Keyboard only: move, open beside the list, take it, resolve it and open the next row.
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    page.keyboard.press("Enter")
    expect(pane.locator(".case-title")).to_contain_text("Case")
    _shot(page, "first-week-split-1280.png", tmp_path, full_page=False)
    for _ in range(TRIAGED):
        opened = pane.locator("[data-pane-case]").get_attribute("data-pane-case")
        expect(pane.locator("#assign-me")).to_have_count(1)
        page.keyboard.press("a")
        expect(pane.locator("#assign-me")).to_have_count(0)  # it is mine now
        page.keyboard.press("e")
        expect(pane.locator(f'[data-pane-case="{opened}"]')).to_have_count(0)
        expect(page.locator(f'tr.case-row[data-case-id="{opened}"]')).to_have_count(0)
    expect(rows).to_have_count(week - TRIAGED)
    now_open = pane.locator("[data-pane-case]").get_attribute("data-pane-case")
    page.go_back()  # the address followed the pane, so back shows the case before
    expect(page).not_to_have_url(re.compile(rf"case={now_open}\b"))
    expect(pane.locator("[data-pane-case]")).not_to_have_attribute("data-pane-case", now_open or "")
    page.go_forward()
    expect(pane.locator(f'[data-pane-case="{now_open}"]')).to_have_count(1)
    expect(page.locator(".split.has-case")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator(".split.has-case")).to_have_count(0)

    # A bulk action: tag two cases.
    for i in (0, 1):
        rows.nth(i).get_by_role("checkbox").check()
    page.get_by_label("Tag", exact=True).fill("refund")
    page.get_by_role("button", name="Tag", exact=True).click()
    expect(page.locator(".notice")).to_have_text("Tag: 2 cases done.")

    # A saved view of one's own, with its count, then used.
    page.get_by_label("Language").select_option("pl")
    expect(page).to_have_url(re.compile(r"language=pl"))
    polish = rows.count()
    page.get_by_text("Save these filters as a view").click()
    page.get_by_label("Name").fill("Polish")
    page.get_by_role("button", name="Save view").click()
    expect(page.locator(".notice")).to_have_text("Saved the view “Polish”.")
    page.goto("/w/skylot/inbox")
    view = page.get_by_role("link", name=f"Polish {polish}")
    expect(view).to_be_visible()
    view.click()
    expect(rows).to_have_count(polish)
    assert all(t == "pl" for t in rows.locator("td.col-lang").all_inner_texts())
    expect(page.locator("#inbox-live")).to_have_attribute("data-live", "connected")
    services.pipeline.ingest(
        seed.skylot,
        raw_post("w-en", "@skylot where is my bag?", author_handle="en_1", lang="en"),
        source="t",
    )
    expect(page.locator(".arrived")).to_contain_text("1 new case")
    expect(rows).to_have_count(polish)  # the live reload keeps the view's filters
    assert all(t == "pl" for t in rows.locator("td.col-lang").all_inner_texts())

    # A search.
    page.goto("/w/skylot/inbox")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("/")
    page.keyboard.type("luggage")
    page.keyboard.press("Enter")
    expect(page.locator(".count")).to_contain_text("matching “luggage”")
    assert all("luggage" in t for t in rows.locator("td.summary").all_inner_texts())

    # A post arrives while the inbox is open: it appears, unread, and the bar counts it.
    page.goto("/w/skylot/inbox")
    expect(page.locator("#inbox-live")).to_have_attribute("data-live", "connected")
    before = rows.count()
    arrival = threading.Thread(
        target=services.pipeline.ingest,
        args=(seed.skylot, raw_post("w-live", "@skylot my suitcase is broken", author_handle="z")),
        kwargs={"source": "t"},
    )
    arrival.start()
    arrival.join(10)
    expect(rows).to_have_count(before + 1, timeout=5000)
    fresh = page.locator("tr.case-row", has_text="my suitcase is broken")
    expect(fresh).to_have_class(UNREAD)
    expect(page.locator(".arrived")).to_contain_text("1 new case since you opened this page")
    fresh.locator("td.summary a").click()
    expect(pane.locator(".case-title")).to_be_visible()
    expect(fresh).not_to_have_class(UNREAD)

    # The phone width: nothing scrolls sideways; the pane takes the list's place.
    phone = _signed_in(browser_context, width=390)
    assert isinstance(phone, Page)
    expect(phone.locator("tr.case-row").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    width, _ = _png_size(_shot(phone, "first-week-inbox-390.png", tmp_path))
    assert width == 390
    phone.locator("tr.case-row td.summary a").first.click()
    expect(phone.locator("#case-pane .case-title")).to_be_visible()
    expect(phone.locator(".split-list")).to_be_hidden()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    width, _ = _png_size(_shot(phone, "first-week-case-390.png", tmp_path))
    assert width == 390
    phone.get_by_role("link", name="← Back to the list").click()
    expect(phone.locator(".split-list")).to_be_visible()
