"""End-to-end fixtures: the real app on an embedded SQLite database, with seeded tenants."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

from mentiondesk.bootstrap import Services, bootstrap
from mentiondesk.config import Settings
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.desk.workspaces import do_create_source, do_create_workspace
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.workspaces import BrandIdentity, Role, Workspace
from mentiondesk.web.app import create_app

PASSWORD = "correct-horse-battery"
NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


@dataclass
class Seed:
    skylot: Workspace
    corvo: Workspace
    skylot_secret: str


def raw_post(pid: str, text: str, **extra: object) -> dict[str, object]:
    post: dict[str, object] = {
        "platform": "x",
        "platform_post_id": pid,
        "text": text,
        "created_at": "2026-11-14T17:07:00+01:00",
        "author_handle": "tomek_k",
        "author_name": "Tomasz Kowalski",
        "author_followers": 120,
    }
    post.update(extra)
    return post


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = bootstrap(Settings(data_dir=tmp_path), clock=FixedClock(NOW))
    yield built
    built.close()


@pytest.fixture
def seed(services: Services) -> Seed:
    """Two brands of one agency. Ania works on Skylot, Gino on Corvo, Vera views Skylot."""
    with services.uow() as uow:
        skylot = do_create_workspace(
            uow,
            slug="skylot",
            name="Skylot",
            now=NOW,
            brand=BrandIdentity(names=("Skylot",), handles={"x": ("@skylot",)}),
        )
        corvo = do_create_workspace(
            uow,
            slug="corvo",
            name="Corvo Coffee",
            now=NOW,
            brand=BrandIdentity(names=("Corvo",), handles={"x": ("@corvocoffee",)}),
        )
        for email, name, ws, role in [
            ("ania@skylot.example", "Ania", skylot, Role.AGENT),
            ("gino@corvo.example", "Gino", corvo, Role.AGENT),
            ("vera@client.example", "Vera", skylot, Role.VIEWER),
        ]:
            user = do_create_user(uow, email, name, PASSWORD, now=NOW)
            uow.users.set_role(user.id, ws.id, role)
        uow.commit()
        secret = do_create_source(uow, skylot, "skylot-hook", now=NOW)
    pipeline = services.pipeline
    pipeline.ingest(
        skylot, raw_post("100", "@skylot my bag never arrived in Milan", lang="en"), source="t"
    )
    pipeline.ingest(
        skylot,
        raw_post(
            "101",
            "Skylot, gdzie jest mój bagaż?",
            author_handle="ola",
            author_name="Ola Nowak",
            lang="pl",
        ),
        source="t",
    )
    pipeline.ingest(
        corvo,
        raw_post("900", "@corvocoffee il caffè era freddo", author_handle="giulia"),
        source="t",
    )
    return Seed(skylot, corvo, secret)


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(
        create_app(services), base_url="http://testserver", follow_redirects=False
    ) as test_client:
        yield test_client


def login(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in through the real form; returns the session's CSRF token for later posts."""
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token, "the login form carries a CSRF token"
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token.group(1), "next": "/"},
    )
    assert response.status_code == 303, response.text
    page = client.get("/", follow_redirects=True)
    csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text)
    assert csrf, "signed-in pages carry the session CSRF token"
    return csrf.group(1)


def all_routes(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    """Every route of the app, also inside included routers (FastAPI nests them lazily)."""
    for route in routes:
        nested = getattr(route, "original_router", None)
        if nested is not None:
            yield from all_routes(nested.routes)
        else:
            yield route
