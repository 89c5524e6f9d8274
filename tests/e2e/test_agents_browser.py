"""The agents page in a real browser, at desktop and phone widths: every input sits under its
own header, the shift state never contradicts the button beside it, and taking an agent off
shift says which cases went where; a case left unassigned says so on the case itself."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import actor_for
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.desk.assignment import configure_agent
from mentiondesk.desk.case_actions import do_assign_case
from mentiondesk.domain.assignment import AgentProfile, parse_shifts
from mentiondesk.domain.workspaces import Role
from tests.e2e.conftest import PASSWORD, Seed
from tests.e2e.test_browser import live_url, page  # noqa: F401  (fixtures)
from tests.e2e.test_integrations_browser import SHOTS

pytestmark = pytest.mark.browser

# Each input of an agent's row, by name, and the header it must stand under.
COLUMNS = {
    "teams": "Teams",
    "languages": "Languages",
    "capacity": "Capacity",
    "shifts": "Shifts",
    "available": "Switched on",
}


def _desk(services: Services, seed: Seed) -> list[int]:
    """Olga (admin); Ania on shift now (Monday 11:00 in Warsaw) with both Skylot cases; Marek
    switched on but working Saturdays only."""
    now = services.clock.now()
    with services.uow() as uow:
        olga = do_create_user(uow, "olga@skylot.example", "Olga", PASSWORD, now=now)
        uow.users.set_role(olga.id, seed.skylot.id, Role.ADMIN)
        marek = do_create_user(uow, "marek@skylot.example", "Marek", PASSWORD, now=now)
        uow.users.set_role(marek.id, seed.skylot.id, Role.AGENT)
        uow.commit()
        ania = uow.users.get_by_email("ania@skylot.example")
        assert ania is not None
        for user, shifts in ((ania, "mon-fri 08:00-16:00"), (marek, "sat 10:00-14:00")):
            configure_agent(
                uow,
                seed.skylot,
                AgentProfile(user.id, user.name, shifts=parse_shifts(shifts)),
                now=now,
            )
        actor = actor_for(uow, olga, "skylot")
        case_ids = [
            row[0]
            for row in uow.connection.execute(
                text("SELECT id FROM cases WHERE workspace_id = :w ORDER BY id"),
                {"w": seed.skylot.id},
            )
        ]
    with services.uow() as uow:
        for case_id in case_ids:
            do_assign_case(uow, actor, case_id, ania.id, now=now)
    return case_ids


def _agree(browser_page: Any) -> None:
    """No row says "off shift" beside a button that offers to go off shift."""
    rows = browser_page.locator("tr.agent-row")
    for n in range(rows.count()):
        state = rows.nth(n).locator(".shift-state").inner_text().lower()
        if "go off shift" in state:
            assert state.startswith("on shift"), state
        if state.startswith("off shift"):
            assert "go on shift" in state, state


@pytest.mark.parametrize("width", [1280, 390])
def test_taking_an_agent_off_shift_says_which_cases_went_where(
    page: object,  # noqa: F811
    services: Services,
    seed: Seed,
    width: int,
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    case_ids = _desk(services, seed)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/login?next=/w/skylot/agents")
    page.get_by_label("E-mail").fill("olga@skylot.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Agents and shifts")).to_be_visible()

    headers = page.locator("table.agents thead th").all_inner_texts()
    for name, header in COLUMNS.items():
        cell = page.locator(f"tr.agent-row input[name={name}]").first
        index = cell.evaluate("input => input.closest('td').cellIndex")
        assert headers[index] == header, f"{name} stands under {headers[index]!r}"

    ania = page.locator("tr.agent-row", has_text="Ania")
    marek = page.locator("tr.agent-row", has_text="Marek")
    expect(ania.locator(".shift-state")).to_contain_text("on shift")
    expect(marek.locator(".shift-state")).to_contain_text("outside shift hours")
    expect(marek.get_by_role("button", name="Switch off")).to_be_visible()
    _agree(page)

    ania.get_by_role("button", name="Go off shift").click()
    notice = page.get_by_role("status")
    expect(notice).to_contain_text("2 case(s) moved")
    expect(notice).to_contain_text(f"#{case_ids[0]} left unassigned (nobody on shift can take it)")
    expect(page.locator("tr.agent-row", has_text="Ania").locator(".shift-state")).to_contain_text(
        "off shift"
    )
    _agree(page)
    swept = page.locator("table.swept tbody tr")
    expect(swept).to_have_count(2)
    expect(swept.first).to_contain_text("nobody — unassigned")
    expect(swept.first).to_contain_text("Ania went off shift; nobody on shift can take it")
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"the page is {wide}px wide on a {width}px screen"
    page.screenshot(path=str(SHOTS / f"agents-{width}.png"), full_page=True)

    swept.first.get_by_role("link").click()
    expect(page.locator(".sweep-note")).to_contain_text("Unassigned automatically on")
    expect(page.locator(".sweep-note")).to_contain_text("Ania went off shift")
