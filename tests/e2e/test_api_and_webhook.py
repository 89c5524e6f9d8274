"""The JSON API and the signed inbound webhook, including what happens to bad input."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import select

from mentiondesk.bootstrap import Services
from mentiondesk.storage import tables as t
from mentiondesk.web.security import signed_headers
from tests.e2e.conftest import NOW, Seed, login, raw_post


def _send(client: TestClient, secret: str, body: bytes, source: str = "skylot-hook") -> object:
    return client.post(
        f"/api/v1/inbound/{source}",
        content=body,
        headers={
            "content-type": "application/json",
            **signed_headers(secret, body, int(NOW.timestamp())),
        },
    )


def _rejected(services: Services) -> list[dict[str, object]]:
    with services.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(t.rejected_inputs))]


def test_the_openapi_schema_describes_the_api_and_the_webhook(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/inbound/{source}" in schema["paths"]
    assert "/api/v1/workspaces/{slug}/cases/{case_id}/replies" in schema["paths"]
    inbound = schema["paths"]["/api/v1/inbound/{source}"]["post"]
    body = inbound["requestBody"]["content"]["application/json"]["schema"]
    assert {"platform", "platform_post_id", "text", "created_at"} <= set(body["required"])


def test_a_signed_post_opens_a_case_and_resending_it_changes_nothing(
    client: TestClient, services: Services, seed: Seed
) -> None:
    body = json.dumps(
        raw_post("555", "@skylot where is my refund?", author_handle="marta")
    ).encode()
    first = _send(client, seed.skylot_secret, body)
    assert first.status_code == 202, first.text  # type: ignore[attr-defined]
    created = first.json()  # type: ignore[attr-defined]
    assert created["status"] == "created" and created["case_id"]
    again = _send(client, seed.skylot_secret, body)
    assert again.status_code == 200  # type: ignore[attr-defined]
    assert again.json()["status"] == "duplicate"  # type: ignore[attr-defined]
    assert again.json()["post_id"] == created["post_id"]  # type: ignore[attr-defined]
    with services.engine.connect() as conn:
        stored = conn.execute(select(t.posts).where(t.posts.c.platform_post_id == "555")).all()
    assert len(stored) == 1


def test_an_unsigned_or_wrongly_signed_post_is_refused(client: TestClient, seed: Seed) -> None:
    body = json.dumps(raw_post("556", "@skylot hi")).encode()
    unsigned = client.post("/api/v1/inbound/skylot-hook", content=body)
    assert unsigned.status_code == 401
    forged = _send(client, "not-the-secret", body)
    assert forged.status_code == 401  # type: ignore[attr-defined]
    assert _send(client, seed.skylot_secret, body, source="nope").status_code == 401  # type: ignore[attr-defined]


def test_malformed_posts_get_a_reason_naming_the_field_and_are_kept(
    client: TestClient, services: Services, seed: Seed
) -> None:
    cases = {
        "text": {k: v for k, v in raw_post("600", "x").items() if k != "text"},
        "created_at": raw_post("601", "@skylot hi", created_at="yesterday"),
        "platform": raw_post("602", "@skylot hi", platform="myspace"),
    }
    for field, post in cases.items():
        response = _send(client, seed.skylot_secret, json.dumps(post).encode())
        assert response.status_code == 422, field  # type: ignore[attr-defined]
        assert response.json()["field"] == field  # type: ignore[attr-defined]
        assert response.json()["reason"]  # type: ignore[attr-defined]
    not_json = _send(client, seed.skylot_secret, b'{"platform": "x", ')
    assert not_json.status_code == 400  # type: ignore[attr-defined]
    assert "invalid JSON" in not_json.json()["reason"]  # type: ignore[attr-defined]
    huge = json.dumps(raw_post("603", "a" * 300_000)).encode()
    assert _send(client, seed.skylot_secret, huge).status_code == 413  # type: ignore[attr-defined]

    kept = _rejected(services)
    assert [r["field"] for r in kept] == ["text", "created_at", "platform", "body", "body"]
    assert all(r["workspace_id"] == seed.skylot.id for r in kept)
    assert '"platform": "x", ' in str(kept[3]["payload"])


def test_the_api_lists_cases_and_answers_one(
    client: TestClient, services: Services, seed: Seed
) -> None:
    csrf = login(client, "ania@skylot.example")
    page = client.get("/api/v1/workspaces/skylot/cases", params={"sort": "oldest"}).json()
    assert page["total"] == 2
    case = page["items"][0]
    reply = client.post(
        f"/api/v1/workspaces/skylot/cases/{case['id']}/replies",
        json={
            "text": "Sorry Tomasz, the courier brings it today.",
            "idempotency_key": "api-1",
            "expected_version": case["version"],
        },
        headers={"x-csrf-token": csrf},
    )
    assert reply.status_code == 201, reply.text
    assert reply.json()["status"] == "simulated"  # the development channel delivers nowhere
    assert reply.json()["platform_reply_id"].startswith("dev-x-")
    stale = client.post(
        f"/api/v1/workspaces/skylot/cases/{case['id']}/resolve",
        json={"expected_version": case["version"]},
        headers={"x-csrf-token": csrf},
    )
    assert stale.status_code == 409
    assert "someone changed case" in stale.json()["detail"]


def test_api_writes_need_the_csrf_header(client: TestClient, seed: Seed) -> None:
    login(client, "ania@skylot.example")
    case = client.get("/api/v1/workspaces/skylot/cases").json()["items"][0]
    response = client.post(f"/api/v1/workspaces/skylot/cases/{case['id']}/resolve", json={})
    assert response.status_code == 403


def test_an_agent_cannot_see_or_touch_another_workspace(client: TestClient, seed: Seed) -> None:
    csrf = login(client, "gino@corvo.example")
    own = client.get("/api/v1/workspaces").json()
    assert [w["slug"] for w in own] == ["corvo"]
    assert client.get("/api/v1/workspaces/skylot/cases").status_code == 404
    assert client.get("/w/skylot/inbox").status_code == 404
    for case_id in (1, 2):  # Skylot's cases
        assert client.get(f"/api/v1/workspaces/corvo/cases/{case_id}").status_code == 404
        assert client.get(f"/api/v1/workspaces/skylot/cases/{case_id}").status_code == 404
        attempt = client.post(
            f"/api/v1/workspaces/corvo/cases/{case_id}/resolve",
            json={},
            headers={"x-csrf-token": csrf},
        )
        assert attempt.status_code == 404
        reply = client.post(
            f"/api/v1/workspaces/skylot/cases/{case_id}/replies",
            json={"text": "hi", "idempotency_key": f"x{case_id}"},
            headers={"x-csrf-token": csrf},
        )
        assert reply.status_code == 404


def test_a_client_viewer_reads_the_inbox_but_cannot_act(client: TestClient, seed: Seed) -> None:
    csrf = login(client, "vera@client.example")
    page = client.get("/api/v1/workspaces/skylot/cases").json()
    assert page["total"] == 2
    case_id = page["items"][0]["id"]
    html = client.get(f"/w/skylot/cases/{case_id}").text
    assert "Send reply" not in html
    denied = client.post(
        f"/api/v1/workspaces/skylot/cases/{case_id}/replies",
        json={"text": "hello", "idempotency_key": "v1"},
        headers={"x-csrf-token": csrf},
    )
    assert denied.status_code == 403
