"""A failed send on the case page: the alert keeps the text and offers a retry; the CLI side."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from mentiondesk.bootstrap import Services
from mentiondesk.cli.main import app
from mentiondesk.connectors.dev import FlakyConnector
from mentiondesk.domain.posts import Platform
from tests.e2e.conftest import Seed, login
from tests.e2e.test_replies_web import GOOD, case_of, post_reply


def test_a_failed_send_shows_an_alert_with_the_text_and_a_retry_that_delivers(
    client: TestClient, seed: Seed, services: Services
) -> None:
    flaky = FlakyConnector(Platform.X, failures=1, retry_after=None, reason="403 suspended")
    services.connectors[Platform.X] = flaky
    csrf = login(client, "ania@skylot.example")
    case_id = case_of(client, csrf)

    sent = post_reply(client, csrf, case_id, GOOD)
    assert sent.json()["status"] == "failed"
    page = client.get(f"/w/skylot/cases/{case_id}")
    assert "Not delivered" in page.text and "403 suspended" in page.text
    assert GOOD in page.text
    retry = f"/w/skylot/cases/{case_id}/replies/{sent.json()['id']}/retry"
    assert retry in page.text

    assert client.post(retry, data={"csrf_token": csrf}).status_code == 303
    assert "Not delivered" not in client.get(f"/w/skylot/cases/{case_id}").text
    assert [r.text for r in flaky.sent] == [GOOD]


def test_the_cli_sets_a_signature_and_retries_the_outbox(tmp_path: Path) -> None:
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path)]
    created = runner.invoke(
        app,
        [
            "user",
            "create",
            "--email",
            "ania@x.example",
            "--name",
            "Ania",
            "--password",
            "long enough password",
            *data,
        ],
    )
    assert created.exit_code == 0, created.output

    signed = runner.invoke(
        app, ["user", "signature", "--email", "ania@x.example", "--signature", "Ania", *data]
    )
    unknown = runner.invoke(
        app, ["user", "signature", "--email", "nobody@x.example", "--signature", "X", *data]
    )
    retried = runner.invoke(app, ["outbox", "retry", *data])

    assert signed.exit_code == 0, signed.output
    assert unknown.exit_code == 2
    assert retried.exit_code == 0 and "attempted 0" in retried.output


def test_continue_privately_over_the_api_sends_two_replies_in_the_case(
    client: TestClient, seed: Seed
) -> None:
    csrf = login(client, "ania@skylot.example")
    case_id = case_of(client, csrf)

    done = client.post(
        f"/api/v1/workspaces/skylot/cases/{case_id}/handoff",
        json={
            "text": "Tomasz, your booking AB12345 is rebooked for Friday.",
            "idempotency_key": "h",
        },
        headers={"X-CSRF-Token": csrf},
    )

    assert done.status_code == 201, done.text
    body = done.json()
    assert body["private"]["visibility"] == "private" and body["private"]["status"] == "simulated"
    assert body["public"]["visibility"] == "public" and body["public"]["case_id"] == case_id


def test_a_blocked_hand_off_on_the_page_keeps_the_draft_and_names_the_finding(
    client: TestClient, seed: Seed
) -> None:
    csrf = login(client, "ania@skylot.example")
    case_id = case_of(client, csrf)
    draft = "Hi Marco, your booking AB12345 is rebooked for Friday."

    refused = client.post(
        f"/w/skylot/cases/{case_id}/handoff",
        data={"text": draft, "idempotency_key": "page-h", "csrf_token": csrf},
    )

    assert refused.status_code == 422
    assert draft in refused.text and 'data-check="wrong_name"' in refused.text
