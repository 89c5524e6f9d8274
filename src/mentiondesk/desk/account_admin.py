"""What a user does to their own account (change the password, see and revoke sessions) and
what an owner or admin does to a member (reset the password, deactivate, remove from the
workspace). Every action is audited in each workspace it concerns.

An account spans workspaces, so an admin may reset or deactivate a user only when the admin
manages *every* workspace that user belongs to: an admin of one brand cannot take over a
colleague's access to another. Admins never act on owners; only owners do."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mentiondesk.desk.access import Actor
from mentiondesk.desk.accounts import hash_password, verify_password, workspace_names_of
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.errors import InvalidInput, NotFound, PermissionDenied
from mentiondesk.domain.events import MemberRemoved
from mentiondesk.domain.workspaces import Membership, Role, User
from mentiondesk.storage.repositories.workspaces import SessionRecord
from mentiondesk.storage.unit_of_work import UnitOfWork

MANAGERS = (Role.OWNER, Role.ADMIN)


def _audit(
    uow: UnitOfWork,
    workspace_ids: Iterable[int],
    action: str,
    actor_user_id: int | None,
    subject_user: User,
    now: datetime,
    **data: Any,
) -> None:
    for workspace_id in workspace_ids:
        uow.audit.append(
            AuditEntry.by_user(
                workspace_id,
                actor_user_id,
                action,
                f"user:{subject_user.id}",
                at=now,
                data={"email": subject_user.email, **data},
            )
        )


def _audit_own(uow: UnitOfWork, user: User, action: str, now: datetime, **data: Any) -> None:
    """What a user did to their own account, recorded in each of their workspaces."""
    _audit(uow, uow.users.workspace_ids(user.id), action, user.id, user, now, **data)


# -- the signed-in user's own account --------------------------------------------------------


def do_change_password(
    uow: UnitOfWork,
    user: User,
    current_password: str,
    new_password: str,
    *,
    now: datetime,
    keep_token_hash: str = "",
) -> int:
    """Change the user's password; their other sessions are signed out (returns how many)."""
    stored = uow.users.get(user.id)
    if stored is None or not verify_password(stored.password_hash, current_password):
        raise InvalidInput("current_password", "is not your current password")
    if new_password == current_password:
        raise InvalidInput("password", "must differ from the current password")
    new_hash = hash_password(
        new_password, email=stored.email, workspace_names=workspace_names_of(uow, user.id)
    )
    uow.users.set_password_hash(user.id, new_hash)
    signed_out = uow.sessions.delete_for_user(user.id, keep_token_hash=keep_token_hash or None)
    _audit_own(uow, stored, "account.password_change", now, other_sessions_signed_out=signed_out)
    uow.commit()
    return signed_out


def my_sessions(uow: UnitOfWork, user: User, *, now: datetime) -> list[SessionRecord]:
    return uow.sessions.for_user(user.id, now)


def do_revoke_session(uow: UnitOfWork, user: User, key: str, *, now: datetime) -> None:
    """Sign out one of the user's own sessions (another browser, a lost phone)."""
    if not uow.sessions.delete_for_user(user.id, key=key):
        raise NotFound("no such session")
    _audit_own(uow, user, "account.session_revoke", now, session=key)
    uow.commit()


def do_revoke_other_sessions(
    uow: UnitOfWork, user: User, keep_token_hash: str, *, now: datetime
) -> int:
    """ "Sign out everywhere else": every session of the user but the current one."""
    count = uow.sessions.delete_for_user(user.id, keep_token_hash=keep_token_hash)
    _audit_own(uow, user, "account.sessions_revoke_others", now, sessions=count)
    uow.commit()
    return count


# -- owners and admins on members ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    user: User
    role: Role


def _require_manager(actor: Actor) -> None:
    if not actor.role.can_manage_members:
        raise PermissionDenied(
            f"a {actor.role.value} cannot manage members of {actor.workspace.name}"
        )


def members(uow: UnitOfWork, actor: Actor) -> list[Member]:
    _require_manager(actor)
    return [Member(user, m.role) for user, m in uow.users.members(actor.workspace.id)]


def _target(uow: UnitOfWork, actor: Actor, user_id: int) -> tuple[User, Membership]:
    _require_manager(actor)
    for user, membership in uow.users.members(actor.workspace.id):
        if user.id == user_id:
            if membership.role is Role.OWNER and actor.role is not Role.OWNER:
                raise PermissionDenied("only an owner can act on an owner")
            return user, membership
    raise NotFound(f"no member {user_id} in {actor.workspace.name}")


def _require_manages_everywhere(uow: UnitOfWork, actor: Actor, target: User) -> list[int]:
    """The target's workspaces, all of which the actor must manage (see the module's note)."""
    workspace_ids = uow.users.workspace_ids(target.id)
    for workspace_id in workspace_ids:
        role = uow.users.role_in(actor.user.id, workspace_id)
        if role not in MANAGERS:
            raise PermissionDenied(
                f"{target.name} also belongs to a workspace you do not manage; "
                "remove them from this workspace instead"
            )
    return workspace_ids


def temporary_password() -> str:
    """A random password of 20 characters (about 120 bits): passes the policy by itself."""
    return secrets.token_urlsafe(15)


def do_reset_password(
    uow: UnitOfWork,
    actor: Actor,
    user_id: int,
    *,
    now: datetime,
    new_password: str | None = None,
) -> str:
    """Give a member a new password: ``new_password`` or a generated temporary one, which is
    returned so that it can be shown once. All the member's sessions are signed out."""
    target, _ = _target(uow, actor, user_id)
    workspace_ids = _require_manages_everywhere(uow, actor, target)
    password = new_password if new_password is not None else temporary_password()
    uow.users.set_password_hash(
        target.id,
        hash_password(
            password, email=target.email, workspace_names=workspace_names_of(uow, target.id)
        ),
    )
    signed_out = uow.sessions.delete_for_user(target.id)
    _audit(
        uow,
        workspace_ids,
        "account.password_reset",
        actor.user.id,
        target,
        now,
        generated=new_password is None,
        sessions_signed_out=signed_out,
    )
    uow.commit()
    return password


def do_set_active(
    uow: UnitOfWork, actor: Actor, user_id: int, *, active: bool, now: datetime
) -> None:
    """Deactivate a member (cannot sign in; every session signed out) or reactivate one."""
    target, _ = _target(uow, actor, user_id)
    if target.id == actor.user.id:
        raise InvalidInput("user", "you cannot deactivate yourself")
    workspace_ids = _require_manages_everywhere(uow, actor, target)
    uow.users.set_active(target.id, active)
    signed_out = 0 if active else uow.sessions.delete_for_user(target.id)
    _audit(
        uow,
        workspace_ids,
        "account.reactivate" if active else "account.deactivate",
        actor.user.id,
        target,
        now,
        sessions_signed_out=signed_out,
    )
    uow.commit()


def do_remove_membership(uow: UnitOfWork, actor: Actor, user_id: int, *, now: datetime) -> int:
    """Take a member out of this workspace. Their active cases here go back to the unassigned
    queue and their agent profile goes; the account and its other workspaces stay. The last
    owner cannot be removed. Returns how many cases were unassigned."""
    target, membership = _target(uow, actor, user_id)
    if (
        membership.role is Role.OWNER
        and uow.users.count_with_role(actor.workspace.id, (Role.OWNER,)) <= 1
    ):
        raise InvalidInput("user", "the workspace's last owner cannot be removed")
    workspace_id = actor.workspace.id
    unassigned = uow.users.release_member(workspace_id, target.id)
    uow.collect([MemberRemoved(workspace_id, target.id, now)])
    uow.users.remove_membership(target.id, workspace_id)
    _audit(
        uow,
        [workspace_id],
        "member.remove",
        actor.user.id,
        target,
        now,
        role=membership.role.value,
        cases_unassigned=unassigned,
    )
    uow.commit()
    return unassigned
