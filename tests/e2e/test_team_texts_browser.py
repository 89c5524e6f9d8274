"""An admin writes the desk's own texts in a real browser, at desktop and phone widths: a
broken placeholder is refused beside its field with the typed text kept, "Preview" shows how
the texts read without saving, "Save" keeps them and the audit log records the change."""

from __future__ import annotations

from typing import Any

import pytest

from mentiondesk.bootstrap import Services
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.desk.audit_log import AuditFilter
from mentiondesk.desk.sla_settings import load_desk_settings
from mentiondesk.domain.workspaces import Role
from tests.e2e.conftest import PASSWORD, Seed
from tests.e2e.test_browser import live_url, page  # noqa: F401  (fixtures)
from tests.e2e.test_integrations_browser import SHOTS

pytestmark = pytest.mark.browser

CLOSING = "text_pl_closing"


def _saved_texts(services: Services, seed: Seed) -> Any:
    with services.uow() as uow:
        return load_desk_settings(uow, seed.skylot).texts


@pytest.mark.parametrize("width", [1280, 390])
def test_an_admin_previews_and_saves_the_closing_post_in_polish(
    page: object,  # noqa: F811
    services: Services,
    seed: Seed,
    width: int,
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with services.uow() as uow:
        user = do_create_user(
            uow, "olga@skylot.example", "Olga", PASSWORD, now=services.clock.now()
        )
        uow.users.set_role(user.id, seed.skylot.id, Role.ADMIN)
        uow.commit()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/login?next=/w/skylot/settings/desk")
    page.get_by_label("E-mail").fill("olga@skylot.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Texts customers read")).to_be_visible()

    closing = page.locator(f"#{CLOSING}")
    closing.fill("Do jutra! Wracamy {kiedy}.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(f"#{CLOSING}-error")).to_contain_text("unknown placeholder {kiedy}")
    expect(page.locator(f"#{CLOSING}")).to_have_value("Do jutra! Wracamy {kiedy}.")
    assert _saved_texts(services, seed) == {}

    page.locator(f"#{CLOSING}").fill("Do jutra! Wracamy {when}.")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("status")).to_contain_text("Preview only")
    expect(page.locator("#preview-pl")).to_contain_text("Do jutra! Wracamy")
    expect(page.locator("#preview-pl")).not_to_contain_text("{when}")
    assert _saved_texts(services, seed) == {}  # a preview saves nothing

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Settings saved.")
    expect(page.locator(f"#{CLOSING}")).to_have_value("Do jutra! Wracamy {when}.")
    expect(page.locator("#preview-pl")).to_contain_text("Do jutra! Wracamy")
    assert _saved_texts(services, seed) == {"pl": {"closing": "Do jutra! Wracamy {when}."}}
    with services.uow() as uow:
        entries = uow.audit.page(seed.skylot.id, AuditFilter(), offset=0, limit=50)
    changed = [e for e in entries if e.action == "workspace.settings"]
    assert changed and changed[0].data["after"]["texts"]["pl"]["closing"].startswith("Do jutra")
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"the page is {wide}px wide on a {width}px screen"
    page.locator("#texts").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"desk-texts-{width}.png"), full_page=True)
    page.locator("#texts-pl").screenshot(path=str(SHOTS / f"desk-texts-pl-{width}.png"))
    page.locator(".text-previews").screenshot(path=str(SHOTS / f"desk-previews-{width}.png"))
