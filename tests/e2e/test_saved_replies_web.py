"""Saved replies over HTTP and the CLI: managed by admins, searched and inserted by agents."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from mentiondesk.bootstrap import Services
from mentiondesk.cli.main import app
from tests.e2e.conftest import Seed, login
from tests.e2e.test_replies_web import case_of, make_admin

BODY = "Cześć {{ author.first_name|vocative(familiar=True) }}, sprawdzamy {{ case.order_number }}."


def test_an_admin_saves_a_reply_and_an_agent_finds_and_inserts_it(
    client: TestClient, seed: Seed, services: Services
) -> None:
    csrf = login(client, make_admin(services, seed))
    created = client.post(
        "/api/v1/workspaces/skylot/saved-replies",
        json={"language": "pl", "title": "Bagaż", "body": BODY, "tags": ["bag"]},
        headers={"X-CSRF-Token": csrf},
    )
    assert created.status_code == 201, created.text
    saved_id = created.json()["id"]

    csrf = login(client, "ania@skylot.example")
    case_id = case_of(client, csrf)
    assert "saved-reply-search" in client.get(f"/w/skylot/cases/{case_id}").text
    dropdown = client.get(f"/w/skylot/cases/{case_id}/saved-replies", params={"q": "bag"})
    inserted = client.get(f"/w/skylot/cases/{case_id}/saved-replies/{saved_id}")
    api = client.get(f"/api/v1/workspaces/skylot/cases/{case_id}/saved-replies/{saved_id}")
    refused = client.post(
        "/api/v1/workspaces/skylot/saved-replies",
        json={"language": "pl", "title": "Mine", "body": "x"},
        headers={"X-CSRF-Token": csrf},
    )

    assert "Bagaż" in dropdown.text and f"/saved-replies/{saved_id}" in dropdown.text
    assert inserted.text == "Cześć Tomku, sprawdzamy {{ case.order_number }}."
    assert api.json()["unfilled"] == ["case.order_number"]
    assert refused.status_code == 403


def test_the_cli_imports_saved_replies_from_json_lines(tmp_path: Path) -> None:
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path)]
    for args in (
        ["workspace", "create", "--slug", "skylot", "--name", "Skylot", "--brand-name", "Skylot"],
        [
            "user",
            "create",
            "--email",
            "boss@x.example",
            "--name",
            "Boss",
            "--password",
            "long enough password",
            "--workspace",
            "skylot",
            "--role",
            "admin",
        ],
    ):
        done = runner.invoke(app, [*args, *data])
        assert done.exit_code == 0, done.output
    source = tmp_path / "saved.jsonl"
    source.write_text(
        json.dumps({"language": "en", "title": "Hello", "body": "Hi {{ author.first_name }}!"})
        + "\n",
        encoding="utf-8",
    )

    imported = runner.invoke(
        app,
        [
            "saved-replies",
            "import",
            str(source),
            "--workspace",
            "skylot",
            "--as",
            "boss@x.example",
            *data,
        ],
    )
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{oops\n", encoding="utf-8")
    failed = runner.invoke(
        app,
        [
            "saved-replies",
            "import",
            str(broken),
            "--workspace",
            "skylot",
            "--as",
            "boss@x.example",
            *data,
        ],
    )

    assert imported.exit_code == 0 and "1 created" in imported.output, imported.output
    assert failed.exit_code == 2 and "line 1" in failed.output
