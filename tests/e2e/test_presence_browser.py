"""Two agents in two browsers on one case: the second sees the first typing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mentiondesk.bootstrap import Services
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.domain.workspaces import Role
from tests.e2e import test_browser
from tests.e2e.conftest import NOW, PASSWORD, Seed
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, _require_chromium

live_url = test_browser.live_url  # the live uvicorn server, shared with the first browser test

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_contexts(
    request: pytest.FixtureRequest, services: Services, seed: Seed
) -> Iterator[tuple[object, object]]:
    _require_chromium()
    base_url: str = request.getfixturevalue("live_url")
    from playwright.sync_api import sync_playwright

    with services.uow() as uow:
        marco = do_create_user(uow, "marco@skylot.example", "Marco", PASSWORD, now=NOW)
        uow.users.set_role(marco.id, seed.skylot.id, Role.AGENT)
        uow.commit()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        ania = browser.new_context(base_url=base_url)
        marco_context = browser.new_context(base_url=base_url)
        yield ania.new_page(), marco_context.new_page()
        ania.close()
        marco_context.close()
        browser.close()


def _sign_in(page: object, email: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.goto("/w/skylot/cases/1")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/w/skylot/cases/1")


def test_the_second_agent_sees_the_first_typing_and_must_confirm_to_send(
    browser_contexts: tuple[object, object],
) -> None:
    from playwright.sync_api import Page, expect

    ania, marco = browser_contexts
    assert isinstance(ania, Page) and isinstance(marco, Page)
    _sign_in(ania, "ania@skylot.example")
    _sign_in(marco, "marco@skylot.example")

    expect(ania.locator("#presence")).to_contain_text("Marco is viewing", timeout=10_000)
    marco.get_by_label("Reply to Tomasz Kowalski").press_sequentially("Tomasz, we found", delay=30)
    expect(ania.locator("#presence")).to_contain_text("Marco is typing…", timeout=10_000)

    ania.get_by_label("Reply to Tomasz Kowalski").fill("Tomasz, sorry! Checking now.")
    ania.get_by_role("button", name="Send reply").click()
    expect(ania.get_by_role("alert")).to_contain_text("Marco is typing a reply")
    ania.get_by_label("Send anyway").check()
    ania.get_by_role("button", name="Send reply").click()
    expect(ania.locator(".message.brand")).to_contain_text("Checking now.")
