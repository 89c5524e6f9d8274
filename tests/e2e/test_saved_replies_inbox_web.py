"""Saved replies a team edits in place, reachable from the menu, variables only."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from mentiondesk.bootstrap import Services
from mentiondesk.domain.workspaces import Role
from tests.e2e.conftest import Seed, login


def _make_admin(services: Services, seed: Seed) -> None:
    with services.uow() as uow:
        user = uow.users.get_by_email("ania@skylot.example")
        assert user is not None
        uow.users.set_role(user.id, seed.skylot.id, Role.ADMIN)
        uow.commit()


def test_a_saved_reply_is_edited_in_place_and_the_menu_links_to_it(
    client: TestClient, services: Services, seed: Seed
) -> None:
    _make_admin(services, seed)
    csrf = login(client, "ania@skylot.example")
    assert 'href="/w/skylot/saved-replies">Saved replies</a>' in client.get("/w/skylot/inbox").text
    created = client.post(
        "/w/skylot/saved-replies",
        data={
            "csrf_token": csrf,
            "language": "en",
            "title": "Delay",
            "body": "Sorry {{ agent.name }}",
        },
    )
    assert created.status_code == 303
    page = client.get("/w/skylot/saved-replies").text
    saved_id = re.search(r'name="saved_id" value="(\d+)"', page)
    assert saved_id

    edited = client.post(
        "/w/skylot/saved-replies",
        data={
            "csrf_token": csrf,
            "saved_id": saved_id.group(1),
            "language": "en",
            "title": "Delay",
            "body": "Hi {{ author.first_name|default('there') }}, sorry for the delay.",
        },
    )

    assert edited.status_code == 303
    page = client.get("/w/skylot/saved-replies").text
    assert page.count("<strong>Delay</strong>") == 1
    assert "sorry for the delay" in page and "Sorry {{ agent.name }}" not in page


def test_arithmetic_in_a_saved_reply_is_refused_with_the_reason(
    client: TestClient, services: Services, seed: Seed
) -> None:
    _make_admin(services, seed)
    csrf = login(client, "ania@skylot.example")
    refused = client.post(
        "/w/skylot/saved-replies",
        data={"csrf_token": csrf, "language": "en", "title": "Math", "body": "{{ 7*7 }}"},
    )
    assert refused.status_code == 422
    assert "variables only" in refused.text
    assert "49" not in refused.text


def test_the_demo_ships_saved_replies_in_each_of_its_languages(services: Services) -> None:
    from mentiondesk.demo.setup import create_demo_workspaces

    skylot = create_demo_workspaces(services)
    with services.uow() as uow:
        found = uow.saved_replies.search(skylot.id)
    assert {s.language for s in found} == {"pl", "it", "en"}
    assert all(sum(s.language == lang for s in found) >= 2 for lang in ("pl", "it", "en"))
