"""Business hours and SLAs over HTTP: the settings page, the inbox badge, merge and snooze."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from mentiondesk.bootstrap import Services
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.domain.workspaces import Role
from mentiondesk.web.sla_sweeper import sweep_once
from tests.e2e.conftest import NOW, PASSWORD, Seed, login

OWNER = "olga@skylot.example"
HOUR = 3600


@pytest.fixture
def owner(services: Services, seed: Seed) -> str:
    with services.uow() as uow:
        user = do_create_user(uow, OWNER, "Olga", PASSWORD, now=NOW)
        uow.users.set_role(user.id, seed.skylot.id, Role.OWNER)
        uow.commit()
    return OWNER


def _configure(client: TestClient, csrf: str) -> None:
    """Mon-Fri 08:00-20:00 in Warsaw, first response within one business hour."""
    response = client.put(
        "/api/v1/workspaces/skylot/settings/desk",
        json={
            "time_zone": "Europe/Warsaw",
            "hours": {str(d): [["08:00", "20:00"]] for d in range(5)},
            "holiday_countries": ["PL"],
            "sla": {"first_response": HOUR},
        },
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 200, response.text


def _case_ids(client: TestClient) -> list[int]:
    items = client.get("/api/v1/workspaces/skylot/cases").json()["items"]
    return sorted(item["id"] for item in items)


def test_the_settings_page_is_for_owners_and_admins_only(client: TestClient, owner: str) -> None:
    login(client, owner)
    assert 'href="/w/skylot/settings/desk"' in client.get("/w/skylot/inbox").text
    page = client.get("/w/skylot/settings/desk")
    assert page.status_code == 200
    assert "Business hours and SLAs" in page.text
    assert "Next week's opening and closing posts" in page.text
    assert 'class="schedule"' in page.text

    client.cookies.clear()
    login(client, "ania@skylot.example")
    assert 'href="/w/skylot/settings/desk"' not in client.get("/w/skylot/inbox").text
    assert client.get("/w/skylot/settings/desk").status_code == 403
    assert client.get("/api/v1/workspaces/skylot/settings/desk").status_code == 403

    client.cookies.clear()
    login(client, "gino@corvo.example")
    assert client.get("/w/skylot/settings/desk").status_code == 404
    assert client.get("/api/v1/workspaces/skylot/settings/desk").status_code == 404


def test_the_owner_saves_hours_and_targets_through_the_form(client: TestClient, owner: str) -> None:
    login(client, owner)
    form = client.get("/w/skylot/settings/desk").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf
    data = {
        "csrf_token": csrf.group(1),
        "time_zone": "Europe/Warsaw",
        **{f"hours_{d}": "08:00-20:00" for d in range(5)},
        "holiday_countries": "PL, IT",
        "closed_days": "2026-12-24",
        "special_days": "2026-12-27 10:00-14:00",
        "first_response": "60",
        "resolution": "24",
        "follow_up_window": "12",
        "ack_enabled": "on",
        "channels": "x=pl",
    }
    saved = client.post("/w/skylot/settings/desk", data=data)
    assert saved.status_code == 303
    stored = client.get("/api/v1/workspaces/skylot/settings/desk").json()
    assert stored["sla"] == {"first_response": 3600.0, "next_response": None, "resolution": 86400.0}
    assert stored["holiday_countries"] == ["PL", "IT"]
    assert stored["special_days"] == {"2026-12-27": [["10:00", "14:00"]]}
    assert stored["follow_up_window"] == 12 * HOUR and stored["ack_enabled"]
    page = client.get("/w/skylot/settings/desk").text
    assert "Jesteśmy tu do 20:00" in page  # the Polish opening post of the schedule

    bad = client.post("/w/skylot/settings/desk", data={**data, "hours_0": "08:00-25:00"})
    assert bad.status_code == 422 and "hours" in bad.text


def test_the_inbox_shows_the_breach_of_a_saturday_complaint_and_filters_it(
    client: TestClient, services: Services, owner: str
) -> None:
    _configure(client, login(client, owner))
    # The seeded posts were written on Saturday 17:07 in Warsaw; it is now Monday 11:00.
    inbox = client.get("/w/skylot/inbox").text
    assert "first response breached" in inbox
    assert client.get("/w/skylot/inbox?breached=yes").text.count('class="case-row') == 0

    assert sweep_once(services) == 2
    assert sweep_once(services) == 0
    assert client.get("/w/skylot/inbox?breached=yes").text.count('class="case-row') == 2
    case_page = client.get(f"/w/skylot/cases/{_case_ids(client)[0]}").text
    assert "SLA clocks" in case_page and "<strong>breached</strong>" in case_page


def test_a_merged_case_refuses_to_be_resolved_with_the_reason(
    client: TestClient, seed: Seed
) -> None:
    csrf = login(client, "ania@skylot.example")
    first, second = _case_ids(client)
    headers = {"X-CSRF-Token": csrf}
    merged = client.post(
        f"/api/v1/workspaces/skylot/cases/{second}/merge",
        json={"into_case_id": first},
        headers=headers,
    )
    assert merged.status_code == 200 and merged.json()["id"] == first
    refused = client.post(
        f"/api/v1/workspaces/skylot/cases/{second}/resolve", json={}, headers=headers
    )
    assert refused.status_code == 409
    assert f"merged into (case {first})" in refused.json()["detail"]
    stale = client.post(
        f"/api/v1/workspaces/skylot/cases/{first}/snooze",
        json={"until": "2026-11-17T09:00:00+01:00", "expected_version": 1},
        headers=headers,
    )
    assert stale.status_code == 409 and "someone changed" in stale.json()["detail"]
