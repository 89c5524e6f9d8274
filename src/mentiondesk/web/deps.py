"""Request-scoped dependencies: the services, the signed-in session and the acting role."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import Actor, actor_for
from mentiondesk.desk.accounts import WebSession, load_session
from mentiondesk.web.security import CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE, tokens_match


class LoginRequired(Exception):
    """No valid session: pages redirect to the login form, the API answers 401."""


class CsrfRejected(Exception):
    """A state-changing request without the session's CSRF token."""


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def optional_session(request: Request, services: ServicesDep) -> WebSession | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    with services.uow() as uow:
        return load_session(uow, token, now=services.clock.now())


def require_session(
    session: Annotated[WebSession | None, Depends(optional_session)],
) -> WebSession:
    if session is None:
        raise LoginRequired
    return session


SessionDep = Annotated[WebSession, Depends(require_session)]


async def require_csrf(request: Request, session: SessionDep) -> WebSession:
    """Unsafe methods must carry the session's token in a header (htmx, API) or a form field."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return session
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not tokens_match(session.csrf_token, given):
        raise CsrfRejected
    return session


CsrfSessionDep = Annotated[WebSession, Depends(require_csrf)]


def current_actor(slug: str, services: ServicesDep, session: SessionDep) -> Actor:
    """The signed-in user's role in the workspace named by the route's ``{slug}``."""
    with services.uow() as uow:
        return actor_for(uow, session.user, slug)


def current_writer(slug: str, services: ServicesDep, session: CsrfSessionDep) -> Actor:
    """As ``current_actor``, for a state-changing request: the CSRF token is checked first."""
    return current_actor(slug, services, session)


ActorDep = Annotated[Actor, Depends(current_actor)]
WriteActorDep = Annotated[Actor, Depends(current_writer)]
