"""Schemathesis over the whole OpenAPI schema: no request, valid or not, answers 5xx.

Each operation gets a bounded number of generated requests (positive and negative data,
derandomized: the same requests on every run), sent signed out, as an agent and as the
workspace's owner (session cookie plus CSRF header). Path parameters are often pointed at the
seeded workspace, at ids that exist and at 2^63, so the handlers behind the 404s are reached
too. Reads run again after the writes, because a stored value that breaks a later page (an
infinite SLA target) is a 500 too. The figures are printed (run with ``-s`` to see them)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.python.asgi import ASGIClient
from schemathesis.schemas import APIOperation

from mentiondesk.bootstrap import Services
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.domain.workspaces import Role
from tests.e2e.conftest import NOW, PASSWORD, Seed, login

pytestmark = pytest.mark.slow

EXAMPLES_PER_MODE = 12
EXISTING_IDS = {
    "case_id": 1,
    "post_id": 1,
    "author_id": 1,
    "user_id": 1,
    "rule_id": 1,
    "saved_id": 1,
}


@dataclass
class Figures:
    operations: int = 0
    requests: int = 0
    no_negative: int = 0
    by_class: dict[str, int] = field(default_factory=dict)
    server_errors: list[str] = field(default_factory=list)


def _session_client(app: Any, client: TestClient | None) -> ASGIClient:
    """A schemathesis client that carries the signed-in browser's cookie and CSRF header."""
    asgi = ASGIClient(app)
    if client is not None:
        csrf = _csrf(client)
        asgi.cookies.update(dict(client.cookies.items()))
        asgi.headers["X-CSRF-Token"] = csrf
    return asgi


def _csrf(client: TestClient) -> str:
    page = client.get("/", follow_redirects=True)
    found = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text)
    assert found, "a signed-in page carries the CSRF token"
    return found.group(1)


def _fuzz_operation(
    operation: APIOperation, session: ASGIClient, figures: Figures, mode: GenerationMode
) -> None:
    @settings(
        max_examples=EXAMPLES_PER_MODE,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), aim=st.integers(0, 4))
    def run(case: schemathesis.Case, aim: int) -> None:
        if aim and case.path_parameters and "slug" in case.path_parameters:
            case.path_parameters["slug"] = "skylot"
        for name, value in EXISTING_IDS.items():
            if name in (case.path_parameters or {}) and aim > 1:
                case.path_parameters[name] = value + aim - 2 if aim < 4 else 2**63
        if aim == 4 and isinstance(case.query, dict) and "page" in case.query:
            case.query["page"] = 2**63
        try:
            status = case.call(session=session).status_code
        except Exception as exc:  # the app raised: a client would have got a 500
            status, cause = 500, f"{type(exc).__name__}: {str(exc)[:200]}"
        else:
            cause = ""
        figures.requests += 1
        klass = f"{status // 100}xx"
        figures.by_class[klass] = figures.by_class.get(klass, 0) + 1
        if status >= 500:
            figures.server_errors.append(
                f"{status} {case.method} {case.formatted_path} query={case.query!r} "
                f"body={case.body!r:.200} {cause}"
            )

    try:
        run()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE, f"{operation.label}: no valid request"
        figures.no_negative += 1


def _fuzz(app: Any, session: ASGIClient, figures: Figures) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    reads = [op for op in operations if op.method.upper() == "GET"]
    for operation in [*operations, *reads]:
        figures.operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz_operation(operation, session, figures, mode)


@pytest.fixture
def owner(services: Services, seed: Seed) -> Iterator[None]:
    with services.uow() as uow:
        user = do_create_user(uow, "olga@skylot.example", "Olga", PASSWORD, now=NOW)
        uow.users.set_role(user.id, seed.skylot.id, Role.OWNER)
        uow.commit()
    yield


@pytest.mark.parametrize("identity", ["signed-out", "agent", "owner"])
def test_no_generated_api_request_answers_a_server_error(
    client: TestClient, seed: Seed, owner: None, identity: str
) -> None:
    if identity == "agent":
        login(client, "ania@skylot.example")
    elif identity == "owner":
        login(client, "olga@skylot.example")
    app = client.app
    figures = Figures()
    session = _session_client(app, None if identity == "signed-out" else client)
    _fuzz(app, session, figures)
    print(
        f"\nfuzzing as {identity}: {figures.operations} operations, {figures.requests} requests, "
        f"by class {dict(sorted(figures.by_class.items()))}, 5xx={len(figures.server_errors)}"
    )
    assert figures.requests >= figures.operations * EXAMPLES_PER_MODE
    assert figures.server_errors == [], "\n".join(figures.server_errors[:40])
