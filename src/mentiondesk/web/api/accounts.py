"""API v1 for your own account (password, sessions) and a workspace's members (reset a
password, deactivate, take out of the workspace). Thin: each route calls one service in
``desk/account_admin.py``; every action is audited there."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, Field

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
from mentiondesk.domain.workspaces import SESSION_KEY_LENGTH
from mentiondesk.web.deps import ActorDep, CsrfSessionDep, ServicesDep, SessionDep, WriteActorDep

router = APIRouter(prefix="/api/v1", tags=["accounts"])


class PasswordChange(BaseModel):
    current_password: str = Field(max_length=1000)
    new_password: str = Field(
        max_length=1000,
        description="12+ characters, not a common password, not your e-mail name or a "
        "workspace's name.",
    )


class PasswordChanged(BaseModel):
    other_sessions_signed_out: int


class SessionPublic(BaseModel):
    key: str = Field(description="Names the session for revoking; cannot be used to sign in.")
    current: bool
    user_agent: str
    ip_address: str
    created_at: datetime
    last_seen_at: datetime | None
    expires_at: datetime


class SessionsRevoked(BaseModel):
    signed_out: int


class MemberPublic(BaseModel):
    user_id: int
    name: str
    email: str
    role: str
    active: bool


class PasswordReset(BaseModel):
    new_password: str | None = Field(
        default=None,
        max_length=1000,
        description="Leave out to get a generated temporary password back.",
    )


class PasswordResetDone(BaseModel):
    temporary_password: str = Field(description="Shown once; hand it over privately.")


class MembershipEnded(BaseModel):
    cases_unassigned: int


@router.post("/account/password", response_model=PasswordChanged)
def change_password(
    services: ServicesDep, session: CsrfSessionDep, body: PasswordChange
) -> PasswordChanged:
    """Change your password (the current one is needed); your other sessions are signed out."""
    with services.uow() as uow:
        count = do_change_password(
            uow,
            session.user,
            body.current_password,
            body.new_password,
            now=services.clock.now(),
            keep_token_hash=session.token_hash,
        )
    return PasswordChanged(other_sessions_signed_out=count)


@router.get("/account/sessions", response_model=list[SessionPublic])
def list_sessions(services: ServicesDep, session: SessionDep) -> list[SessionPublic]:
    """Where you are signed in: browser, address, when it was last seen."""
    with services.uow() as uow:
        records = my_sessions(uow, session.user, now=services.clock.now())
    current = session.token_hash[:SESSION_KEY_LENGTH]
    return [
        SessionPublic(
            key=r.key,
            current=r.key == current,
            user_agent=r.user_agent,
            ip_address=r.ip_address,
            created_at=r.created_at,
            last_seen_at=r.last_seen_at,
            expires_at=r.expires_at,
        )
        for r in records
    ]


@router.post("/account/sessions/revoke-others", response_model=SessionsRevoked)
def revoke_other_sessions(services: ServicesDep, session: CsrfSessionDep) -> SessionsRevoked:
    """Sign out every session but this one."""
    with services.uow() as uow:
        count = do_revoke_other_sessions(
            uow, session.user, session.token_hash, now=services.clock.now()
        )
    return SessionsRevoked(signed_out=count)


@router.post("/account/sessions/{key}/revoke", status_code=204)
def revoke_session(services: ServicesDep, session: CsrfSessionDep, key: str) -> Response:
    """Sign out one of your sessions."""
    with services.uow() as uow:
        do_revoke_session(uow, session.user, key, now=services.clock.now())
    return Response(status_code=204)


@router.get("/workspaces/{slug}/members", response_model=list[MemberPublic])
def list_members(services: ServicesDep, actor: ActorDep, slug: str) -> list[MemberPublic]:
    """The workspace's members (owners and admins)."""
    with services.uow() as uow:
        listed = members(uow, actor)
    return [
        MemberPublic(
            user_id=m.user.id,
            name=m.user.name,
            email=m.user.email,
            role=m.role.value,
            active=m.user.is_active,
        )
        for m in listed
    ]


@router.post(
    "/workspaces/{slug}/members/{user_id}/reset-password", response_model=PasswordResetDone
)
def reset_password(
    services: ServicesDep, actor: WriteActorDep, slug: str, user_id: int, body: PasswordReset
) -> PasswordResetDone:
    """Set a member's password (or a generated temporary one); their sessions end."""
    with services.uow() as uow:
        password = do_reset_password(
            uow, actor, user_id, now=services.clock.now(), new_password=body.new_password
        )
    return PasswordResetDone(temporary_password=password)


@router.post("/workspaces/{slug}/members/{user_id}/deactivate", status_code=204)
def deactivate(services: ServicesDep, actor: WriteActorDep, slug: str, user_id: int) -> Response:
    """The account can no longer sign in and every session of it ends."""
    with services.uow() as uow:
        do_set_active(uow, actor, user_id, active=False, now=services.clock.now())
    return Response(status_code=204)


@router.post("/workspaces/{slug}/members/{user_id}/reactivate", status_code=204)
def reactivate(services: ServicesDep, actor: WriteActorDep, slug: str, user_id: int) -> Response:
    with services.uow() as uow:
        do_set_active(uow, actor, user_id, active=True, now=services.clock.now())
    return Response(status_code=204)


@router.post("/workspaces/{slug}/members/{user_id}/offboard", response_model=MembershipEnded)
def offboard(
    services: ServicesDep, actor: WriteActorDep, slug: str, user_id: int
) -> MembershipEnded:
    """Take the member out of this workspace; their active cases here become unassigned."""
    with services.uow() as uow:
        released = do_remove_membership(uow, actor, user_id, now=services.clock.now())
    return MembershipEnded(cases_unassigned=released)
