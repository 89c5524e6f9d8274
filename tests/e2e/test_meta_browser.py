"""An agent answers a Facebook comment in a real browser (Debian's chromium via Playwright):
the comment arrived as a signed webhook from the fake Graph server, and the fake records the
reply under the comment."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mentiondesk.connectors.meta import fake_webhooks as wh
from tests.e2e.meta_live import AGENT, OWNER, PAGE, PAGE_TOKEN, PASSWORD, Live, live_desk
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, _require_chromium

pytestmark = pytest.mark.browser


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    with live_desk(tmp_path) as running:
        yield running


def test_an_agent_answers_a_facebook_comment_in_the_browser(live: Live) -> None:
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    owner, csrf = live.client(OWNER)
    owner.post(
        "/api/v1/workspaces/skylot/channels",
        json={"platform": "facebook", "external_id": PAGE, "token": PAGE_TOKEN},
        headers={"X-CSRF-Token": csrf},
    ).raise_for_status()
    graph = live.fake.graph
    post = graph.add_post(PAGE, "Our new route to Milan starts today!")
    comment = graph.add_comment(post.id, "Skylot my bag is lost", author_id="51", author_name="Ola")
    at = datetime.now(UTC)
    change = wh.comment(
        comment_id=comment.id,
        post_id=post.id,
        message=comment.message,
        author_id="51",
        author_name="Ola",
        at=at,
    )
    answer = live.fake.deliver(
        live.webhook_url, wh.batch("page", wh.entry(PAGE, at, changes=[change]))
    )
    assert answer.status_code == 200

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live.base_url)
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("E-mail").fill(AGENT)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto("/w/skylot/inbox")
        page.locator("tr.case-row").first.get_by_role("link").click()
        expect(page.locator(".message.customer")).to_contain_text("my bag is lost")
        page.get_by_label("Reply to Ola").fill("Ola, your bag is in Milan; it reaches you at six.")
        page.get_by_role("button", name="Send reply").click()
        expect(page.locator(".message.brand .delivery")).to_have_text("sent")
        context.close()
        browser.close()

    posted = graph.requests_to("POST", f"/{comment.id}/comments")
    assert [r.params["message"] for r in posted] == [
        "Ola, your bag is in Milan; it reaches you at six."
    ]
