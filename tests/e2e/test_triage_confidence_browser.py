"""In a real browser: a label triage is not sure of reads "not sure", and each label says why."""

from __future__ import annotations

import pytest

from mentiondesk.bootstrap import Services
from tests.e2e.conftest import PASSWORD, Seed, raw_post
from tests.e2e.test_browser import live_url, page  # noqa: F401  (the browser fixtures)

pytestmark = pytest.mark.browser


def test_an_agent_sees_not_sure_and_why_beside_the_labels(
    page: object,  # noqa: F811
    services: Services,
    seed: Seed,
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    text = "@skylot nie wiem co o tym myśleć, lot był ok ale obsługa taka sobie"
    done = services.pipeline.ingest(
        seed.skylot, raw_post("850", text, author_handle="basia", lang="pl"), source="t"
    )
    page.goto(f"/w/skylot/cases/{done.case_id}")
    page.get_by_label("E-mail").fill("ania@skylot.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    post = page.locator(".message").filter(has_text="obsługa taka sobie")
    expect(post.locator('[data-label="intent"]')).to_have_text(
        "other? not sure (maybe a complaint)"
    )
    expect(post.locator('[data-label="sentiment"]')).to_contain_text("%")
    expect(post.locator('[data-why="sentiment"]')).to_contain_text("why: '")
    expect(post).not_to_contain_text("no reply needed")
