"""Customer view storage: private notes on cases and customers, tags and free fields, and the
"same person" links between authors."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, or_, select, tuple_, update

from mentiondesk.domain.customers import (
    AuthorIdentity,
    CustomerCase,
    CustomerProfile,
    Note,
    handle_key,
)
from mentiondesk.storage import tables as t
from mentiondesk.storage import tables_assignment as ta
from mentiondesk.storage.repositories._insert import insert_ignoring_conflict, insert_returning_id


def _identity(row: Any) -> AuthorIdentity:
    return AuthorIdentity(row.id, row.workspace_id, row.platform, row.handle, row.name)


class CustomerRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # -- notes ------------------------------------------------------------------------------
    def add_case_note(
        self, workspace_id: int, case_id: int, user_id: int, text: str, now: datetime
    ) -> int:
        return insert_returning_id(
            self._conn,
            ta.case_notes,
            {
                "workspace_id": workspace_id,
                "case_id": case_id,
                "user_id": user_id,
                "text": text,
                "created_at": now,
            },
        )

    def case_notes(self, workspace_id: int, case_id: int) -> list[Note]:
        n = ta.case_notes
        return self._notes(
            select(n.c.id, n.c.user_id, n.c.text, n.c.created_at, t.users.c.name)
            .join(t.users, t.users.c.id == n.c.user_id)
            .where(n.c.workspace_id == workspace_id, n.c.case_id == case_id)
            .order_by(n.c.created_at, n.c.id)
        )

    def add_customer_note(
        self, workspace_id: int, author_id: int, user_id: int, text: str, now: datetime
    ) -> int:
        return insert_returning_id(
            self._conn,
            ta.customer_notes,
            {
                "workspace_id": workspace_id,
                "author_id": author_id,
                "user_id": user_id,
                "text": text,
                "created_at": now,
            },
        )

    def customer_notes(self, workspace_id: int, author_ids: Collection[int]) -> list[Note]:
        n = ta.customer_notes
        return self._notes(
            select(n.c.id, n.c.user_id, n.c.text, n.c.created_at, t.users.c.name)
            .join(t.users, t.users.c.id == n.c.user_id)
            .where(n.c.workspace_id == workspace_id, n.c.author_id.in_(list(author_ids)))
            .order_by(n.c.created_at.desc(), n.c.id.desc())
        )

    def _notes(self, query: Any) -> list[Note]:
        return [
            Note(r.id, r.user_id, r.name, r.text, r.created_at) for r in self._conn.execute(query)
        ]

    # -- tags and fields --------------------------------------------------------------------
    def profile(self, author_id: int) -> CustomerProfile:
        row = self._conn.execute(
            select(ta.customer_profiles).where(ta.customer_profiles.c.author_id == author_id)
        ).first()
        if row is None:
            return CustomerProfile()
        return CustomerProfile(tuple(row.tags), dict(row.fields))

    def save_profile(self, workspace_id: int, author_id: int, profile: CustomerProfile) -> None:
        p = ta.customer_profiles
        values = {"tags": list(profile.tags), "fields": dict(profile.fields)}
        result = self._conn.execute(update(p).where(p.c.author_id == author_id).values(**values))
        if result.rowcount == 0:
            self._conn.execute(
                p.insert().values(author_id=author_id, workspace_id=workspace_id, **values)
            )

    # -- identities -------------------------------------------------------------------------
    def author(self, workspace_id: int, author_id: int) -> AuthorIdentity | None:
        a = t.authors
        row = self._conn.execute(
            select(a).where(a.c.workspace_id == workspace_id, a.c.id == author_id)
        ).first()
        return _identity(row) if row else None

    def link(self, workspace_id: int, a: int, b: int, by: int, now: datetime) -> bool:
        """Record that authors ``a`` and ``b`` are one person; False when already linked."""
        low, high = min(a, b), max(a, b)
        new = insert_ignoring_conflict(
            self._conn,
            ta.author_links,
            {
                "workspace_id": workspace_id,
                "author_id": low,
                "other_author_id": high,
                "created_by": by,
                "created_at": now,
            },
        )
        return new is not None

    def unlink(self, workspace_id: int, a: int, b: int) -> bool:
        link = ta.author_links
        result = self._conn.execute(
            delete(link).where(
                link.c.workspace_id == workspace_id,
                link.c.author_id == min(a, b),
                link.c.other_author_id == max(a, b),
            )
        )
        return result.rowcount > 0

    def same_person(self, workspace_id: int, author_id: int) -> list[AuthorIdentity]:
        """The author and everyone linked to it, directly or through others."""
        link = ta.author_links
        seen = {author_id}
        frontier = {author_id}
        while frontier:
            rows = self._conn.execute(
                select(link.c.author_id, link.c.other_author_id).where(
                    link.c.workspace_id == workspace_id,
                    or_(link.c.author_id.in_(frontier), link.c.other_author_id.in_(frontier)),
                )
            ).all()
            found = {x for r in rows for x in r} - seen
            seen |= found
            frontier = found
        found_rows = self._conn.execute(
            select(t.authors).where(t.authors.c.id.in_(seen)).order_by(t.authors.c.platform)
        )
        return [_identity(r) for r in found_rows]

    def same_handle_elsewhere(
        self, workspace_id: int, people: Iterable[AuthorIdentity]
    ) -> list[AuthorIdentity]:
        """Authors of this workspace with an identical handle on another platform: suggestions."""
        people = list(people)
        keys = {handle_key(p.handle) for p in people}
        known = {p.id for p in people}
        a = t.authors
        candidates = self._conn.execute(
            select(a).where(
                a.c.workspace_id == workspace_id,
                a.c.id.not_in(known),
                or_(*(a.c.handle.ilike(f"%{k}") for k in keys)),
            )
        )
        return [_identity(r) for r in candidates if handle_key(r.handle) in keys]

    def same_identities_in(
        self, workspace_ids: Collection[int], people: Iterable[AuthorIdentity]
    ) -> list[AuthorIdentity]:
        """The same platform accounts as authors of other workspaces (same platform, handle)."""
        pairs = [(p.platform, p.handle) for p in people]
        if not workspace_ids or not pairs:
            return []
        a = t.authors
        rows = self._conn.execute(
            select(a).where(
                a.c.workspace_id.in_(list(workspace_ids)),
                tuple_(a.c.platform, a.c.handle).in_(pairs),
            )
        )
        return [_identity(r) for r in rows]

    def cases_of(self, author_ids: Collection[int], limit: int = 200) -> list[CustomerCase]:
        c, w, a = t.cases.c, t.workspaces.c, t.authors.c
        rows = self._conn.execute(
            select(
                w.slug,
                w.name,
                c.id,
                c.platform,
                a.handle,
                c.status,
                c.summary,
                c.opened_at,
                c.last_activity_at,
            )
            .join(t.workspaces, w.id == c.workspace_id)
            .join(t.authors, a.id == c.author_id)
            .where(c.author_id.in_(list(author_ids)))
            .order_by(c.last_activity_at.desc(), c.id.desc())
            .limit(limit)
        )
        return [CustomerCase(*r) for r in rows]
