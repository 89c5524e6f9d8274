"""Label corrections: appended when an agent fixes a triage label, read back for export."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from mentiondesk.storage import tables as t
from mentiondesk.storage.repositories._insert import insert_returning_id
from mentiondesk.storage.tables_triage import label_corrections

# The columns that mirror a triage label for filtering and sorting.
DENORMALISED = {"language": "language", "sentiment": "sentiment", "intent": "intent"}


class CorrectionRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self,
        *,
        workspace_id: int,
        post_id: int,
        user_id: int,
        label: str,
        old_value: str | None,
        new_value: str,
        at: datetime,
    ) -> int:
        return insert_returning_id(
            self._conn,
            label_corrections,
            {
                "workspace_id": workspace_id,
                "post_id": post_id,
                "user_id": user_id,
                "label": label,
                "old_value": old_value,
                "new_value": new_value,
                "at": at,
                "note": "",
            },
        )

    def relabel_post(self, post_id: int, triage: dict[str, Any], label: str) -> None:
        """Store the corrected triage and its denormalised column on the post."""
        values: dict[str, Any] = {"triage": triage}
        if label in DENORMALISED:
            values[DENORMALISED[label]] = triage[label]
        self._conn.execute(update(t.posts).where(t.posts.c.id == post_id).values(**values))

    def relabel_case(self, case_id: int, label: str, value: Any) -> None:
        column = {"needs_reply": "needs_reply", **DENORMALISED}.get(label)
        if column is not None:
            self._conn.execute(
                update(t.cases).where(t.cases.c.id == case_id).values({column: value})
            )

    def export_rows(self, workspace_id: int) -> Iterator[Any]:
        """The latest correction of each (post, label), with the post's text and language."""
        c = label_corrections.c
        rows = self._conn.execute(
            select(c.post_id, c.label, c.new_value, c.at, t.posts.c.text, t.posts.c.language)
            .join(t.posts, t.posts.c.id == c.post_id)
            .where(c.workspace_id == workspace_id)
            .order_by(c.post_id, c.label, c.id.desc())
        )
        seen: set[tuple[int, str]] = set()
        for row in rows:
            if (row.post_id, row.label) in seen:
                continue
            seen.add((row.post_id, row.label))
            yield {
                "post_id": row.post_id,
                "label": row.label,
                "value": row.new_value,
                "at": row.at,
                "text": row.text,
                "language": row.language,
            }
