"""Event webhooks over the API: an admin (or an admin token) subscribes, pauses, tests and
removes; bad input answers 422 naming the field; agents get 403."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from mentiondesk.bootstrap import Services
from tests.e2e.conftest import Seed, login
from tests.e2e.test_api_tokens import BASE, admin_session, bearer, create
from tests.e2e.test_integrations_browser import receiver_url  # noqa: F401  (fixture)


@pytest.fixture
def admin(client: TestClient, services: Services, seed: Seed) -> Iterator[str]:
    yield admin_session(client, services, seed)


def test_an_admin_token_subscribes_tests_pauses_and_removes_a_webhook(
    client: TestClient,
    admin: str,
    receiver_url: str,  # noqa: F811
) -> None:
    token = create(client, admin, name="provisioning", scopes=["admin"])["token"]
    client.cookies.clear()
    auth = bearer(token)
    bad = client.post(
        f"{BASE}/webhooks",
        json={"url": "javascript:alert(1)", "events": ["case.opened"]},
        headers=auth,
    )
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "url"
    made = client.post(
        f"{BASE}/webhooks",
        json={"url": receiver_url, "events": ["case.opened", "case.resolved"]},
        headers=auth,
    )
    assert made.status_code == 201, made.text
    hook = made.json()
    assert hook["secret"].startswith("whsec_") and hook["paused"] is False
    tested = client.post(f"{BASE}/webhooks/{hook['id']}/test", headers=auth)
    assert tested.json()["status"] == "sent" and tested.json()["response"] == "200"
    paused = client.patch(f"{BASE}/webhooks/{hook['id']}", json={"paused": True}, headers=auth)
    assert paused.json()["paused"] is True
    listed = client.get(f"{BASE}/webhooks", headers=auth).json()
    assert [d["event"] for d in listed[0]["deliveries"]] == ["webhook.test"]
    assert "secret" not in listed[0]
    assert client.delete(f"{BASE}/webhooks/{hook['id']}", headers=auth).status_code == 204
    assert client.get(f"{BASE}/webhooks", headers=auth).json() == []
    gone = client.post(f"{BASE}/webhooks/{hook['id']}/test", headers=auth)
    assert gone.status_code == 404


def test_agents_cannot_see_or_change_webhooks(client: TestClient, seed: Seed) -> None:
    csrf = login(client, "ania@skylot.example")
    assert client.get(f"{BASE}/webhooks").status_code == 403
    refused = client.post(
        f"{BASE}/webhooks",
        json={"url": "https://example.com/x", "events": ["case.opened"]},
        headers={"X-CSRF-Token": csrf},
    )
    assert refused.status_code == 403
