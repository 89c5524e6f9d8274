"""Follow-ups outside the conversation: a customer who writes a new post about the same matter
("still no parcel @acme") soon after their case opened belongs to that case, not a new one."""

from __future__ import annotations

from datetime import timedelta

from mentiondesk.desk.sla_settings import load_desk_settings
from mentiondesk.domain.cases import Case
from mentiondesk.domain.posts import InboundPost
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.storage.unit_of_work import UnitOfWork


def follow_up_case(
    uow: UnitOfWork,
    workspace: Workspace,
    post: InboundPost,
    author_id: int,
    *,
    window: float | None = None,
) -> Case | None:
    """The author's active case on the same platform with activity within the workspace's
    follow-up window before ``post`` was written; ``None`` when the window is zero or empty.
    A batch passes the ``window`` (seconds) it read once."""
    if window is None:
        window = load_desk_settings(uow, workspace).follow_up_window
    if window <= 0:
        return None
    since = post.created_at - timedelta(seconds=window)
    return uow.lifecycle.open_case_of_author(workspace.id, post.platform, author_id, since)
