"""Account pages: your password and your sessions (``/account``), and a workspace's members
for its owners and admins (``/w/{slug}/members``: reset a password, deactivate, take someone
out of the workspace). Refused forms come back with the reason beside the field."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import Actor
from mentiondesk.desk.account_admin import (
    do_change_password,
    do_remove_membership,
    do_reset_password,
    do_revoke_other_sessions,
    do_revoke_session,
    do_set_active,
    members,
    my_sessions,
)
from mentiondesk.desk.accounts import WebSession
from mentiondesk.domain.errors import DomainError, InvalidInput
from mentiondesk.domain.passwords import MIN_LENGTH
from mentiondesk.domain.workspaces import SESSION_KEY_LENGTH
from mentiondesk.web.deps import ActorDep, CsrfSessionDep, ServicesDep, SessionDep, WriteActorDep
from mentiondesk.web.rendering import render

router = APIRouter()


def _account_page(
    request: Request,
    services: Services,
    session: WebSession,
    *,
    status_code: int = 200,
    **context: Any,
) -> Response:
    now = services.clock.now()
    with services.uow() as uow:
        memberships = uow.workspaces.for_user(session.user.id)
        sessions = my_sessions(uow, session.user, now=now)
    return render(
        request,
        "account.html",
        {
            "session": session,
            "memberships": memberships,
            "sessions": sessions,
            "current_key": session.token_hash[:SESSION_KEY_LENGTH],
            "min_length": MIN_LENGTH,
            "notice": request.query_params.get("done"),
            **context,
        },
        status_code=status_code,
    )


@router.get("/account")
def show_account(request: Request, services: ServicesDep, session: SessionDep) -> Response:
    return _account_page(request, services, session)


@router.post("/account/password")
def change_password(
    request: Request,
    services: ServicesDep,
    session: CsrfSessionDep,
    current_password: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    password_again: Annotated[str, Form()] = "",
) -> Response:
    try:
        if password != password_again:
            raise InvalidInput("password_again", "does not match the new password")
        with services.uow() as uow:
            signed_out = do_change_password(
                uow,
                session.user,
                current_password,
                password,
                now=services.clock.now(),
                keep_token_hash=session.token_hash,
            )
    except InvalidInput as exc:
        return _account_page(
            request,
            services,
            session,
            error={"field": exc.field, "message": exc.reason},
            status_code=422,
        )
    message = f"Password changed; {signed_out} other session(s) signed out."
    return RedirectResponse(f"/account?done={quote(message)}", status_code=303)


@router.post("/account/sessions/revoke-others")
def revoke_other_sessions(services: ServicesDep, session: CsrfSessionDep) -> Response:
    with services.uow() as uow:
        count = do_revoke_other_sessions(
            uow, session.user, session.token_hash, now=services.clock.now()
        )
    return RedirectResponse(
        f"/account?done={quote(f'{count} other session(s) signed out.')}", status_code=303
    )


@router.post("/account/sessions/{key}/revoke")
def revoke_session(services: ServicesDep, session: CsrfSessionDep, key: str) -> Response:
    with services.uow() as uow:
        do_revoke_session(uow, session.user, key, now=services.clock.now())
    return RedirectResponse(f"/account?done={quote('Session signed out.')}", status_code=303)


# -- members of a workspace ------------------------------------------------------------------


def _members_page(
    request: Request,
    services: Services,
    session: WebSession,
    actor: Actor,
    *,
    status_code: int = 200,
    **context: Any,
) -> Response:
    with services.uow() as uow:
        memberships = uow.workspaces.for_user(session.user.id)
        listed = members(uow, actor)
    return render(
        request,
        "members.html",
        {
            "session": session,
            "actor": actor,
            "memberships": memberships,
            "members": listed,
            "notice": request.query_params.get("done"),
            **context,
        },
        status_code=status_code,
    )


@router.get("/w/{slug}/members")
def show_members(
    request: Request, services: ServicesDep, session: SessionDep, actor: ActorDep, slug: str
) -> Response:
    return _members_page(request, services, session, actor)


def _member_action_failed(
    request: Request,
    services: Services,
    session: WebSession,
    actor: Actor,
    user_id: int,
    exc: DomainError,
) -> Response:
    status = 422 if isinstance(exc, InvalidInput) else 403
    message = exc.reason if isinstance(exc, InvalidInput) else str(exc)
    return _members_page(
        request,
        services,
        session,
        actor,
        error={"user_id": user_id, "message": message},
        status_code=status,
    )


@router.post("/w/{slug}/members/{user_id}/reset-password")
def reset_password(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: WriteActorDep,
    slug: str,
    user_id: int,
) -> Response:
    """Shows the generated temporary password once, on this response only."""
    try:
        with services.uow() as uow:
            temporary = do_reset_password(uow, actor, user_id, now=services.clock.now())
            user = uow.users.get(user_id)
    except DomainError as exc:
        return _member_action_failed(request, services, session, actor, user_id, exc)
    return _members_page(
        request, services, session, actor, temporary={"user": user, "password": temporary}
    )


@router.post("/w/{slug}/members/{user_id}/deactivate")
def deactivate(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: WriteActorDep,
    slug: str,
    user_id: int,
) -> Response:
    return _set_active(request, services, session, actor, user_id, active=False)


@router.post("/w/{slug}/members/{user_id}/reactivate")
def reactivate(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: WriteActorDep,
    slug: str,
    user_id: int,
) -> Response:
    return _set_active(request, services, session, actor, user_id, active=True)


def _set_active(
    request: Request,
    services: Services,
    session: WebSession,
    actor: Actor,
    user_id: int,
    *,
    active: bool,
) -> Response:
    try:
        with services.uow() as uow:
            do_set_active(uow, actor, user_id, active=active, now=services.clock.now())
    except DomainError as exc:
        return _member_action_failed(request, services, session, actor, user_id, exc)
    word = "reactivated" if active else "deactivated and signed out everywhere"
    return RedirectResponse(
        f"/w/{actor.workspace.slug}/members?done={quote(f'Account {word}.')}", status_code=303
    )


@router.post("/w/{slug}/members/{user_id}/offboard")
def offboard(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: WriteActorDep,
    slug: str,
    user_id: int,
) -> Response:
    """Take the member out of this workspace (the account itself stays)."""
    try:
        with services.uow() as uow:
            released = do_remove_membership(uow, actor, user_id, now=services.clock.now())
    except DomainError as exc:
        return _member_action_failed(request, services, session, actor, user_id, exc)
    message = f"Member taken out of {actor.workspace.name}; {released} case(s) unassigned."
    if user_id == session.user.id:
        return RedirectResponse("/", status_code=303)
    return RedirectResponse(f"/w/{slug}/members?done={quote(message)}", status_code=303)
