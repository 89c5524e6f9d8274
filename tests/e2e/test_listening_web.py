"""Listening over HTTP: the profile and query pages and API, preview, backfill, the inbox
filter on mention kind and the answer-rate report, with roles and tenants enforced."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from mentiondesk.bootstrap import Services
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.domain.workspaces import Role
from tests.e2e.conftest import NOW, PASSWORD, Seed, login, raw_post

API = "/api/v1/workspaces/skylot"
PROFILE = {"names": ["Skylot"], "aliases": ["Skylot Cargo"], "handles": {"x": ["@skylot"]}}


@pytest.fixture
def owner_csrf(services: Services, seed: Seed, client: TestClient) -> str:
    with services.uow() as uow:
        user = do_create_user(uow, "lead@agency.example", "Lead", PASSWORD, now=NOW)
        uow.users.set_role(user.id, seed.skylot.id, Role.OWNER)
        uow.commit()
    return login(client, "lead@agency.example")


def _store_unbranded(services: Services, seed: Seed) -> None:
    for pid, text, who in [
        ("200", "The lounge at Chopin airport had no seats left", "kasia"),
        ("201", "Best airport lounge in Europe? Not Chopin", "marek"),
        ("202", "Weather is fine today", "ewa"),
    ]:
        services.pipeline.ingest(seed.skylot, raw_post(pid, text, author_handle=who), source="t")


def test_a_saved_alias_makes_a_misspelt_post_open_a_case_that_says_why(
    client: TestClient, services: Services, seed: Seed, owner_csrf: str
) -> None:
    saved = client.put(
        f"{API}/listening/profile", json=PROFILE, headers={"X-CSRF-Token": owner_csrf}
    )
    assert saved.status_code == 200 and saved.json()["stored"] is True
    result = services.pipeline.ingest(
        seed.skylot,
        raw_post("300", "Skylto Cargo lost my parcel", author_handle="piotr"),
        source="t",
    )
    assert result.case_id is not None
    page = client.get(f"/w/skylot/cases/{result.case_id}")
    assert "fuzzy: &#39;Skylto Cargo&#39;" in page.text or "fuzzy: 'Skylto Cargo'" in page.text
    fuzzy = client.get(f"{API}/cases", params={"mention_kind": "fuzzy"}).json()
    assert [c["id"] for c in fuzzy["items"]] == [result.case_id]
    direct = client.get(f"{API}/cases", params={"mention_kind": "direct"}).json()
    assert result.case_id not in [c["id"] for c in direct["items"]]


def test_a_query_with_a_syntax_error_answers_422_with_the_column(
    client: TestClient, seed: Seed, owner_csrf: str
) -> None:
    headers = {"X-CSRF-Token": owner_csrf}
    bad = client.post(
        f"{API}/listening/queries",
        json={"name": "q", "query": "lounge AND (chopin"},
        headers=headers,
    )
    assert bad.status_code == 422
    detail = bad.json()["detail"]
    assert detail["field"] == "query" and detail["column"] == 12
    assert "column 12" in detail["reason"]
    everything = client.post(
        f"{API}/listening/queries", json={"name": "q", "query": "NOT spam"}, headers=headers
    )
    assert everything.status_code == 422 and everything.json()["detail"]["field"] == "query"
    page = client.post(
        "/w/skylot/listening/queries",
        data={"name": "q", "query": "lounge AND (chopin", "csrf_token": owner_csrf},
    )
    assert page.status_code == 422 and "column 12" in page.text
    assert client.get(f"{API}/listening/queries").json() == []


def test_preview_shows_matching_stored_posts_without_saving(
    client: TestClient, services: Services, seed: Seed
) -> None:
    _store_unbranded(services, seed)
    csrf = login(client, "vera@client.example")  # a viewer may preview
    found = client.post(
        f"{API}/listening/preview",
        json={"query": "lounge AND chopin"},
        headers={"X-CSRF-Token": csrf},
    )
    assert found.status_code == 200
    assert sorted(h["text"] for h in found.json()["hits"]) == [
        "Best airport lounge in Europe? Not Chopin",
        "The lounge at Chopin airport had no seats left",
    ]
    fragment = client.get("/w/skylot/listening/preview", params={"query": "lounge AND chopin"})
    assert fragment.text.count('class="preview-hit"') == 2
    broken = client.get("/w/skylot/listening/preview", params={"query": '"lounge'})
    assert "column" in broken.text and 'class="preview-hit"' not in broken.text
    assert client.get(f"{API}/listening/queries").json() == []


def test_backfill_attaches_query_mentions_once(
    client: TestClient, services: Services, seed: Seed, owner_csrf: str
) -> None:
    _store_unbranded(services, seed)
    headers = {"X-CSRF-Token": owner_csrf}
    made = client.post(
        f"{API}/listening/queries", json={"name": "lounges", "query": "lounge*"}, headers=headers
    )
    assert made.status_code == 201
    first = client.post(f"{API}/listening/backfill", json={"query": "lounges"}, headers=headers)
    assert [(r["matched"], r["new_mentions"], r["routed"]) for r in first.json()] == [(2, 2, 2)]
    again = client.post(f"{API}/listening/backfill", json={}, headers=headers)
    assert [(r["matched"], r["new_mentions"]) for r in again.json()] == [(2, 0)]
    cases = client.get(f"{API}/cases", params={"mention_kind": "query"}).json()
    assert cases["total"] == 2
    form = client.post(
        "/w/skylot/listening/backfill", data={"query": "lounges", "csrf_token": owner_csrf}
    )
    assert form.status_code == 303 and "0%20newly%20tagged" in form.headers["location"]


def test_a_viewer_and_an_agent_cannot_change_the_profile(client: TestClient, seed: Seed) -> None:
    for email in ("vera@client.example", "ania@skylot.example"):
        csrf = login(client, email)
        assert client.get(f"{API}/listening/profile").status_code == 200
        denied = client.put(
            f"{API}/listening/profile", json=PROFILE, headers={"X-CSRF-Token": csrf}
        )
        assert denied.status_code == 403
        query = client.post(
            f"{API}/listening/queries",
            json={"name": "q", "query": "lounge"},
            headers={"X-CSRF-Token": csrf},
        )
        assert query.status_code == 403
        page = client.get("/w/skylot/listening")
        assert page.status_code == 200 and "Save profile" not in page.text
        assert client.get(f"{API}/listening/profile").json()["stored"] is False
        client.post("/logout", data={"csrf_token": csrf})


def test_another_tenant_cannot_read_the_profile_or_queries(client: TestClient, seed: Seed) -> None:
    csrf = login(client, "gino@corvo.example")
    assert client.get(f"{API}/listening/profile").status_code == 404
    assert client.get(f"{API}/listening/queries").status_code == 404
    assert client.get("/w/skylot/listening").status_code == 404
    preview = client.post(
        f"{API}/listening/preview", json={"query": "bag"}, headers={"X-CSRF-Token": csrf}
    )
    assert preview.status_code == 404


def test_the_report_shows_the_answer_rate_per_mention_kind(client: TestClient, seed: Seed) -> None:
    csrf = login(client, "ania@skylot.example")
    cases = client.get(f"{API}/cases").json()["items"]
    tagged = next(c for c in cases if c["tagged"])
    reply = client.post(
        f"{API}/cases/{tagged['id']}/replies",
        json={
            "text": "We are on it, Tomasz.",
            "idempotency_key": "k-1",
            "expected_version": tagged["version"],
        },
        headers={"X-CSRF-Token": csrf},
    )
    assert reply.status_code == 201, reply.text
    rates = {r["kind"]: r for r in client.get(f"{API}/reports/mention-kinds").json()}
    assert (rates["direct"]["cases"], rates["direct"]["answered"]) == (1, 1)
    assert (rates["indirect"]["cases"], rates["indirect"]["answered"]) == (1, 0)
    assert rates["indirect"]["answer_rate"] == 0.0
    page = client.get("/w/skylot/reports/mention-kinds")
    row = re.search(r'<tr class="kind-direct">(.*?)</tr>', page.text, re.S)
    assert row and "100%" in row.group(1)
