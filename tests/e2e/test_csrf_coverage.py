"""Every state-changing route is protected: by the session's CSRF token, or by a signature."""

from __future__ import annotations

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from mentiondesk.bootstrap import Services
from mentiondesk.web.app import create_app
from mentiondesk.web.deps import require_csrf

# Routes that change state without a signed-in session, and what protects them instead.
OTHERWISE_PROTECTED = {
    "/login": "a double-submit token of its own (there is no session yet)",
    "/api/v1/inbound/{source}": "an HMAC signature with the source's secret",
}


def _calls(dependant: Dependant, wanted: object) -> bool:
    return any(d.call is wanted or _calls(d, wanted) for d in dependant.dependencies)


def test_every_post_put_and_patch_route_checks_the_csrf_token(services: Services) -> None:
    app = create_app(services)
    unprotected = [
        f"{sorted(route.methods)} {route.path}"
        for route in app.routes
        if isinstance(route, APIRoute)
        and route.methods & {"POST", "PUT", "PATCH", "DELETE"}
        and route.path not in OTHERWISE_PROTECTED
        and not _calls(route.dependant, require_csrf)
    ]
    assert unprotected == []
