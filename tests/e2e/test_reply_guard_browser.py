"""The live guard in a real browser: a wrong name shows a blocking finding, fixing it clears it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mentiondesk.bootstrap import Services
from tests.e2e import test_browser
from tests.e2e.conftest import PASSWORD, Seed
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, _require_chromium

live_url = test_browser.live_url  # the live uvicorn server, shared with the first browser test

pytestmark = pytest.mark.browser


@pytest.fixture
def page(request: pytest.FixtureRequest, services: Services, seed: Seed) -> Iterator[object]:
    _require_chromium()
    base_url: str = request.getfixturevalue("live_url")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=base_url)
        yield context.new_page()
        context.close()
        browser.close()


def test_typing_the_wrong_name_shows_a_blocking_finding_and_fixing_it_clears_it(
    page: object,
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto("/w/skylot/cases/1")
    page.get_by_label("E-mail").fill("ania@skylot.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/w/skylot/cases/1")
    composer = page.get_by_label("Reply to Tomasz Kowalski")
    finding = page.locator('#reply-findings [data-check="wrong_name"]')

    composer.press_sequentially("Hi Marco, sorry about your bag, we are tracing it now.", delay=5)
    expect(finding).to_be_visible(timeout=10_000)
    expect(finding).to_contain_text("Blocks sending")
    expect(finding.locator("mark")).to_have_text("Marco")

    composer.fill("")
    composer.press_sequentially("Hi Tomasz, sorry about your bag, we are tracing it now.", delay=5)
    expect(finding).to_have_count(0, timeout=10_000)
