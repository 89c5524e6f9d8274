"""An agent signs in, works the inbox, answers and resolves a case — over real HTTP."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from mentiondesk.bootstrap import Services
from mentiondesk.domain.posts import Platform
from tests.e2e.conftest import NOW, Seed, login


def _case_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'data-case-id="(\d+)"', html)]


def test_signing_in_with_a_wrong_password_is_refused(client: TestClient, seed: Seed) -> None:
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/login",
        data={"email": "ania@skylot.example", "password": "nope-nope", "csrf_token": token},
    )
    assert response.status_code == 401
    assert "Wrong e-mail or password" in response.text
    assert "md_session" not in response.cookies


def test_a_login_without_the_form_token_is_refused(client: TestClient, seed: Seed) -> None:
    response = client.post("/login", data={"email": "ania@skylot.example", "password": "x" * 10})
    assert response.status_code == 422 or response.status_code == 403


def test_pages_redirect_to_login_and_api_answers_401_without_a_session(
    client: TestClient, seed: Seed
) -> None:
    page = client.get("/w/skylot/inbox")
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login?next=/w/skylot/inbox")
    api = client.get("/api/v1/workspaces/skylot/cases")
    assert api.status_code == 401
    assert api.json() == {"detail": "not signed in or session expired"}


def test_the_inbox_lists_the_workspace_cases_with_their_labels(
    client: TestClient, seed: Seed
) -> None:
    login(client, "ania@skylot.example")
    inbox = client.get("/w/skylot/inbox")
    assert inbox.status_code == 200
    assert "my bag never arrived in Milan" in inbox.text
    assert "gdzie jest mój bagaż" in inbox.text
    assert "il caffè era freddo" not in inbox.text, "another workspace's post leaked"
    assert "@ tagged" in inbox.text and "untagged" in inbox.text
    assert len(_case_ids(inbox.text)) == 2


def test_filtering_the_inbox_by_language_keeps_only_that_language(
    client: TestClient, seed: Seed
) -> None:
    login(client, "ania@skylot.example")
    polish = client.get(
        "/w/skylot/inbox", params={"language": "pl"}, headers={"HX-Request": "true"}
    )
    assert polish.status_code == 200
    assert "<html" not in polish.text, "htmx requests get only the rows"
    assert "gdzie jest mój bagaż" in polish.text
    assert "my bag never arrived" not in polish.text


def test_replying_delivers_through_the_connector_and_waits_for_the_customer(
    client: TestClient, services: Services, seed: Seed
) -> None:
    csrf = login(client, "ania@skylot.example")
    case_id = _case_ids(client.get("/w/skylot/inbox", params={"sort": "oldest"}).text)[0]
    page = client.get(f"/w/skylot/cases/{case_id}")
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    form = {
        "csrf_token": csrf,
        "text": "Tomasz, sorry! Your bag is in Milan, courier at 18:00.",
        "idempotency_key": key,
        "version": version,
        "visibility": "public",
    }
    sent = client.post(f"/w/skylot/cases/{case_id}/reply", data=form)
    assert sent.status_code == 303
    again = client.post(f"/w/skylot/cases/{case_id}/reply", data=form)  # a double click
    assert again.status_code == 303

    connector = services.connectors[Platform.X]
    delivered = [r for r in connector.sent if "courier at 18:00" in r.text]  # type: ignore[attr-defined]
    assert len(delivered) == 1, "a double submit must not send twice"
    assert delivered[0].in_reply_to == "100"
    assert delivered[0].recipient_handle == "tomek_k"

    case_page = client.get(f"/w/skylot/cases/{case_id}")
    assert "waiting for customer" in case_page.text
    assert "courier at 18:00" in case_page.text
    assert "not delivered — development channel" in case_page.text


def test_resolving_records_the_time_to_resolution(client: TestClient, seed: Seed) -> None:
    csrf = login(client, "ania@skylot.example")
    case_id = _case_ids(client.get("/w/skylot/inbox", params={"sort": "oldest"}).text)[0]
    page = client.get(f"/w/skylot/cases/{case_id}")
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    done = client.post(
        f"/w/skylot/cases/{case_id}/resolve", data={"csrf_token": csrf, "version": version}
    )
    assert done.status_code == 303
    detail = client.get(f"/api/v1/workspaces/skylot/cases/{case_id}").json()
    assert detail["status"] == "resolved"
    opened = detail["opened_at"]
    assert opened.startswith("2026-11-14T16:07")
    customer_wrote = datetime(2026, 11, 14, 16, 7, tzinfo=UTC)
    assert detail["resolution_seconds"] == (NOW - customer_wrote).total_seconds()


def test_a_form_post_without_the_csrf_token_is_refused(client: TestClient, seed: Seed) -> None:
    login(client, "ania@skylot.example")
    case_id = _case_ids(client.get("/w/skylot/inbox").text)[0]
    response = client.post(f"/w/skylot/cases/{case_id}/resolve", data={"version": "1"})
    assert response.status_code == 403
    assert "CSRF" in response.text


def test_signing_out_ends_the_session(client: TestClient, seed: Seed) -> None:
    csrf = login(client, "ania@skylot.example")
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 303
    assert client.get("/w/skylot/inbox").status_code == 303


def test_an_expired_session_is_sent_back_to_the_login_page(
    client: TestClient, services: Services, seed: Seed
) -> None:
    from datetime import timedelta

    login(client, "ania@skylot.example")
    services.clock.set(NOW + timedelta(hours=13))  # type: ignore[attr-defined]
    assert client.get("/w/skylot/inbox").headers["location"].startswith("/login")
    assert client.get("/api/v1/workspaces").status_code == 401


def test_unknown_pages_get_a_404_page_not_a_stack_trace(client: TestClient, seed: Seed) -> None:
    login(client, "ania@skylot.example")
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "Not found" in page.text and "Traceback" not in page.text
    assert client.get("/w/skylot/cases/999999").status_code == 404
    assert client.get("/api/v1/nothing-here").json() == {"detail": "Not Found"}


def test_an_agent_corrects_a_label_on_the_case_page_and_exports_it(
    client: TestClient, seed: Seed
) -> None:
    csrf = login(client, "ania@skylot.example")
    case_id = _case_ids(client.get("/w/skylot/inbox", params={"language": "pl"}).text)[0]
    page = client.get(f"/w/skylot/cases/{case_id}")
    assert "Correct labels" in page.text
    post_id = re.search(r'data-post-id="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    saved = client.post(
        f"/w/skylot/posts/{post_id}/labels",
        data={"csrf_token": csrf, "label": "intent", "value": "complaint"},
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/w/skylot/cases/{case_id}"
    row = client.get("/api/v1/workspaces/skylot/cases", params={"language": "pl"}).json()
    assert row["items"][0]["intent"] == "complaint"
    export = client.get("/api/v1/workspaces/skylot/label-corrections.jsonl")
    assert export.status_code == 200
    line = json.loads(export.text.splitlines()[0])
    assert line["task"] == "intent" and line["label"] == "complaint"
    assert "gdzie jest mój bagaż" in line["text"]
