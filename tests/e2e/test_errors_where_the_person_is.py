"""Every refusal is shown where the person is: next to the field, with what they typed kept;
API errors share one documented shape; numbers past what storage holds are refused on entry."""

from __future__ import annotations

import html
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from mentiondesk.bootstrap import Services
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.domain.workspaces import Role
from tests.e2e import test_browser
from tests.e2e.conftest import NOW, PASSWORD, Seed, login
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, _require_chromium

live_url = test_browser.live_url

HX = {"hx-request": "true"}


@pytest.fixture
def owner_csrf(client: TestClient, services: Services, seed: Seed) -> str:
    with services.uow() as uow:
        user = do_create_user(uow, "olga@skylot.example", "Olga", PASSWORD, now=NOW)
        uow.users.set_role(user.id, seed.skylot.id, Role.OWNER)
        uow.commit()
    return login(client, "olga@skylot.example")


def test_a_refused_note_comes_back_in_the_box_with_the_reason_under_it(
    client: TestClient, seed: Seed
) -> None:
    csrf = login(client, "ania@skylot.example")
    long_note = "Customer called twice; " + "x" * 5_000
    for typed, reason in [("   ", "is empty"), (long_note, "longer than 5000")]:
        refused = client.post(
            "/w/skylot/cases/1/notes",
            data={"text": typed, "csrf_token": csrf},
            headers=HX,
        )
        assert refused.status_code == 422
        assert refused.headers["x-inline-error"] == "1"
        assert 'class="field-error"' in refused.text and reason in refused.text
        assert f">{typed}</textarea>" in html.unescape(refused.text)


def test_a_dry_run_with_no_conditions_says_why_in_its_result_panel(
    client: TestClient, owner_csrf: str
) -> None:
    answer = client.post(
        "/w/skylot/moderation/rules/dry-run",
        data={"name": "nothing", "tag": "x", "csrf_token": owner_csrf},
        headers={**HX, "x-csrf-token": owner_csrf},
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["x-inline-error"] == "1"
    assert "Cannot dry-run this rule" in answer.text and 'role="alert"' in answer.text


@pytest.mark.parametrize(
    ("field", "typed", "reason"),
    [
        ("first_response", "1e308", "between 0 and"),
        ("resolution", "-3", "between 0 and"),
        ("time_zone", "Mars/Olympus_Mons", "unknown time zone"),
        ("time_zone", "../../etc/" + "a" * 300, "unknown time zone"),
    ],
)
def test_the_settings_page_shows_the_error_next_to_the_field_and_keeps_the_typed_value(
    client: TestClient, owner_csrf: str, field: str, typed: str, reason: str
) -> None:
    form = {"time_zone": "Europe/Warsaw", "hours_0": "08:00-20:00", "csrf_token": owner_csrf}
    refused = client.post("/w/skylot/settings/desk", data={**form, field: typed})
    assert refused.status_code == 422
    page = html.unescape(refused.text)
    assert f'id="{field}-error">' in page and reason in page.split(f'id="{field}-error">')[1]
    assert f'name="{field}" value="{typed}"' in page
    assert client.get("/w/skylot/inbox").status_code == 200
    assert client.get("/w/skylot/cases/1").status_code == 200
    assert client.get("/w/skylot/settings/desk").status_code == 200


def test_a_reply_refused_as_invalid_keeps_the_agents_text(client: TestClient, seed: Seed) -> None:
    csrf = login(client, "ania@skylot.example")
    typed = "Dear Tomasz, " + "we are sorry. " * 800
    refused = client.post(
        "/w/skylot/cases/1/reply",
        data={"text": typed, "idempotency_key": "k1", "version": "1", "csrf_token": csrf},
    )
    assert refused.status_code == 422
    assert "Not sent:" in refused.text
    assert typed.strip() in html.unescape(refused.text)


def test_a_failed_htmx_request_answers_a_message_not_a_page(client: TestClient, seed: Seed) -> None:
    login(client, "ania@skylot.example")
    missing = client.get("/w/skylot/cases/999/notes", headers=HX)
    assert missing.status_code == 404
    assert missing.text.strip().startswith('<p class="error" role="alert">')
    page = client.get("/w/skylot/inbox").text
    assert '<script src="/static/errors.js" defer></script>' in page
    assert client.get("/static/errors.js").status_code == 200


def test_api_errors_share_one_documented_shape(client: TestClient, seed: Seed) -> None:
    schema = client.get("/api/openapi.json").json()
    assert "ErrorResponse" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            errors = {s: r for s, r in operation["responses"].items() if s[0] in "45"}
            assert {"4XX", "5XX"} <= set(errors), (method, path)
            for status, answer in errors.items():
                ref = answer["content"]["application/json"]["schema"].get("$ref", "")
                assert ref.endswith("/ErrorResponse"), (method, path, status)
    csrf = login(client, "ania@skylot.example")
    answers = [
        client.get(f"/api/v1/workspaces/skylot/cases/{2**63}"),
        client.get("/api/v1/workspaces/skylot/cases", params={"page": 2**63}),
        client.post(
            "/api/v1/workspaces/skylot/cases/1/assign",
            json={"assignee_id": 2**64},
            headers={"x-csrf-token": csrf},
        ),
        client.post(
            "/api/v1/workspaces/skylot/cases/1/resolve",
            json={"expected_version": "soon"},
            headers={"x-csrf-token": csrf},
        ),
    ]
    for answer in answers:
        assert answer.status_code == 422, answer.text
        assert set(answer.json()) == {"detail"} and answer.json()["detail"]["reason"]
    assert answers[0].json()["detail"]["field"] == "case_id"
    assert answers[1].json()["detail"]["field"] == "page"
    assert answers[2].json()["detail"]["field"] == "assignee_id"


def test_assigning_through_the_api_answers_the_assigned_case(
    client: TestClient, services: Services, seed: Seed
) -> None:
    csrf = login(client, "ania@skylot.example")
    with services.uow() as uow:
        ania = uow.users.get_by_email("ania@skylot.example")
    assert ania is not None
    case = client.get("/api/v1/workspaces/skylot/cases/1").json()
    assigned = client.post(
        "/api/v1/workspaces/skylot/cases/1/assign",
        json={"assignee_id": ania.id, "expected_version": case["version"]},
        headers={"x-csrf-token": csrf},
    )
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["assignee_id"] == ania.id
    assert assigned.json()["version"] == case["version"] + 1


@pytest.fixture
def page(request: pytest.FixtureRequest, services: Services, seed: Seed) -> Iterator[object]:
    _require_chromium()
    base_url: str = request.getfixturevalue("live_url")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=base_url)
        yield context.new_page()
        context.close()
        browser.close()


@pytest.mark.browser
def test_in_a_browser_a_refused_note_stays_typed_and_a_failed_request_shows_a_toast(
    page: object,
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto("/w/skylot/cases/1")
    page.get_by_label("E-mail").fill("ania@skylot.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/w/skylot/cases/1")
    note = page.get_by_label("Add a private note")
    note.fill("Called twice. " + "x" * 5_000)
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#note-error")).to_contain_text("longer than 5000")
    expect(page.get_by_label("Add a private note")).to_have_value("Called twice. " + "x" * 5_000)
    request = "() => { htmx.ajax('GET', '%s', {target: '#case-notes'}).catch(() => null); }"
    page.evaluate(request % "/w/skylot/cases/999/notes")
    expect(page.locator("#toasts .toast")).to_contain_text("999")
    page.context.set_offline(True)
    page.evaluate(request % "/w/skylot/cases/1/notes")
    expect(page.locator("#toasts .toast").last).to_contain_text("Could not reach the server")
