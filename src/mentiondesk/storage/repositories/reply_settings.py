"""Reply policy storage and the history of replies the duplicate check compares against."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from mentiondesk.domain.replies import DeliveryStatus
from mentiondesk.domain.sent_replies import SentReply
from mentiondesk.storage import tables as t

REPLY_SETTINGS_KEY = "replies"


class ReplySettingsRepository:
    """Keeps the reply policy under its own key in ``workspaces.settings``, beside others."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _stored(self, workspace_id: int) -> dict[str, Any]:
        stored = self._conn.execute(
            select(t.workspaces.c.settings).where(t.workspaces.c.id == workspace_id)
        ).scalar_one_or_none()
        return dict(stored or {})

    def get(self, workspace_id: int) -> dict[str, Any] | None:
        value = self._stored(workspace_id).get(REPLY_SETTINGS_KEY)
        return dict(value) if isinstance(value, dict) else None

    def put(self, workspace_id: int, data: dict[str, Any]) -> None:
        settings = {**self._stored(workspace_id), REPLY_SETTINGS_KEY: data}
        self._conn.execute(
            update(t.workspaces).where(t.workspaces.c.id == workspace_id).values(settings=settings)
        )

    def history(self, workspace_id: int) -> StoredReplyHistory:
        return StoredReplyHistory(self._conn, workspace_id)

    def sent_after(
        self, workspace_id: int, since: datetime, after_id: int
    ) -> list[tuple[int, SentReply]]:
        """Replies created since ``since`` with an id above ``after_id``, in id order."""
        rows = self._conn.execute(
            select(t.replies.c.id, t.replies.c.text, t.replies.c.created_at, t.authors.c.handle)
            .join(t.cases, t.cases.c.id == t.replies.c.case_id)
            .join(t.authors, t.authors.c.id == t.cases.c.author_id)
            .where(t.replies.c.workspace_id == workspace_id)
            .where(t.replies.c.created_at >= since)
            .where(t.replies.c.id > after_id)
            .order_by(t.replies.c.id)
        )
        return [(r.id, SentReply(r.text, r.handle, r.created_at)) for r in rows]


class StoredReplyHistory:
    """``ReplyHistory`` over one workspace's stored replies (queued or sent, not failed)."""

    def __init__(self, conn: Connection, workspace_id: int) -> None:
        self._conn = conn
        self._workspace_id = workspace_id

    def sent_since(self, since: datetime) -> list[SentReply]:
        rows = self._conn.execute(
            select(t.replies.c.text, t.replies.c.created_at, t.authors.c.handle)
            .join(t.cases, t.cases.c.id == t.replies.c.case_id)
            .join(t.authors, t.authors.c.id == t.cases.c.author_id)
            .where(t.replies.c.workspace_id == self._workspace_id)
            .where(t.replies.c.created_at >= since)
            .where(t.replies.c.status != DeliveryStatus.FAILED.value)
        )
        return [SentReply(r.text, r.handle, r.created_at) for r in rows]
