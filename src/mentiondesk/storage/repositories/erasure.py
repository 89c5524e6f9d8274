"""Data-subject erasure: the request record, and the redaction of one author's personal data.
The only place in the product that rewrites a user's post, and it never removes the row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from mentiondesk.storage import tables as t
from mentiondesk.storage import tables_assignment as ta
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

    def _case_ids(self, workspace_id: int, author_id: int) -> Any:
        return (
            select(t.cases.c.id)
            .where(t.cases.c.workspace_id == workspace_id)
            .where(t.cases.c.author_id == author_id)
        )

    def _count(self, table: Any, *conditions: Any) -> int:
        return int(
            self._conn.execute(
                select(func.count()).select_from(table).where(*conditions)
            ).scalar_one()
        )

    def counts(self, workspace_id: int, author_id: int) -> dict[str, int]:
        """Posts, cases, replies on those cases and private notes that an erasure rewrites."""
        cases = self._case_ids(workspace_id, author_id)
        notes = self._count(ta.case_notes, ta.case_notes.c.case_id.in_(cases)) + self._count(
            ta.customer_notes, ta.customer_notes.c.author_id == author_id
        )
        return {
            "posts": self._count(
                t.posts, t.posts.c.workspace_id == workspace_id, t.posts.c.author_id == author_id
            ),
            "cases": self._count(
                t.cases, t.cases.c.workspace_id == workspace_id, t.cases.c.author_id == author_id
            ),
            "replies": self._count(t.replies, t.replies.c.case_id.in_(cases)),
            "notes": notes,
        }

    def redact_author(
        self, workspace_id: int, author_id: int, *, pseudonym: str, replacement: str
    ) -> int:
        """Replace the author's texts, links and extra data, the replies and private notes on
        their cases and their customer profile; pseudonymise name and handle. Rows, ids,
        timestamps and triage labels stay, so counts and metrics do not change. Returns how
        many posts were redacted."""
        posts = self._conn.execute(
            update(t.posts)
            .where(t.posts.c.workspace_id == workspace_id)
            .where(t.posts.c.author_id == author_id)
            .values(text=replacement, url=None, meta={})
        ).rowcount
        cases = self._case_ids(workspace_id, author_id)
        self._conn.execute(
            update(t.replies).where(t.replies.c.case_id.in_(cases)).values(text=replacement)
        )
        self._conn.execute(
            update(ta.case_notes).where(ta.case_notes.c.case_id.in_(cases)).values(text=replacement)
        )
        self._conn.execute(
            update(ta.customer_notes)
            .where(ta.customer_notes.c.author_id == author_id)
            .values(text=replacement)
        )
        self._conn.execute(
            update(ta.customer_profiles)
            .where(ta.customer_profiles.c.author_id == author_id)
            .values(tags=[], fields={})
        )
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

    def get_request(self, workspace_id: int, request_id: int) -> Any | None:
        r = tm.erasure_requests.c
        return self._conn.execute(
            select(tm.erasure_requests).where(r.workspace_id == workspace_id, r.id == request_id)
        ).first()

    def complete_request(
        self,
        request_id: int,
        *,
        pseudonym: str,
        approved_by: int,
        approval: str,
        completed_at: datetime,
        posts_redacted: int,
    ) -> None:
        self._conn.execute(
            update(tm.erasure_requests)
            .where(tm.erasure_requests.c.id == request_id)
            .values(
                status="completed",
                pseudonym=pseudonym,
                approved_by=approved_by,
                approval=approval,
                completed_at=completed_at,
                posts_redacted=posts_redacted,
                subject_handle=pseudonym,
            )
        )

    def reject_request(self, request_id: int, *, rejected_by: int) -> None:
        self._conn.execute(
            update(tm.erasure_requests)
            .where(tm.erasure_requests.c.id == request_id)
            .values(status="rejected", approved_by=rejected_by)
        )

    def requests(self, workspace_id: int) -> list[Any]:
        return list(
            self._conn.execute(
                select(tm.erasure_requests)
                .where(tm.erasure_requests.c.workspace_id == workspace_id)
                .order_by(tm.erasure_requests.c.id.desc())
            )
        )
