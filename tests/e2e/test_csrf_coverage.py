"""Every state-changing route is protected: by the session's CSRF token, or by a signature.
An API route may also take a bearer API token instead of a cookie (``csrf_unless_bearer``):
such a request carries no cookie a browser could send for someone else."""

from __future__ import annotations

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from mentiondesk.bootstrap import Services
from mentiondesk.web.app import create_app
from mentiondesk.web.deps import csrf_unless_bearer, require_csrf
from tests.e2e.conftest import all_routes

# Routes that change state without a signed-in session, and what protects them instead.
OTHERWISE_PROTECTED = {
    "/login": "a double-submit token of its own (there is no session yet)",
    "/api/v1/inbound/{source}": "an HMAC signature with the source's secret",
    "/webhooks/meta": "Meta's X-Hub-Signature-256 with the app secret",
}


def _calls(dependant: Dependant, wanted: object) -> bool:
    return any(d.call is wanted or _calls(d, wanted) for d in dependant.dependencies)


def test_every_post_put_and_patch_route_checks_the_csrf_token(services: Services) -> None:
    routes = [r for r in all_routes(create_app(services).routes) if isinstance(r, APIRoute)]
    writes = [r for r in routes if r.methods & {"POST", "PUT", "PATCH", "DELETE"}]
    assert len(writes) > 30, "every page and API route is enumerated"
    unprotected = [
        f"{sorted(route.methods)} {route.path}"
        for route in writes
        if route.path not in OTHERWISE_PROTECTED
        and not _calls(route.dependant, require_csrf)
        and not _calls(route.dependant, csrf_unless_bearer)
    ]
    assert unprotected == []
    assert {r.path for r in writes} >= set(OTHERWISE_PROTECTED), "the exceptions still exist"
