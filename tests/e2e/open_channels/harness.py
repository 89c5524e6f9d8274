"""A desk on SQLite driven the way an admin and an agent drive it: ``channel add`` and
``listen --once`` from the command line, cases and answers through the case API."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from mentiondesk.bootstrap import Services, bootstrap
from mentiondesk.cli.main import app
from mentiondesk.config import Settings
from mentiondesk.storage.tables import rejected_inputs
from mentiondesk.web.app import create_app

API = "/api/v1/workspaces/skylot"
AGENT, PASSWORD = "ania@skylot.example", "correct-horse-battery"


@dataclass
class Desk:
    data_dir: Path
    runner: CliRunner

    def cli(self, *args: str) -> tuple[int, str]:
        result = self.runner.invoke(app, list(args))
        return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")

    def ok(self, *args: str) -> str:
        code, out = self.cli(*args)
        assert code == 0, out
        return out

    def listen_once(self) -> str:
        return self.ok("listen", "--once")

    def services(self) -> Services:
        return bootstrap(Settings(data_dir=self.data_dir))

    def cases(self) -> list[dict[str, Any]]:
        with self.api() as (client, _):
            items: list[dict[str, Any]] = client.get(f"{API}/cases").json()["items"]
        return items

    def case_with(self, text: str) -> dict[str, Any]:
        found = [c for c in self.cases() if text in c["summary"]]
        assert len(found) == 1, [c["summary"] for c in self.cases()]
        return found[0]

    def posts(self, case_id: int) -> list[dict[str, Any]]:
        with self.api() as (client, _):
            posts: list[dict[str, Any]] = client.get(f"{API}/cases/{case_id}").json()["posts"]
        return posts

    def page(self, path: str) -> str:
        with self.api() as (client, _):
            response = client.get(path)
            assert response.status_code == 200, response.text
            return response.text

    def answer(self, case_id: int, text: str, visibility: str = "public") -> dict[str, Any]:
        with self.api() as (client, csrf):
            response = client.post(
                f"{API}/cases/{case_id}/replies",
                json={
                    "text": text,
                    "idempotency_key": uuid.uuid4().hex,
                    "visibility": visibility,
                    "override_reason": "answered in the end-to-end test",
                },
                headers={"X-CSRF-Token": csrf},
            )
            assert response.status_code == 201, response.text
            body: dict[str, Any] = response.json()
        return body

    def rejected(self) -> list[dict[str, Any]]:
        services = self.services()
        try:
            with services.engine.connect() as conn:
                rows = conn.execute(select(rejected_inputs)).mappings().all()
        finally:
            services.close()
        return [dict(r) for r in rows]

    def api(self) -> _Api:
        return _Api(self)


class _Api:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def __enter__(self) -> tuple[TestClient, str]:
        self.services = self.desk.services()
        self.client = TestClient(create_app(self.services), follow_redirects=False)
        self.client.__enter__()
        form = self.client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token
        signed = self.client.post(
            "/login",
            data={"email": AGENT, "password": PASSWORD, "csrf_token": token.group(1), "next": "/"},
        )
        assert signed.status_code == 303, signed.text
        page = self.client.get("/", follow_redirects=True)
        csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text)
        assert csrf
        return self.client, csrf.group(1)

    def __exit__(self, *exc: object) -> None:
        self.client.__exit__(None, None, None)
        self.services.close()


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desk]:
    monkeypatch.setenv("MENTIONDESK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "400")  # tables unwrapped, so a test reads whole reasons
    built = Desk(tmp_path, CliRunner())
    built.ok(
        "workspace", "create", "--slug", "skylot", "--name", "Skylot", "--brand-name", "Skylot"
    )
    built.ok(
        "user", "create", "--email", AGENT, "--name", "Ania", "--password", PASSWORD,
        "--workspace", "skylot", "--role", "owner",
    )  # fmt: skip
    yield built
