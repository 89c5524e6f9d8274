"""Moderation over real HTTP: the hide form on the case page, the API's 4xx reasons, the
admin pages, and the absence of any route that deletes users' posts."""

from __future__ import annotations

import csv
import io
import re

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from mentiondesk.bootstrap import Services
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.domain.workspaces import Role
from tests.e2e.conftest import NOW, PASSWORD, Seed, all_routes, login


def _first_case(client: TestClient) -> tuple[int, int]:
    """The case id and its first post id, as Ania sees them in the inbox and on the case page."""
    inbox = client.get("/w/skylot/inbox")
    case_id = int(re.findall(r'data-case-id="(\d+)"', inbox.text)[0])
    page = client.get(f"/w/skylot/cases/{case_id}")
    post_id = int(re.findall(r'data-post-id="(\d+)"', page.text)[0])
    return case_id, post_id


def _admin(services: Services, seed: Seed) -> None:
    with services.uow() as uow:
        user = do_create_user(uow, "lead@agency.example", "Lead", PASSWORD, now=NOW)
        uow.users.set_role(user.id, seed.skylot.id, Role.ADMIN)
        uow.commit()


# What a workspace admin may delete: its own settings, never anything a customer or an agent
# wrote (revoking an API token, dropping an event-webhook or a report-mail subscription).
SETTINGS_DELETES = re.compile(
    r"^/api/v1/workspaces/\{slug\}/(tokens|webhooks)/\{[a-z_]+\}$"
    r"|^/w/\{slug\}/(settings/webhooks|reports/schedules)/\{[a-z_]+\}/(delete|remove)$"
)


def test_no_route_deletes_anything_and_none_removes_users_posts(
    client: TestClient, seed: Seed
) -> None:
    routes = [r for r in all_routes(client.app.routes) if isinstance(r, APIRoute)]  # type: ignore[attr-defined]
    assert len(routes) > 20, "every page and API route is enumerated"
    assert any("/posts/{post_id}/hide" in r.path for r in routes), "moderation routes are mounted"
    deleting = [r.path for r in routes if "DELETE" in r.methods]
    assert [path for path in deleting if not SETTINGS_DELETES.match(path)] == []
    destructive = re.compile(r"delete|remove|destroy|purge", re.IGNORECASE)
    named = [r.path for r in routes if destructive.search(r.path)]
    assert [path for path in named if not SETTINGS_DELETES.match(path)] == []
    openapi = client.get("/api/openapi.json").json()
    assert all(
        "delete" not in methods
        for path, methods in openapi["paths"].items()
        if not SETTINGS_DELETES.match(path)
    )


def test_the_api_says_why_a_hide_is_refused(client: TestClient, seed: Seed) -> None:
    csrf = login(client, "ania@skylot.example")
    _, post_id = _first_case(client)
    url = f"/api/v1/workspaces/skylot/posts/{post_id}/hide"
    headers = {"X-CSRF-Token": csrf}
    missing = client.post(url, json={}, headers=headers)
    assert missing.status_code == 422
    assert missing.json()["detail"]["field"] == "reason"
    disliked = client.post(url, json={"reason": "because I don't like it"}, headers=headers)
    assert disliked.status_code == 422
    assert '"spam"' in disliked.json()["detail"]["reason"]
    hidden = client.post(url, json={"reason": "spam"}, headers=headers)
    assert hidden.status_code == 200
    assert hidden.json() | {"post_id": 0} == {
        "post_id": 0,
        "action": "post.hide",
        "hidden": True,
        "hidden_reason": "spam",
        "changed": True,
        "delivery": "simulated",
    }


def test_viewers_get_403_and_other_tenants_404(client: TestClient, seed: Seed) -> None:
    csrf = login(client, "ania@skylot.example")
    _, post_id = _first_case(client)
    client.cookies.clear()
    csrf = login(client, "vera@client.example")
    url = f"/api/v1/workspaces/skylot/posts/{post_id}/hide"
    assert (
        client.post(url, json={"reason": "spam"}, headers={"X-CSRF-Token": csrf}).status_code == 403
    )
    client.cookies.clear()
    csrf = login(client, "gino@corvo.example")
    assert (
        client.post(url, json={"reason": "spam"}, headers={"X-CSRF-Token": csrf}).status_code == 404
    )
    corvo = f"/api/v1/workspaces/corvo/posts/{post_id}/hide"
    assert (
        client.post(corvo, json={"reason": "spam"}, headers={"X-CSRF-Token": csrf}).status_code
        == 404
    )


def test_an_agent_hides_a_post_from_the_case_page_and_it_stays_greyed_in_the_thread(
    client: TestClient, seed: Seed
) -> None:
    csrf = login(client, "ania@skylot.example")
    case_id, post_id = _first_case(client)
    page = client.get(f"/w/skylot/cases/{case_id}")
    assert f'action="/w/skylot/posts/{post_id}/hide"' in page.text
    assert "delete" not in page.text.lower()
    text_before = re.findall(r'<p class="text">([^<]*)</p>', page.text)[0]
    refused = client.post(
        f"/w/skylot/posts/{post_id}/hide", data={"csrf_token": csrf, "reason": ""}
    )
    assert refused.status_code == 422 and "reason" in refused.text
    done = client.post(
        f"/w/skylot/posts/{post_id}/hide", data={"csrf_token": csrf, "reason": "abuse"}
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/w/skylot/cases/{case_id}#post-{post_id}"
    after = client.get(f"/w/skylot/cases/{case_id}")
    assert "Hidden: abuse" in after.text and "hidden-post" in after.text
    assert re.findall(r'<p class="text">([^<]*)</p>', after.text)[0] == text_before
    assert f'action="/w/skylot/posts/{post_id}/unhide"' in after.text


def test_an_admin_browses_and_exports_the_audit_log(
    client: TestClient, seed: Seed, services: Services
) -> None:
    csrf = login(client, "ania@skylot.example")
    _, post_id = _first_case(client)
    for action in ("hide", "unhide"):
        client.post(
            f"/api/v1/workspaces/skylot/posts/{post_id}/{action}",
            json={"reason": "spam"},
            headers={"X-CSRF-Token": csrf},
        )
    assert client.get("/w/skylot/audit").status_code == 403
    client.cookies.clear()
    _admin(services, seed)
    login(client, "lead@agency.example")
    page = client.get("/w/skylot/audit?action=post.hide")
    assert page.status_code == 200 and "Audit log" in page.text
    assert len(re.findall(r"data-audit-id=", page.text)) == 1
    export = client.get("/api/v1/workspaces/skylot/audit/export?format=csv")
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert [(r["action"], r["actor_name"]) for r in rows] == [
        ("post.hide", "Ania"),
        ("post.unhide", "Ania"),
    ]


def test_an_admin_publishes_rules_and_dry_runs_one_with_htmx(
    client: TestClient, seed: Seed, services: Services
) -> None:
    _admin(services, seed)
    csrf = login(client, "lead@agency.example")
    saved = client.post(
        "/w/skylot/community-rules", data={"csrf_token": csrf, "rules": "No ads\nBe kind"}
    )
    assert saved.status_code == 303
    rules = client.get("/api/v1/workspaces/skylot/community-rules").json()
    assert rules["accepted_hide_reasons"] == ["spam", "abuse", "No ads", "Be kind"]
    options = client.get("/w/skylot/hide-reasons", headers={"HX-Request": "true"}).text
    assert options.endswith('<option value="No ads"><option value="Be kind">')
    form = {"name": "bags", "keywords_any": "bag, bagaż", "tag": "baggage", "hide_reason": ""}
    fragment = client.post(
        "/w/skylot/moderation/rules/dry-run",
        data=form,
        headers={"X-CSRF-Token": csrf, "HX-Request": "true"},
    )
    assert fragment.status_code == 200
    assert "2 of 2 posts" in fragment.text and "would tag" in fragment.text
    created = client.post("/w/skylot/moderation/rules", data={**form, "csrf_token": csrf})
    assert created.status_code == 303
    listed = client.get("/w/skylot/moderation/rules")
    assert "bags" in listed.text and "Switch on" in listed.text  # saved without "enabled"


def test_an_admin_manages_rules_and_erasure_through_the_api(
    client: TestClient, seed: Seed, services: Services
) -> None:
    _admin(services, seed)
    csrf = login(client, "lead@agency.example")
    headers = {"X-CSRF-Token": csrf}
    base = "/api/v1/workspaces/skylot"
    rule = {
        "name": "bags",
        "enabled": False,
        "conditions": {"keywords_any": ["bag"]},
        "actions": {"hide_reason": "not a reason"},
    }
    refused = client.post(f"{base}/moderation-rules", json=rule, headers=headers)
    assert refused.status_code == 422 and refused.json()["detail"]["field"] == "reason"
    rule["actions"] = {"tag": "baggage"}
    created = client.post(f"{base}/moderation-rules", json=rule, headers=headers)
    assert created.status_code == 201
    rule_id = created.json()["id"]
    report = client.get(f"{base}/moderation-rules/{rule_id}/dry-run").json()
    assert (report["scanned"], report["matched"], report["would"]) == (2, 1, {"tag": 1})
    switched = client.put(
        f"{base}/moderation-rules/{rule_id}", json=rule | {"enabled": True}, headers=headers
    )
    assert switched.json()["enabled"] is True
    erasure = {
        "platform": "x",
        "handle": "tomek_k",
        "requested_by": "tomek@example.com",
        "legal_reason": "GDPR art. 17",
        "confirmation": "tomek_k",  # the sole admin confirms by typing the handle
    }
    done = client.post(f"{base}/erasure-requests", json=erasure, headers=headers)
    assert done.status_code == 201 and done.json()["posts_redacted"] == 1
    listed = client.get(f"{base}/erasure-requests").json()
    assert [(r["requested_by"], r["posts_redacted"]) for r in listed] == [("tomek@example.com", 1)]
    page = client.get("/w/skylot/erasure")
    assert "tomek@example.com" in page.text
    actions = [e["action"] for e in client.get(f"{base}/audit").json()["items"]]
    assert actions == ["erasure.request", "rule.update", "rule.create"]
