"""Workspace scoping: every service call names a workspace and is checked against the caller's role.

A workspace the caller does not belong to is reported as missing, so that its existence does not
leak to other tenants."""

from __future__ import annotations

from dataclasses import dataclass

from mentiondesk.domain.audit import COMMAND_LINE, COMMAND_LINE_USER_ID
from mentiondesk.domain.errors import NotFound, PermissionDenied
from mentiondesk.domain.workspaces import Role, User, Workspace
from mentiondesk.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting, where, and with which role. ``audit_rule`` names an actor that is no
    person (an API token): the audit records that name instead of a user."""

    user: User
    workspace: Workspace
    role: Role
    audit_rule: str | None = None

    def require_case_work(self) -> None:
        if not self.role.can_act_on_cases:
            raise PermissionDenied(
                f"a {self.role.value} cannot act on cases in {self.workspace.name}"
            )

    def require_settings(self) -> None:
        if not self.role.can_manage_settings:
            raise PermissionDenied(
                f"a {self.role.value} cannot change {self.workspace.name}'s settings"
            )


def actor_for(uow: UnitOfWork, user: User, workspace_slug: str) -> Actor:
    workspace = uow.workspaces.get_by_slug(workspace_slug)
    role = uow.users.role_in(user.id, workspace.id) if workspace else None
    if workspace is None or role is None:
        raise NotFound(f"no workspace '{workspace_slug}'")
    return Actor(user, workspace, role)


def operator_actor(uow: UnitOfWork, workspace_slug: str) -> Actor:
    """The command line acts as an owner: whoever runs it already holds the database. Its
    changes are audited under the rule "command line" rather than a user."""
    workspace = uow.workspaces.get_by_slug(workspace_slug)
    if workspace is None:
        raise NotFound(f"no workspace '{workspace_slug}'")
    return Actor(User(COMMAND_LINE_USER_ID, "", COMMAND_LINE, ""), workspace, Role.OWNER)
