"""Two agents on one case over HTTP: presence, typing, and the confirmation to send anyway."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from mentiondesk.bootstrap import Services
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.domain.workspaces import Role
from mentiondesk.web.app import create_app
from tests.e2e.conftest import NOW, PASSWORD, Seed, login

CASE = "/w/skylot/cases/1"


@pytest.fixture
def marco(services: Services, seed: Seed) -> Iterator[tuple[TestClient, str]]:
    """A second Skylot agent, signed in from a second browser."""
    with services.uow() as uow:
        user = do_create_user(uow, "marco@skylot.example", "Marco", PASSWORD, now=NOW)
        uow.users.set_role(user.id, seed.skylot.id, Role.AGENT)
        uow.commit()
    with TestClient(
        create_app(services), base_url="http://testserver", follow_redirects=False
    ) as other:
        yield other, login(other, "marco@skylot.example")


def _reply_form(client: TestClient, csrf: str, text: str, **extra: str) -> dict[str, str]:
    page = client.get(CASE).text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    version = re.search(r'name="version" value="(\d+)"', page)
    assert key and version
    return {
        "csrf_token": csrf,
        "text": text,
        "idempotency_key": key.group(1),
        "version": version.group(1),
        **extra,
    }


def test_the_case_page_polls_presence_and_reports_typing_from_the_composer(
    client: TestClient, seed: Seed
) -> None:
    login(client, "ania@skylot.example")
    page = client.get(CASE).text
    assert 'hx-trigger="load, every 3s"' in page
    assert 'hx-trigger="keyup changed delay:500ms from:#reply-text"' in page


def test_an_agent_sees_a_colleague_viewing_then_typing(
    client: TestClient, seed: Seed, marco: tuple[TestClient, str]
) -> None:
    csrf = login(client, "ania@skylot.example")
    other, other_csrf = marco
    assert (
        client.post(
            f"{CASE}/presence", data={"state": "viewing"}, headers={"X-CSRF-Token": csrf}
        ).text.strip()
        == ""
    )
    other.post(f"{CASE}/presence", data={"state": "viewing"}, headers={"X-CSRF-Token": other_csrf})
    seen = client.post(
        f"{CASE}/presence", data={"state": "viewing"}, headers={"X-CSRF-Token": csrf}
    )
    assert "Marco is viewing" in seen.text
    other.post(f"{CASE}/presence", data={"state": "typing"}, headers={"X-CSRF-Token": other_csrf})
    seen = client.post(
        f"{CASE}/presence", data={"state": "viewing"}, headers={"X-CSRF-Token": csrf}
    )
    assert "Marco is typing…" in seen.text


def test_sending_while_a_colleague_types_answers_409_then_succeeds_with_confirmation(
    client: TestClient, services: Services, seed: Seed, marco: tuple[TestClient, str]
) -> None:
    csrf = login(client, "ania@skylot.example")
    other, other_csrf = marco
    other.post(f"{CASE}/presence", data={"state": "typing"}, headers={"X-CSRF-Token": other_csrf})

    refused = client.post(f"{CASE}/reply", data=_reply_form(client, csrf, "We are on it."))
    assert refused.status_code == 409
    assert "Marco is typing a reply" in refused.text
    assert 'name="confirm_collision"' in refused.text and "Send anyway" in refused.text
    with services.uow() as uow:
        assert uow.replies.for_case(seed.skylot.id, 1) == []

    form = _reply_form(client, csrf, "We are on it.", confirm_collision="true")
    sent = client.post(f"{CASE}/reply", data=form)
    assert sent.status_code == 303
    with services.uow() as uow:
        assert [r.text for r in uow.replies.for_case(seed.skylot.id, 1)] == ["We are on it."]


def test_a_reply_sent_by_a_colleague_since_the_page_loaded_needs_confirmation(
    client: TestClient, seed: Seed, marco: tuple[TestClient, str]
) -> None:
    csrf = login(client, "ania@skylot.example")
    other, other_csrf = marco
    stale = _reply_form(client, csrf, "Ania's answer")
    assert (
        other.post(
            f"{CASE}/reply", data=_reply_form(other, other_csrf, "Marco's answer")
        ).status_code
        == 303
    )
    refused = client.post(f"{CASE}/reply", data=stale)
    assert refused.status_code == 409 and "Send anyway" in refused.text


def test_nobody_typing_means_no_confirmation(client: TestClient, seed: Seed) -> None:
    csrf = login(client, "ania@skylot.example")
    assert client.post(f"{CASE}/reply", data=_reply_form(client, csrf, "Hello")).status_code == 303
