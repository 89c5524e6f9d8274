"""Opening and closing posts: claimed before publishing so that each goes out at most once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from mentiondesk.storage.repositories._insert import insert_ignoring_conflict
from mentiondesk.storage.tables_hours import hours_posts


class HoursPostRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def claim(
        self, workspace_id: int, channel: str, kind: str, due_at: datetime, text: str
    ) -> int | None:
        """The new row's id, or None when this slot was already claimed by an earlier sweep."""
        new_id = insert_ignoring_conflict(
            self._conn,
            hours_posts,
            {
                "workspace_id": workspace_id,
                "channel": channel,
                "kind": kind,
                "due_at": due_at,
                "text": text,
                "status": "queued",
            },
        )
        return None if new_id is None else int(new_id)

    def mark(
        self,
        post_id: int,
        status: str,
        *,
        platform_post_id: str | None = None,
        failure_reason: str | None = None,
    ) -> None:
        self._conn.execute(
            update(hours_posts)
            .where(hours_posts.c.id == post_id)
            .values(status=status, platform_post_id=platform_post_id, failure_reason=failure_reason)
        )

    def status(self, post_id: int) -> str | None:
        return self._conn.execute(
            select(hours_posts.c.status).where(hours_posts.c.id == post_id)
        ).scalar_one_or_none()

    def recent(self, workspace_id: int, limit: int = 50) -> list[Any]:
        return list(
            self._conn.execute(
                select(hours_posts)
                .where(hours_posts.c.workspace_id == workspace_id)
                .order_by(hours_posts.c.due_at.desc())
                .limit(limit)
            )
        )
