"""Saved replies: one workspace's canned texts per language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, or_, select, update

from mentiondesk.domain.saved_replies import SavedReply
from mentiondesk.storage.repositories._insert import insert_returning_id
from mentiondesk.storage.tables_replies import saved_replies as s


def _saved(row: Any) -> SavedReply:
    return SavedReply(
        id=row.id,
        workspace_id=row.workspace_id,
        language=row.language,
        title=row.title,
        body=row.body,
        tags=tuple(row.tags),
    )


class SavedReplyRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, reply: SavedReply, *, now: datetime) -> SavedReply:
        """Insert, or bring back an archived reply of the same language and title."""
        archived = self._conn.execute(
            select(s.c.id)
            .where(s.c.workspace_id == reply.workspace_id)
            .where(s.c.language == reply.language)
            .where(s.c.title == reply.title)
            .where(s.c.archived_at.is_not(None))
        ).scalar_one_or_none()
        if archived is not None:
            restored = SavedReply(
                archived, reply.workspace_id, reply.language, reply.title, reply.body, reply.tags
            )
            self.update(restored, now=now)
            return restored
        new_id = insert_returning_id(
            self._conn,
            s,
            dict(
                workspace_id=reply.workspace_id,
                language=reply.language,
                title=reply.title,
                body=reply.body,
                tags=list(reply.tags),
                updated_at=now,
            ),
        )
        return SavedReply(
            new_id, reply.workspace_id, reply.language, reply.title, reply.body, reply.tags
        )

    def update(self, reply: SavedReply, *, now: datetime) -> None:
        self._conn.execute(
            update(s)
            .where(s.c.id == reply.id)
            .where(s.c.workspace_id == reply.workspace_id)
            .values(
                language=reply.language,
                title=reply.title,
                body=reply.body,
                tags=list(reply.tags),
                updated_at=now,
                archived_at=None,
            )
        )

    def archive(self, workspace_id: int, saved_id: int, now: datetime) -> bool:
        done = self._conn.execute(
            update(s)
            .where(s.c.id == saved_id)
            .where(s.c.workspace_id == workspace_id)
            .where(s.c.archived_at.is_(None))
            .values(archived_at=now)
        )
        return done.rowcount == 1

    def get(self, workspace_id: int, saved_id: int) -> SavedReply | None:
        row = self._conn.execute(
            select(s)
            .where(s.c.id == saved_id)
            .where(s.c.workspace_id == workspace_id)
            .where(s.c.archived_at.is_(None))
        ).first()
        return _saved(row) if row else None

    def by_title(self, workspace_id: int, language: str, title: str) -> SavedReply | None:
        row = self._conn.execute(
            select(s)
            .where(s.c.workspace_id == workspace_id)
            .where(s.c.language == language)
            .where(s.c.title == title)
            .where(s.c.archived_at.is_(None))
        ).first()
        return _saved(row) if row else None

    def search(
        self, workspace_id: int, query: str = "", *, language: str | None = None, limit: int = 20
    ) -> list[SavedReply]:
        """Titles and bodies containing ``query`` (case-insensitive); the case's language first."""
        stmt = select(s).where(s.c.workspace_id == workspace_id).where(s.c.archived_at.is_(None))
        if query.strip():
            like = f"%{query.strip().lower()}%"
            stmt = stmt.where(
                or_(func.lower(s.c.title).like(like), func.lower(s.c.body).like(like))
            )
        order: list[Any] = [s.c.title, s.c.id]
        if language:
            order.insert(0, s.c.language != language)
        rows = self._conn.execute(stmt.order_by(*order).limit(limit))
        return [_saved(r) for r in rows]
