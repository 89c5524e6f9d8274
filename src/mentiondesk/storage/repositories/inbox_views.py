"""Saved inbox views: a person's own and the ones shared with their workspace."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, or_, select

from mentiondesk.domain.inbox_views import SavedView
from mentiondesk.storage.repositories._insert import insert_returning_id
from mentiondesk.storage.tables_inbox_views import inbox_views as v


def _view(row: Any) -> SavedView:
    return SavedView(
        id=row.id,
        workspace_id=row.workspace_id,
        user_id=row.user_id,
        name=row.name,
        params={str(k): str(val) for k, val in dict(row.params).items()},
        shared=bool(row.shared),
    )


class InboxViewRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, view: SavedView, *, now: datetime) -> int:
        values = dict(
            workspace_id=view.workspace_id,
            user_id=view.user_id,
            name=view.name,
            params=view.params,
            shared=view.shared,
            created_at=now,
        )
        return insert_returning_id(self._conn, v, values)

    def named(self, workspace_id: int, user_id: int, name: str) -> SavedView | None:
        row = self._conn.execute(
            select(v)
            .where(v.c.workspace_id == workspace_id, v.c.user_id == user_id)
            .where(func.lower(v.c.name) == name.lower())
        ).first()
        return _view(row) if row else None

    def count_for(self, workspace_id: int, user_id: int) -> int:
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(v)
                .where(v.c.workspace_id == workspace_id, v.c.user_id == user_id)
            ).scalar_one()
        )

    def visible_to(self, workspace_id: int, user_id: int) -> list[SavedView]:
        """The person's own views, then those others shared, each by name."""
        rows = self._conn.execute(
            select(v)
            .where(v.c.workspace_id == workspace_id)
            .where(or_(v.c.user_id == user_id, v.c.shared.is_(True)))
            .order_by((v.c.user_id != user_id), func.lower(v.c.name), v.c.id)
        )
        return [_view(r) for r in rows]

    def get(self, workspace_id: int, view_id: int) -> SavedView | None:
        row = self._conn.execute(
            select(v).where(v.c.workspace_id == workspace_id, v.c.id == view_id)
        ).first()
        return _view(row) if row else None

    def remove(self, view_id: int) -> None:
        self._conn.execute(delete(v).where(v.c.id == view_id))
