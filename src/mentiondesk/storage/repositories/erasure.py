"""Data-subject erasure: the request record, and the redaction of one author's personal data.
The only place in the product that rewrites a user's post, and it never removes the row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, update

from mentiondesk.storage import tables as t
from mentiondesk.storage import tables_moderation as tm
from mentiondesk.storage.repositories._insert import insert_returning_id


class ErasureRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def find_author(self, workspace_id: int, platform: str, handle: str) -> Any | None:
        return self._conn.execute(
            select(t.authors)
            .where(t.authors.c.workspace_id == workspace_id)
            .where(t.authors.c.platform == platform)
            .where(t.authors.c.handle == handle)
        ).first()

    def redact_author(
        self, workspace_id: int, author_id: int, *, pseudonym: str, replacement: str
    ) -> int:
        """Replace the author's texts, links and extra data; pseudonymise name and handle.
        Rows, ids, timestamps and triage labels stay, so counts and metrics do not change.
        Returns how many posts were redacted."""
        posts = self._conn.execute(
            update(t.posts)
            .where(t.posts.c.workspace_id == workspace_id)
            .where(t.posts.c.author_id == author_id)
            .values(text=replacement, url=None, meta={})
        ).rowcount
        self._conn.execute(
            update(t.cases)
            .where(t.cases.c.workspace_id == workspace_id)
            .where(t.cases.c.author_id == author_id)
            .values(summary=replacement)
        )
        self._conn.execute(
            update(t.authors)
            .where(t.authors.c.id == author_id)
            .values(handle=pseudonym, name="Erased user")
        )
        return int(posts)

    def add_request(self, **values: Any) -> int:
        return insert_returning_id(self._conn, tm.erasure_requests, values)

    def requests(self, workspace_id: int) -> list[Any]:
        return list(
            self._conn.execute(
                select(tm.erasure_requests)
                .where(tm.erasure_requests.c.workspace_id == workspace_id)
                .order_by(tm.erasure_requests.c.id.desc())
            )
        )
