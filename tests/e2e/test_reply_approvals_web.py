"""The guard's way forward over HTTP: contacts and hotline hours on the settings page, and
approval requests asked from the case page and decided from the case, the list and the API."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from mentiondesk.bootstrap import Services
from tests.e2e.conftest import Seed, login
from tests.e2e.test_replies_web import WRONG_NAME, case_of, make_admin, post_reply

POLICY_FORM = {
    "signature_mode": "never",
    "signature_format": "^{signature}",
    "duplicate_threshold": "0.9",
    "max_attempts": "5",
}


def save_policy(client: TestClient, csrf: str, **fields: str) -> str:
    response = client.post(
        "/w/skylot/settings/replies", data={**POLICY_FORM, **fields, "csrf_token": csrf}
    )
    return response.text if response.status_code != 303 else ""


def test_an_admin_sets_contacts_and_hotline_hours_on_the_settings_page(
    client: TestClient, seed: Seed, services: Services
) -> None:
    csrf = login(client, make_admin(services, seed))
    hours = {f"hotline_{d}": "08:00-17:00" for d in range(5)}

    error = save_policy(
        client,
        csrf,
        phones="+48 22 123 45 67",
        emails="pomoc@skylot.example",
        websites="www.skylot.example",
        hotline_time_zone="Europe/Warsaw",
        **hours,
    )

    assert error == ""
    policy = client.get("/api/v1/workspaces/skylot/reply-policy").json()
    assert policy["contacts"]["phones"] == ["+48 22 123 45 67"]
    assert policy["hotline"]["days"]["0"] == [["08:00", "17:00"]]
    assert "5" not in policy["hotline"]["days"]
    page = client.get("/w/skylot/settings/replies").text
    assert 'name="hotline_0" value="08:00-17:00"' in page and "pomoc@skylot.example" in page

    bad = save_policy(client, csrf, hotline_time_zone="Europe/Warsaw", hotline_2="8 to 5")
    assert "hotline_2" in bad and 'value="8 to 5"' in bad


def test_the_brands_own_hotline_in_a_reply_is_not_sensitive_once_set(
    client: TestClient, seed: Seed, services: Services
) -> None:
    csrf = login(client, make_admin(services, seed))
    client.put(
        "/api/v1/workspaces/skylot/reply-policy",
        json={"contacts": {"phones": ["+48 22 123 45 67"]}},
        headers={"X-CSRF-Token": csrf},
    )
    csrf = login(client, "ania@skylot.example")
    case_id = case_of(client, csrf)
    checked = client.post(
        f"/api/v1/workspaces/skylot/cases/{case_id}/guard",
        json={"text": "Sorry Tomasz! Our hotline 22 123 45 67 will sort it today."},
        headers={"X-CSRF-Token": csrf},
    ).json()
    assert "sensitive_public" not in {f["check"] for f in checked["findings"]}


def test_an_agent_asks_from_the_blocked_composer_and_an_admin_approves_from_the_case(
    client: TestClient, seed: Seed, services: Services
) -> None:
    csrf = login(client, "ania@skylot.example")
    case_id = case_of(client, csrf)
    page = client.get(f"/w/skylot/cases/{case_id}").text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    refused = client.post(
        f"/w/skylot/cases/{case_id}/reply",
        data={"text": WRONG_NAME, "idempotency_key": "k1", "version": version.group(1),
              "csrf_token": csrf},
    )  # fmt: skip
    assert refused.status_code == 422 and "Ask for approval" in refused.text
    assert "Send anyway" not in refused.text

    asked = client.post(
        f"/w/skylot/cases/{case_id}/approval-requests",
        data={"text": WRONG_NAME, "idempotency_key": "k1", "note": "her husband",
              "csrf_token": csrf},
    )  # fmt: skip
    assert asked.status_code == 303
    waiting = client.get(f"/w/skylot/cases/{case_id}").text
    assert "Waiting for an owner or admin." in waiting and "her husband" in waiting

    csrf = login(client, make_admin(services, seed))
    listed = client.get("/w/skylot/approval-requests").text
    request_id = re.search(r'data-approval-id="(\d+)"', listed)
    assert request_id and f"#{case_id}" in listed
    approved = client.post(
        f"/w/skylot/approval-requests/{request_id.group(1)}/approve",
        data={"reason": "Marco is her husband", "csrf_token": csrf},
    )
    assert approved.status_code == 303
    case_page = client.get(f"/w/skylot/cases/{case_id}").text
    assert "Approved by Boss" in case_page and "Marco is her husband" in case_page
    replies = client.get(f"/api/v1/workspaces/skylot/cases/{case_id}").json()["replies"]
    assert [(r["text"], r["status"]) for r in replies] == [(WRONG_NAME, "simulated")]


def test_the_api_asks_lists_rejects_and_refuses_an_agents_decision(
    client: TestClient, seed: Seed, services: Services
) -> None:
    csrf = login(client, "ania@skylot.example")
    case_id = case_of(client, csrf)
    assert post_reply(client, csrf, case_id, WRONG_NAME).status_code == 422
    headers = {"X-CSRF-Token": csrf}
    asked = client.post(
        f"/api/v1/workspaces/skylot/cases/{case_id}/approval-requests",
        json={"text": WRONG_NAME, "idempotency_key": "api-1"},
        headers=headers,
    )
    assert asked.status_code == 201, asked.text
    body = asked.json()
    assert body["status"] == "pending" and body["blocking_checks"] == ["wrong_name"]
    decided = client.post(
        f"/api/v1/workspaces/skylot/approval-requests/{body['id']}/approve",
        json={"reason": "fine"},
        headers=headers,
    )
    assert decided.status_code == 403

    csrf = login(client, make_admin(services, seed))
    headers = {"X-CSRF-Token": csrf}
    pending = client.get("/api/v1/workspaces/skylot/approval-requests").json()
    assert [r["id"] for r in pending] == [body["id"]]
    rejected = client.post(
        f"/api/v1/workspaces/skylot/approval-requests/{body['id']}/reject",
        json={"reason": "Greet Tomasz"},
        headers=headers,
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert client.get("/api/v1/workspaces/skylot/approval-requests").json() == []
    again = client.post(
        f"/api/v1/workspaces/skylot/approval-requests/{body['id']}/approve",
        json={"reason": "changed my mind"},
        headers=headers,
    )
    assert again.status_code == 409
