"""A viewer tries a listening query in a real browser and watches the preview follow."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import PASSWORD
from tests.e2e.test_browser import live_url, page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_typing_a_query_updates_the_live_preview(page: object) -> None:  # noqa: F811
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto("/login?next=/w/skylot/listening")
    page.get_by_label("E-mail").fill("vera@client.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Skylot listening")).to_be_visible()

    box = page.get_by_label("Query", exact=True)
    hits = page.locator("#preview .preview-hit")
    box.fill("bag")
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("my bag never arrived")

    box.fill("bag OR bagaż")
    expect(hits).to_have_count(2)

    box.fill("bag AND (milan")
    expect(page.locator("#preview [role=alert]")).to_contain_text("column")
    expect(hits).to_have_count(0)
