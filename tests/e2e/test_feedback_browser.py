"""A viewer opens the Feedback tab in a real browser: the topics chart is drawn by the vendored
charting library, the tabs lead between the report's sections, and nothing fails in the page."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import PASSWORD
from tests.e2e.test_browser import live_url, page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_the_feedback_tab_draws_its_topics_and_links_the_other_tabs(page: object) -> None:  # noqa: F811
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/login?next=/w/skylot/reports%3Ffrom%3D2026-11-01%26to%3D2026-11-16")
    page.get_by_label("E-mail").fill("vera@client.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Reports · Skylot")).to_be_visible()

    page.get_by_role("navigation", name="Report sections").get_by_role(
        "link", name="Feedback"
    ).click()
    expect(page.get_by_role("heading", name="Feedback · Skylot")).to_be_visible()
    expect(page.locator('[data-chart="topics"] .uplot canvas')).to_have_count(1)
    expect(page.locator("#topics table.report")).to_contain_text("Lost or damaged baggage")

    page.get_by_role("link", name="Opportunities").click()
    expect(page.get_by_role("heading", name="Opportunities · Skylot")).to_be_visible()
    page.get_by_role("link", name="Scheduled e-mails").click()
    expect(page.get_by_text("Nobody gets a summary yet.")).to_be_visible()
    assert "Add a summary" not in page.content()  # a viewer reads, an admin changes
    assert errors == []
