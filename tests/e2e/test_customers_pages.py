"""Customer view, private notes, agents and shifts over HTTP (pages and API)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from mentiondesk.bootstrap import Services
from mentiondesk.domain.workspaces import Role
from tests.e2e.conftest import Seed, login, raw_post


def test_the_customer_page_lists_cases_across_platforms_and_workspaces_the_agent_joined(
    client: TestClient, services: Services, seed: Seed
) -> None:
    instagram = services.pipeline.ingest(
        seed.skylot,
        raw_post("102", "Skylot, lost my bag", platform="instagram", author_handle="tomek_k"),
        source="t",
    ).case_id
    corvo = services.pipeline.ingest(
        seed.corvo,
        raw_post("901", "@corvocoffee great espresso", author_handle="tomek_k"),
        source="t",
    ).case_id
    with services.uow() as uow:
        case = uow.cases.get(seed.skylot.id, instagram or 0)
        assert case is not None
        instagram_author = case.author_id
    csrf = login(client, "ania@skylot.example")
    case = client.get("/w/skylot/cases/1")
    assert 'href="/w/skylot/customers/1"' in case.text
    page = client.get("/w/skylot/customers/1")
    assert page.status_code == 200
    assert "Same person" in page.text  # tomek_k on Instagram is suggested, not merged
    assert "/w/corvo/cases/" not in page.text  # Ania is not a Corvo member
    linked = client.post(
        "/w/skylot/customers/1/links",
        data={"csrf_token": csrf, "other_author_id": str(instagram_author)},
    )
    assert linked.status_code == 303
    with services.uow() as uow:
        ania = uow.users.get_by_email("ania@skylot.example")
        assert ania is not None
        uow.users.set_role(ania.id, seed.corvo.id, Role.AGENT)
        uow.commit()
    page = client.get("/w/skylot/customers/1").text
    assert "instagram" in page and f"/w/skylot/cases/{instagram}" in page
    assert f"/w/corvo/cases/{corvo}" in page and "Corvo Coffee" in page
    saved = client.post(
        "/w/skylot/customers/1/profile",
        data={"csrf_token": csrf, "tags": "vip, press", "fields": "crm_id: 448812"},
    )
    assert saved.status_code == 303
    assert "crm_id: 448812" in client.get("/w/skylot/customers/1").text
    api = client.get("/api/v1/workspaces/skylot/customers/1").json()
    assert api["fields"] == {"crm_id": "448812"} and api["tags"] == ["vip", "press"]


def test_a_viewer_reads_the_customer_page_but_cannot_edit(client: TestClient, seed: Seed) -> None:
    csrf = login(client, "vera@client.example")
    assert client.get("/w/skylot/customers/1").status_code == 200
    refused = client.post("/w/skylot/customers/1/notes", data={"csrf_token": csrf, "text": "x"})
    assert refused.status_code == 403
    assert client.get("/w/skylot/cases/1/notes").status_code == 403


def test_private_notes_are_added_with_htmx_and_listed_distinctly(
    client: TestClient, seed: Seed
) -> None:
    csrf = login(client, "ania@skylot.example")
    added = client.post(
        "/w/skylot/cases/1/notes",
        data={"text": "Called the airport, bag is in Milan."},
        headers={"X-CSRF-Token": csrf, "HX-Request": "true"},
    )
    assert added.status_code == 200
    assert 'class="note"' in added.text and "private note" in added.text
    assert "Called the airport" in client.get("/w/skylot/cases/1/notes").text
    assert client.get("/w/skylot/cases/1").text.count("Called the airport") == 0  # not a reply


def test_an_admin_sets_a_profile_and_an_agent_goes_off_shift(
    client: TestClient, services: Services, seed: Seed
) -> None:
    with services.uow() as uow:
        ania = uow.users.get_by_email("ania@skylot.example")
        assert ania is not None
        uow.users.set_role(ania.id, seed.skylot.id, Role.ADMIN)
        uow.commit()
    csrf = login(client, "ania@skylot.example")
    saved = client.put(
        f"/api/v1/workspaces/skylot/agents/{ania.id}",
        json={"languages": ["pl", "en"], "capacity": 5, "shifts": "mon-fri 08:00-20:00"},
        headers={"X-CSRF-Token": csrf},
    )
    assert saved.status_code == 200, saved.text
    assert (
        client.put(
            "/api/v1/workspaces/skylot/assignment",
            json={"auto_assign": True},
            headers={"X-CSRF-Token": csrf},
        ).status_code
        == 200
    )
    assert 'href="/w/skylot/agents"' in client.get("/w/skylot/inbox").text
    page = client.get("/w/skylot/agents")
    assert "on shift" in page.text and "mon 08:00-20:00" in page.text
    off = client.post(
        f"/w/skylot/agents/{ania.id}/shift", data={"csrf_token": csrf, "on_shift": "false"}
    )
    assert off.status_code == 303
    agents = client.get("/api/v1/workspaces/skylot/agents").json()
    assert [(a["name"], a["on_shift"]) for a in agents] == [("Ania", False)]
    bad = client.put(
        f"/api/v1/workspaces/skylot/agents/{ania.id}",
        json={"shifts": "weekdays"},
        headers={"X-CSRF-Token": csrf},
    )
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "shifts"
