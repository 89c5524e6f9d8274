"""Replies over HTTP: the guard on send and live in the composer, policy and signatures."""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient

from mentiondesk.bootstrap import Services
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.domain.workspaces import Role
from tests.e2e.conftest import NOW, PASSWORD, Seed, login

WRONG_NAME = "Hi Marco, sorry about your bag, we are tracing it and will write back today."
GOOD = "Hi Tomasz, sorry about your bag, we are tracing it and will write back today."


def case_of(client: TestClient, csrf: str, handle: str = "tomek_k") -> int:
    cases = client.get("/api/v1/workspaces/skylot/cases", headers={"X-CSRF-Token": csrf})
    return next(c["id"] for c in cases.json()["items"] if c["author_handle"] == handle)


def make_admin(services: Services, seed: Seed) -> str:
    with services.uow() as uow:
        user = do_create_user(uow, "boss@skylot.example", "Boss", PASSWORD, now=NOW)
        uow.users.set_role(user.id, seed.skylot.id, Role.ADMIN)
        uow.commit()
    return "boss@skylot.example"


def post_reply(
    client: TestClient, csrf: str, case_id: int, text: str, **extra: object
) -> httpx.Response:
    return client.post(
        f"/api/v1/workspaces/skylot/cases/{case_id}/replies",
        json={"text": text, "idempotency_key": f"k-{len(text)}-{len(extra)}", **extra},
        headers={"X-CSRF-Token": csrf},
    )


def test_the_api_refuses_a_reply_to_the_wrong_customer_naming_wrong_name(
    client: TestClient, seed: Seed
) -> None:
    csrf = login(client, "ania@skylot.example")
    case_id = case_of(client, csrf)

    refused = post_reply(client, csrf, case_id, WRONG_NAME)

    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert "wrong_name" in detail["reason"]
    wrong = next(f for f in detail["findings"] if f["check"] == "wrong_name")
    assert wrong["severity"] == "block" and wrong["excerpt"] == "Marco"
    assert post_reply(client, csrf, case_id, GOOD).status_code == 201


def test_an_agent_cannot_override_but_an_admin_can(
    client: TestClient, seed: Seed, services: Services
) -> None:
    csrf = login(client, "ania@skylot.example")
    case_id = case_of(client, csrf)
    assert post_reply(client, csrf, case_id, WRONG_NAME, override_reason="x").status_code == 403

    csrf = login(client, make_admin(services, seed))
    sent = post_reply(client, csrf, case_id, WRONG_NAME, override_reason="her nickname")

    assert sent.status_code == 201, sent.text
    with services.uow() as uow:
        actions = [e.action for e in uow.audit.list(seed.skylot.id)]
    assert "reply.guard_override" in actions


def test_the_live_guard_returns_findings_for_a_draft(client: TestClient, seed: Seed) -> None:
    csrf = login(client, "ania@skylot.example")
    case_id = case_of(client, csrf)

    api = client.post(
        f"/api/v1/workspaces/skylot/cases/{case_id}/guard",
        json={"text": WRONG_NAME},
        headers={"X-CSRF-Token": csrf},
    )
    panel = client.post(
        f"/w/skylot/cases/{case_id}/guard",
        data={"text": WRONG_NAME, "csrf_token": csrf, "visibility": "public"},
    )
    clean = client.post(f"/w/skylot/cases/{case_id}/guard", data={"text": GOOD, "csrf_token": csrf})

    assert api.status_code == 200 and api.json()["blocked"] is True
    assert "wrong_name" in {f["check"] for f in api.json()["findings"]}
    assert 'data-check="wrong_name"' in panel.text and "<mark>Marco</mark>" in panel.text
    assert 'data-check="wrong_name"' not in clean.text


def test_the_case_page_keeps_the_draft_and_shows_why_it_was_not_sent(
    client: TestClient, seed: Seed
) -> None:
    csrf = login(client, "ania@skylot.example")
    case_id = case_of(client, csrf)
    page = client.get(f"/w/skylot/cases/{case_id}")
    assert 'hx-trigger="keyup changed delay:300ms' in page.text
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version

    refused = client.post(
        f"/w/skylot/cases/{case_id}/reply",
        data={
            "text": WRONG_NAME,
            "idempotency_key": "page-1",
            "version": version.group(1),
            "csrf_token": csrf,
        },
    )

    assert refused.status_code == 422
    assert WRONG_NAME in refused.text and 'data-check="wrong_name"' in refused.text


def test_an_admin_sets_the_policy_and_an_agent_signs_once(
    client: TestClient, seed: Seed, services: Services
) -> None:
    csrf = login(client, make_admin(services, seed))
    saved = client.put(
        "/api/v1/workspaces/skylot/reply-policy",
        json={"signature_mode": "public_only"},
        headers={"X-CSRF-Token": csrf},
    )
    assert saved.status_code == 200 and saved.json()["signature_mode"] == "public_only"
    csrf = login(client, "ania@skylot.example")
    assert (
        client.put(
            "/api/v1/workspaces/skylot/reply-policy",
            json={"signature_mode": "never"},
            headers={"X-CSRF-Token": csrf},
        ).status_code
        == 403
    )
    client.post("/me/signature", data={"signature": "Ania", "csrf_token": csrf})
    case_id = case_of(client, csrf)

    sent = post_reply(client, csrf, case_id, GOOD + " ^Ania")

    assert sent.status_code == 201, sent.text
    assert sent.json()["text"] == GOOD + " ^Ania"
    page = client.get("/w/skylot/settings/replies")
    assert page.status_code == 403
