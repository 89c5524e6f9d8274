"""Account pages: your password and your sessions (``/account``), and a workspace's members
for its owners and admins (``/w/{slug}/members``: reset a password, deactivate, take someone
out of the workspace). Refused forms come back with the reason beside the field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
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
from mentiondesk.storage.unit_of_work import UnitOfWork
from mentiondesk.web.deps import ActorDep, CsrfSessionDep, ServicesDep, SessionDep, WriteActorDep
from mentiondesk.web.rendering import render

router = APIRouter()

T = TypeVar("T")


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
    return _done("/account", f"Password changed; {signed_out} other session(s) signed out.")


@router.post("/account/sessions/revoke-others")
def revoke_other_sessions(services: ServicesDep, session: CsrfSessionDep) -> Response:
    with services.uow() as uow:
        count = do_revoke_other_sessions(
            uow, session.user, session.token_hash, now=services.clock.now()
        )
    return _done("/account", f"{count} other session(s) signed out.")


@router.post("/account/sessions/{key}/revoke")
def revoke_session(services: ServicesDep, session: CsrfSessionDep, key: str) -> Response:
    with services.uow() as uow:
        do_revoke_session(uow, session.user, key, now=services.clock.now())
    return _done("/account", "Session signed out.")


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


@dataclass(frozen=True, slots=True)
class _Target:
    """A member action's request: who acts (``actor``, with a checked CSRF token) on whom."""

    request: Request
    services: Services
    session: WebSession
    actor: Actor
    slug: str
    user_id: int

    def page(self, **context: Any) -> Response:
        return _members_page(self.request, self.services, self.session, self.actor, **context)


def _target(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: WriteActorDep,
    slug: str,
    user_id: int,
) -> _Target:
    return _Target(request, services, session, actor, slug, user_id)


TargetDep = Annotated[_Target, Depends(_target)]


def _on_member(
    target: _Target, act: Callable[[UnitOfWork, datetime], T], then: Callable[[T], Response]
) -> Response:
    """Run ``act`` on the member and answer with ``then``; a refusal comes back on the members
    page beside the member (422 for what was typed, 403 otherwise)."""
    try:
        with target.services.uow() as uow:
            result = act(uow, target.services.clock.now())
    except DomainError as exc:
        if isinstance(exc, InvalidInput):
            status, message = 422, exc.reason
        else:
            status, message = 403, str(exc)
        return target.page(
            error={"user_id": target.user_id, "message": message}, status_code=status
        )
    return then(result)


@router.post("/w/{slug}/members/{user_id}/reset-password")
def reset_password(target: TargetDep) -> Response:
    """Shows the generated temporary password once, on this response only."""

    def reset(uow: UnitOfWork, now: datetime) -> dict[str, Any]:
        temporary = do_reset_password(uow, target.actor, target.user_id, now=now)
        return {"user": uow.users.get(target.user_id), "password": temporary}

    return _on_member(target, reset, lambda temporary: target.page(temporary=temporary))


@router.post("/w/{slug}/members/{user_id}/deactivate")
def deactivate(target: TargetDep) -> Response:
    return _set_active(target, active=False)


@router.post("/w/{slug}/members/{user_id}/reactivate")
def reactivate(target: TargetDep) -> Response:
    return _set_active(target, active=True)


def _set_active(target: _Target, *, active: bool) -> Response:
    word = "reactivated" if active else "deactivated and signed out everywhere"
    return _on_member(
        target,
        lambda uow, now: do_set_active(uow, target.actor, target.user_id, active=active, now=now),
        lambda _: _done(f"/w/{target.actor.workspace.slug}/members", f"Account {word}."),
    )


@router.post("/w/{slug}/members/{user_id}/offboard")
def offboard(target: TargetDep) -> Response:
    """Take the member out of this workspace (the account itself stays)."""

    def released(count: int) -> Response:
        if target.user_id == target.session.user.id:
            return RedirectResponse("/", status_code=303)
        name = target.actor.workspace.name
        message = f"Member taken out of {name}; {count} case(s) unassigned."
        return _done(f"/w/{target.slug}/members", message)

    return _on_member(
        target,
        lambda uow, now: do_remove_membership(uow, target.actor, target.user_id, now=now),
        released,
    )


def _done(path: str, message: str) -> Response:
    """Back to ``path`` with ``message`` shown as the notice."""
    return RedirectResponse(f"{path}?done={quote(message)}", status_code=303)
