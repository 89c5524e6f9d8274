"""Request-scoped dependencies: the services, the signed-in session and the acting role.

An API request (``/api/…``) may instead carry ``Authorization: Bearer md_…``: it then acts as
that API token (``desk/api_tokens.py``) and needs no CSRF token, since it carries no cookie a
browser could send on someone's behalf. A cookie request still needs its CSRF token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import Actor, actor_for
from mentiondesk.desk.accounts import WebSession, load_session
from mentiondesk.desk.api_tokens import audit_token_request, token_actor
from mentiondesk.domain.errors import PermissionDenied
from mentiondesk.domain.integrations import TokenScope
from mentiondesk.web.security import CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE, tokens_match


class LoginRequired(Exception):
    """No valid session: pages redirect to the login form, the API answers 401."""


class CsrfRejected(Exception):
    """A state-changing request without the session's CSRF token."""


def bearer_secret(request: Request) -> str | None:
    """The API token of an API request that carries ``Authorization: Bearer …``."""
    header = request.headers.get("authorization")
    if not header or not request.url.path.startswith("/api/"):
        return None
    scheme, _, value = header.strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


BearerDep = Annotated[str | None, Depends(bearer_secret)]


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
    await _check_csrf(request, session)
    return session


async def _check_csrf(request: Request, session: WebSession) -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not tokens_match(session.csrf_token, given):
        raise CsrfRejected


CsrfSessionDep = Annotated[WebSession, Depends(require_csrf)]


async def csrf_unless_bearer(
    request: Request,
    bearer: BearerDep,
    session: Annotated[WebSession | None, Depends(optional_session)],
) -> WebSession | None:
    """The session, its CSRF token checked; None for a bearer-token request."""
    if bearer is not None:
        return None
    if session is None:
        raise LoginRequired
    await _check_csrf(request, session)
    return session


def _actor(
    request: Request, slug: str, services: Services, bearer: str | None, session: WebSession | None
) -> Actor:
    if bearer is None:
        if session is None:
            raise LoginRequired
        with services.uow() as uow:
            return actor_for(uow, session.user, slug)
    now = services.clock.now()
    with services.uow() as uow:
        actor, token = token_actor(uow, bearer, slug, now=now)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            if token.scopes == (TokenScope.READ,):
                raise PermissionDenied(
                    f"API token {token.name!r} may only read; a change needs the write scope"
                )
            audit_token_request(uow, actor, token, request.method, request.url.path, now=now)
    return actor


def current_actor(
    request: Request,
    slug: str,
    services: ServicesDep,
    bearer: BearerDep,
    session: Annotated[WebSession | None, Depends(optional_session)],
) -> Actor:
    """Who acts in the workspace named by the route's ``{slug}``: the signed-in user with
    their role there, or the API token of a bearer request."""
    return _actor(request, slug, services, bearer, session)


def current_writer(
    request: Request,
    slug: str,
    services: ServicesDep,
    bearer: BearerDep,
    session: Annotated[WebSession | None, Depends(csrf_unless_bearer)],
) -> Actor:
    """As ``current_actor``, for a state-changing request: a cookie request's CSRF token is
    checked first."""
    return _actor(request, slug, services, bearer, session)


ActorDep = Annotated[Actor, Depends(current_actor)]
WriteActorDep = Annotated[Actor, Depends(current_writer)]
