"""The audit log reads like the desk: people by name, entries linked to their case, hours."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from mentiondesk.bootstrap import Services
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.domain.workspaces import Role
from mentiondesk.web.rendering import business_seconds_in_hours
from tests.e2e.conftest import NOW, PASSWORD, Seed, login


def test_entries_link_to_their_case_and_the_actor_filter_takes_a_name(
    client: TestClient, services: Services, seed: Seed
) -> None:
    with services.uow() as uow:
        owner = do_create_user(uow, "olga@skylot.example", "Olga Owner", PASSWORD, now=NOW)
        uow.users.set_role(owner.id, seed.skylot.id, Role.OWNER)
        uow.commit()
    csrf = login(client, "olga@skylot.example")
    case_id = re.findall(r'data-case-id="(\d+)"', client.get("/w/skylot/inbox").text)[0]
    client.post(
        "/w/skylot/inbox/bulk",
        data={"csrf_token": csrf, "action": "assign_me", "case_ids": [case_id]},
    )

    page = client.get("/w/skylot/audit", params={"actor": "Olga Owner"})

    assert page.status_code == 200
    assert f'<a href="/w/skylot/cases/{case_id}">case:{case_id}</a>' in page.text
    by_name = re.findall(r'data-audit-id="(\d+)"', page.text)
    by_id = client.get("/w/skylot/audit", params={"actor": str(owner.id)})
    assert by_name and by_name == re.findall(r'data-audit-id="(\d+)"', by_id.text)
    nobody = client.get("/w/skylot/audit", params={"actor": "Nobody Here"})
    assert nobody.status_code == 422
    assert "nobody here is called" in nobody.text


def test_business_seconds_read_as_hours() -> None:
    assert (
        business_seconds_in_hours("first_response target of 86400 business seconds passed")
        == "first_response target of 24 business hours passed"
    )
    assert business_seconds_in_hours("target of 5400 business seconds") == (
        "target of 90 business minutes"
    )
