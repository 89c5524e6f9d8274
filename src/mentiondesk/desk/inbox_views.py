"""Saving, listing and deleting a person's inbox views (``domain.inbox_views``).

Anyone who can read the inbox may save views for themselves; sharing one with the workspace,
like deleting a view someone else shared, needs a role that manages the workspace's settings.
A person always deletes their own. Saving and deleting are audited."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from mentiondesk.desk.access import Actor
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.errors import InvalidInput, NotFound, PermissionDenied
from mentiondesk.domain.inbox_views import (
    MAX_VIEWS,
    SavedView,
    clean_view_name,
    clean_view_params,
)
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["do_delete_inbox_view", "do_save_inbox_view", "inbox_views"]


def inbox_views(uow: UnitOfWork, actor: Actor) -> list[SavedView]:
    return uow.inbox_views.visible_to(actor.workspace.id, actor.user.id)


def do_save_inbox_view(
    uow: UnitOfWork,
    actor: Actor,
    name: str,
    params: Mapping[str, str],
    *,
    allowed: Iterable[str],
    shared: bool,
    now: datetime,
) -> SavedView:
    """Save the filters ``params`` under ``name``; a name is used once per person."""
    cleaned = clean_view_name(name)
    if shared and not actor.role.can_manage_settings:
        raise PermissionDenied("only owners and admins share views with the workspace")
    workspace, user = actor.workspace.id, actor.user.id
    if uow.inbox_views.named(workspace, user, cleaned) is not None:
        raise InvalidInput("name", f"you already have a view called {cleaned!r}")
    if uow.inbox_views.count_for(workspace, user) >= MAX_VIEWS:
        raise InvalidInput("name", f"you have {MAX_VIEWS} views already; delete one first")
    view = SavedView(0, workspace, user, cleaned, clean_view_params(params, allowed), shared)
    view_id = uow.inbox_views.add(view, now=now)
    uow.audit.append(
        AuditEntry.by_user(
            workspace,
            user,
            "inbox_view.save",
            f"inbox_view:{view_id}",
            at=now,
            data={"name": cleaned, "params": view.params, "shared": shared},
        )
    )
    uow.commit()
    return SavedView(view_id, workspace, user, cleaned, view.params, shared)


def do_delete_inbox_view(uow: UnitOfWork, actor: Actor, view_id: int, *, now: datetime) -> None:
    view = uow.inbox_views.get(actor.workspace.id, view_id)
    if view is None or (view.user_id != actor.user.id and not view.shared):
        raise NotFound(f"no saved view {view_id}")
    if view.user_id != actor.user.id and not actor.role.can_manage_settings:
        raise PermissionDenied("only its owner, an owner or an admin deletes a shared view")
    uow.inbox_views.remove(view.id)
    uow.audit.append(
        AuditEntry.by_user(
            actor.workspace.id,
            actor.user.id,
            "inbox_view.delete",
            f"inbox_view:{view.id}",
            at=now,
            data={"name": view.name},
        )
    )
    uow.commit()
