"""API tokens over HTTP: an admin creates one (shown once, kept as a hash), a script uses it
with ``Authorization: Bearer`` in its own workspace and within its scopes only, and it stops
working when revoked or expired; creation, revocation and changes made with it are audited
under its name."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import text

from mentiondesk.bootstrap import Services
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.desk.audit_log import AuditFilter
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.workspaces import Role
from tests.e2e.conftest import PASSWORD, Seed, login

BASE = "/api/v1/workspaces/skylot"


def admin_session(client: TestClient, services: Services, seed: Seed) -> str:
    with services.uow() as uow:
        user = do_create_user(
            uow, "olga@skylot.example", "Olga", PASSWORD, now=services.clock.now()
        )
        uow.users.set_role(user.id, seed.skylot.id, Role.ADMIN)
        uow.commit()
    return login(client, "olga@skylot.example")


def create(client: TestClient, csrf: str, **body: object) -> dict[str, object]:
    response = client.post(f"{BASE}/tokens", json=body, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 201, response.text
    created: dict[str, object] = response.json()
    return created


def bearer(token: object) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_read_token_reads_its_workspace_only_and_is_refused_changes_with_a_reason(
    client: TestClient, services: Services, seed: Seed
) -> None:
    csrf = admin_session(client, services, seed)
    made = create(client, csrf, name="BI export", scopes=["read"])
    secret = str(made["token"])
    assert secret.startswith("md_") and len(secret) > 40
    client.cookies.clear()  # the script has no cookie, only the token

    cases = client.get(f"{BASE}/cases", headers=bearer(secret))
    assert cases.status_code == 200
    assert len(cases.json()["items"]) == 2
    report = client.get(f"{BASE}/reports", headers=bearer(secret))
    assert report.status_code == 200

    other = client.get("/api/v1/workspaces/corvo/cases", headers=bearer(secret))
    assert other.status_code == 404
    case_id = cases.json()["items"][0]["id"]
    refused = client.post(f"{BASE}/cases/{case_id}/resolve", json={}, headers=bearer(secret))
    assert refused.status_code == 403
    assert "may only read" in refused.json()["detail"]

    with services.engine.connect() as conn:
        stored = conn.execute(text("SELECT token_hash, prefix FROM api_tokens")).one()
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in stored  # only the hash and a short prefix are kept
    assert stored.prefix == secret[:10]


def test_a_write_token_changes_cases_without_csrf_and_the_audit_names_the_token(
    client: TestClient, services: Services, seed: Seed
) -> None:
    csrf = admin_session(client, services, seed)
    secret = create(client, csrf, name="Zapier", scopes=["write"])["token"]
    client.cookies.clear()
    case_id = client.get(f"{BASE}/cases", headers=bearer(secret)).json()["items"][0]["id"]
    done = client.post(f"{BASE}/cases/{case_id}/resolve", json={}, headers=bearer(secret))
    assert done.status_code == 200, done.text
    settings = client.get(f"{BASE}/webhooks", headers=bearer(secret))
    assert settings.status_code == 403  # settings need the admin scope
    other_id = client.get(f"{BASE}/cases", headers=bearer(secret)).json()["items"][0]["id"]
    replied = client.post(
        f"{BASE}/cases/{other_id}/replies",
        json={"text": "Sorry about the bag, we are on it.", "idempotency_key": "zap-1"},
        headers=bearer(secret),
    )
    assert replied.status_code in (200, 201), replied.text
    with services.uow() as uow:
        author = uow.users.get(replied.json()["user_id"])
    assert author is not None and author.name == "API token Zapier" and not author.is_active
    personal = client.get("/api/v1/workspaces", headers=bearer(secret))
    assert personal.status_code == 401 and "API tokens work on" in personal.json()["detail"]

    login(client, "olga@skylot.example")
    listed = client.get(f"{BASE}/tokens").json()
    assert listed[0]["name"] == "Zapier" and listed[0]["last_used_at"] is not None
    assert "token" not in listed[0]
    with services.uow() as uow:
        entries = [
            (e.action, e.actor_rule)
            for e in uow.audit.page(seed.skylot.id, AuditFilter(), offset=0, limit=50)
        ]
    assert ("case.resolve", "API token Zapier") in entries
    assert ("token.request", "API token Zapier") in entries
    assert ("token.create", None) in entries


def test_revoked_expired_and_unknown_tokens_get_401_with_the_reason(
    client: TestClient, services: Services, seed: Seed
) -> None:
    csrf = admin_session(client, services, seed)
    revoked = create(client, csrf, name="old script", scopes=["read"])
    expiring = create(client, csrf, name="trial", scopes=["read"], expires_in_days=1)
    gone = client.delete(f"{BASE}/tokens/{revoked['id']}", headers={"X-CSRF-Token": csrf})
    assert gone.status_code == 200 and gone.json()["state"] == "revoked"
    client.cookies.clear()

    answer = client.get(f"{BASE}/cases", headers=bearer(revoked["token"]))
    assert answer.status_code == 401
    assert answer.json()["detail"] == "this API token is revoked"
    assert answer.headers["www-authenticate"] == "Bearer"
    assert client.get(f"{BASE}/cases", headers=bearer(expiring["token"])).status_code == 200
    clock = services.clock
    assert isinstance(clock, FixedClock)
    clock.set(clock.now() + timedelta(days=1, seconds=1))
    expired = client.get(f"{BASE}/cases", headers=bearer(expiring["token"]))
    assert expired.status_code == 401 and expired.json()["detail"] == "this API token is expired"
    unknown = client.get(f"{BASE}/cases", headers=bearer("md_" + "x" * 43))
    assert unknown.status_code == 401 and unknown.json()["detail"] == "unknown API token"


def test_tokens_are_made_by_admins_with_valid_names_and_scopes_and_never_by_tokens(
    client: TestClient, services: Services, seed: Seed
) -> None:
    csrf = login(client, "ania@skylot.example")  # an agent
    refused = client.post(
        f"{BASE}/tokens", json={"name": "x", "scopes": ["read"]}, headers={"X-CSRF-Token": csrf}
    )
    assert refused.status_code == 403
    client.cookies.clear()
    csrf = admin_session(client, services, seed)
    for body, field in [
        ({"name": "  ", "scopes": ["read"]}, "name"),
        ({"name": "x", "scopes": []}, "scopes"),
        ({"name": "x", "scopes": ["root"]}, "scopes"),
    ]:
        bad = client.post(f"{BASE}/tokens", json=body, headers={"X-CSRF-Token": csrf})
        assert bad.status_code == 422, bad.text
        assert bad.json()["detail"]["field"] == field
    no_csrf = client.post(f"{BASE}/tokens", json={"name": "x", "scopes": ["read"]})
    assert no_csrf.status_code == 403  # a cookie request still needs its CSRF token
    admin = create(client, csrf, name="ops", scopes=["admin"])["token"]
    client.cookies.clear()
    by_token = client.post(
        f"{BASE}/tokens", json={"name": "more", "scopes": ["read"]}, headers=bearer(admin)
    )
    assert by_token.status_code == 403
    assert "people signed in" in by_token.json()["detail"]
