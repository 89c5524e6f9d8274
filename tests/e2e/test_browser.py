"""An agent works a case in a real browser: Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from mentiondesk.bootstrap import Services
from mentiondesk.web.app import create_app
from tests.e2e.conftest import PASSWORD, Seed

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.browser


def _require_chromium() -> None:
    if not os.path.exists(CHROMIUM):
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def live_url(services: Services, seed: Seed) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(services), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(live_url: str) -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_url)
        yield context.new_page()
        context.close()
        browser.close()


def test_an_agent_signs_in_filters_answers_and_resolves_a_case(page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto("/w/skylot/inbox")
    expect(page).to_have_url("/login?next=/w/skylot/inbox")  # redirected to sign in
    page.get_by_label("E-mail").fill("ania@skylot.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Skylot inbox")).to_be_visible()
    rows = page.locator("tr.case-row")
    expect(rows).to_have_count(2)

    page.get_by_label("Language").select_option("pl")  # htmx swaps the rows in place
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("gdzie jest mój bagaż")
    expect(page).to_have_url(
        "/w/skylot/inbox?status=active&language=pl&assignee=&needs_reply=&mention_kind=&intent=&sort=urgent&breached="
    )

    rows.first.get_by_role("link").click()  # the case opens beside the list
    pane = page.locator("#case-pane")
    title = pane.locator(".case-title")
    expect(title).to_contain_text("new")
    pane.get_by_label("Reply to Ola Nowak").fill(
        "Olu, przepraszamy! Bagaż jest w Mediolanie, kurier będzie o 18:00."
    )
    pane.get_by_role("button", name="Send reply").click()

    expect(pane.locator(".message.brand")).to_contain_text("kurier będzie o 18:00")
    expect(pane.locator(".message.brand .delivery")).to_have_text(
        "not delivered — development channel"
    )
    expect(title).to_contain_text("waiting for customer")

    pane.get_by_role("button", name="Resolve", exact=True).click()
    expect(title).to_contain_text("resolved")
    expect(pane.locator(".meta")).to_contain_text("resolved in")
    case_url = pane.get_by_role("link", name="Open as a page").get_attribute("href")
    page.goto(case_url or "")
    expect(page.get_by_role("heading", level=1)).to_contain_text("resolved")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url("/login")
