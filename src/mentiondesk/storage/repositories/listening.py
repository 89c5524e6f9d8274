"""Brand profiles, saved queries, and the full-text prefilter that backfill and preview use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, exists, select, text, update

from mentiondesk.domain.posts import AuthorRef, Mention, Platform, Post
from mentiondesk.domain.profiles import BrandProfile, SavedQuery
from mentiondesk.domain.replies import DeliveryStatus
from mentiondesk.storage import tables as t
from mentiondesk.storage.repositories._insert import insert_returning_id
from mentiondesk.storage.repositories.posts import post_from_row
from mentiondesk.storage.tables_listening import brand_profiles, saved_queries


class ProfileRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, workspace_id: int) -> BrandProfile | None:
        data = self._conn.execute(
            select(brand_profiles.c.data).where(brand_profiles.c.workspace_id == workspace_id)
        ).scalar_one_or_none()
        return BrandProfile.from_dict(data) if data is not None else None

    def save(
        self, workspace_id: int, profile: BrandProfile, *, user_id: int | None, now: datetime
    ) -> None:
        values = {"data": profile.to_dict(), "updated_by": user_id, "updated_at": now}
        changed = self._conn.execute(
            update(brand_profiles)
            .where(brand_profiles.c.workspace_id == workspace_id)
            .values(**values)
        ).rowcount
        if not changed:
            self._conn.execute(brand_profiles.insert().values(workspace_id=workspace_id, **values))


def _query(row: Any) -> SavedQuery:
    return SavedQuery(name=row.name, text=row.text, id=row.id, enabled=row.enabled)


class QueryRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def list(self, workspace_id: int, *, enabled_only: bool = False) -> list[SavedQuery]:
        stmt = select(saved_queries).where(saved_queries.c.workspace_id == workspace_id)
        if enabled_only:
            stmt = stmt.where(saved_queries.c.enabled.is_(True))
        return [_query(r) for r in self._conn.execute(stmt.order_by(saved_queries.c.name))]

    def get(self, workspace_id: int, query_id: int) -> SavedQuery | None:
        row = self._conn.execute(
            select(saved_queries)
            .where(saved_queries.c.workspace_id == workspace_id)
            .where(saved_queries.c.id == query_id)
        ).first()
        return _query(row) if row else None

    def by_name(self, workspace_id: int, name: str) -> SavedQuery | None:
        row = self._conn.execute(
            select(saved_queries)
            .where(saved_queries.c.workspace_id == workspace_id)
            .where(saved_queries.c.name == name)
        ).first()
        return _query(row) if row else None

    def save(
        self, workspace_id: int, name: str, query: str, *, enabled: bool, now: datetime
    ) -> SavedQuery:
        """Create the query, or replace the text of the workspace's query of that name."""
        existing = self.by_name(workspace_id, name)
        if existing is not None and existing.id is not None:
            self._conn.execute(
                update(saved_queries)
                .where(saved_queries.c.id == existing.id)
                .values(text=query, enabled=enabled, updated_at=now)
            )
            return SavedQuery(name, query, existing.id, enabled)
        new_id = insert_returning_id(
            self._conn,
            saved_queries,
            dict(
                workspace_id=workspace_id,
                name=name,
                text=query,
                enabled=enabled,
                created_at=now,
                updated_at=now,
            ),
        )
        return SavedQuery(name, query, new_id, enabled)


@dataclass(frozen=True, slots=True)
class ResponseRow:
    """One case as the answer-rate report reads it."""

    mention_kind: str | None
    opened_at: datetime
    first_response_at: datetime | None
    answered: bool


class ListeningPosts:
    """Stored posts as listening reads them: narrowed by the full-text index, then given
    the mentions a backfill found."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def candidate_ids(
        self,
        workspace_id: int,
        *,
        fts5: str | None,
        tsquery: str | None,
        after_id: int = 0,
        limit: int = 500,
        newest_first: bool = False,
    ) -> list[int]:
        """Ids of posts the index says may match, in id order from ``after_id`` (or newest
        first); every post of the workspace when the query gives the index nothing to use."""
        order = "DESC" if newest_first else "ASC"
        params: dict[str, Any] = {"w": workspace_id, "after": after_id, "n": limit}
        dialect = self._conn.dialect.name
        if dialect == "sqlite" and fts5 is not None:
            sql = (
                "SELECT posts.id FROM posts_fts JOIN posts ON posts.id = posts_fts.rowid "
                "WHERE posts_fts MATCH :m AND posts.workspace_id = :w AND posts.id > :after "
                f"ORDER BY posts.id {order} LIMIT :n"
            )
            params["m"] = fts5
        elif dialect == "postgresql" and tsquery is not None:
            sql = (
                "SELECT id FROM posts WHERE search @@ to_tsquery('simple', :q) "
                f"AND workspace_id = :w AND id > :after ORDER BY id {order} LIMIT :n"
            )
            params["q"] = tsquery
        else:
            sql = (
                "SELECT id FROM posts WHERE workspace_id = :w AND id > :after "
                f"ORDER BY id {order} LIMIT :n"
            )
        return [int(i) for i in self._conn.execute(text(sql), params).scalars()]

    def get_many(self, workspace_id: int, ids: Sequence[int]) -> list[Post]:
        if not ids:
            return []
        rows = self._conn.execute(
            select(
                t.posts,
                t.authors.c.handle,
                t.authors.c.name.label("author_name"),
                t.authors.c.followers,
            )
            .join(t.authors, t.authors.c.id == t.posts.c.author_id)
            .where(t.posts.c.workspace_id == workspace_id)
            .where(t.posts.c.id.in_(list(ids)))
        )
        by_id = {
            r.id: post_from_row(
                r, AuthorRef(Platform(r.platform), r.handle, r.author_name, r.followers)
            )
            for r in rows
        }
        return [by_id[i] for i in ids if i in by_id]

    def set_mentions(self, post_id: int, mentions: Sequence[Mention]) -> None:
        self._conn.execute(
            update(t.posts)
            .where(t.posts.c.id == post_id)
            .values(mentions=[m.to_dict() for m in mentions])
        )

    def set_case_mention_kind(self, case_id: int, kind: str) -> None:
        """Record the opening kind on a case that had none (cases opened before 0002)."""
        self._conn.execute(
            update(t.cases)
            .where(t.cases.c.id == case_id)
            .where(t.cases.c.mention_kind.is_(None))
            .values(mention_kind=kind)
        )

    def response_rows(self, workspace_id: int) -> list[ResponseRow]:
        c = t.cases.c
        # An answer the agent wrote counts whether a platform or the development channel
        # carried it; one that failed does not.
        carried = (DeliveryStatus.SENT.value, DeliveryStatus.SIMULATED.value)
        answered = exists().where(
            and_(t.replies.c.case_id == c.id, t.replies.c.status.in_(carried))
        )
        rows = self._conn.execute(
            select(c.mention_kind, c.opened_at, c.first_response_at, answered.label("answered"))
            .where(c.workspace_id == workspace_id)
            .where(c.status != "merged")
        )
        return [
            ResponseRow(r.mention_kind, r.opened_at, r.first_response_at, bool(r.answered))
            for r in rows
        ]
