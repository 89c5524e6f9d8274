"""A viewer opens the reports page in a real browser: every chart is drawn by the vendored
charting library from the page's JSON block, and a filter narrows the figures."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import PASSWORD
from tests.e2e.test_browser import live_url, page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_the_reports_page_draws_every_chart_and_filters_by_channel(page: object) -> None:  # noqa: F811
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/login?next=/w/skylot/reports%3Ffrom%3D2026-11-01%26to%3D2026-11-16")
    page.get_by_label("E-mail").fill("vera@client.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Reports · Skylot")).to_be_visible()

    charts = page.locator("[data-chart]")
    # No SLA targets and nobody assigned yet: volume, times, answers and backlog are charted.
    expect(charts).to_have_count(4)
    expect(page.locator("[data-chart] .uplot canvas")).to_have_count(4)
    expect(page.locator(".summary .figure").first).to_contain_text("2")

    page.get_by_label("Channel").select_option("facebook")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"platform=facebook"))
    expect(page.locator(".summary .figure").first).to_contain_text("0")
    expect(page.get_by_role("heading", name="Backlog now: 0 open cases")).to_be_visible()
    assert errors == []
