"""Authors and posts. Posts are written once and never deleted."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from mentiondesk.domain.posts import (
    AuthorRef,
    InboundPost,
    Mention,
    Platform,
    Post,
    PostKind,
)
from mentiondesk.domain.triage import TriageResult
from mentiondesk.storage import tables as t
from mentiondesk.storage.repositories._insert import insert_ignoring_conflict


class AuthorRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def upsert(self, workspace_id: int, ref: AuthorRef, *, now: datetime) -> int:
        """The author's id, creating the author on first sight and refreshing name/reach."""
        new_id = insert_ignoring_conflict(
            self._conn,
            t.authors,
            {
                "workspace_id": workspace_id,
                "platform": ref.platform.value,
                "handle": ref.handle,
                "name": ref.name,
                "followers": ref.followers,
                "first_seen_at": now,
            },
        )
        if new_id is not None:
            return int(new_id)
        row = self._conn.execute(
            select(t.authors.c.id, t.authors.c.name, t.authors.c.followers)
            .where(t.authors.c.workspace_id == workspace_id)
            .where(t.authors.c.platform == ref.platform.value)
            .where(t.authors.c.handle == ref.handle)
        ).one()
        changes: dict[str, Any] = {}
        if ref.name and ref.name != row.name:
            changes["name"] = ref.name
        if ref.followers is not None and ref.followers != row.followers:
            changes["followers"] = ref.followers
        if changes:
            self._conn.execute(update(t.authors).where(t.authors.c.id == row.id).values(**changes))
        return int(row.id)

    def upsert_many(
        self, workspace_id: int, refs: Sequence[AuthorRef], *, now: datetime
    ) -> list[int]:
        """``upsert`` for each ref, in three statements however many there are: the ids in
        the order of ``refs``; a handle seen twice keeps the last name and reach given."""
        if not refs:
            return []
        wanted: dict[tuple[str, str], AuthorRef] = {}
        for ref in refs:
            key = (ref.platform.value, ref.handle)
            known = wanted.get(key)
            wanted[key] = (
                ref
                if known is None
                else AuthorRef(
                    ref.platform,
                    ref.handle,
                    ref.name or known.name,
                    ref.followers if ref.followers is not None else known.followers,
                )
            )
        found = self._existing(workspace_id, wanted)
        missing = [
            {
                "workspace_id": workspace_id,
                "platform": key[0],
                "handle": key[1],
                "name": ref.name,
                "followers": ref.followers,
                "first_seen_at": now,
            }
            for key, ref in wanted.items()
            if key not in found
        ]
        if missing:
            dialect = sqlite if self._conn.dialect.name == "sqlite" else postgresql
            self._conn.execute(dialect.insert(t.authors).on_conflict_do_nothing(), missing)
            found = self._existing(workspace_id, wanted)
        changes = []
        for key, ref in wanted.items():
            author_id, name, followers = found[key]
            change: dict[str, Any] = {"b_id": author_id, "b_name": name, "b_followers": followers}
            if ref.name and ref.name != name:
                change["b_name"] = ref.name
            if ref.followers is not None and ref.followers != followers:
                change["b_followers"] = ref.followers
            if change["b_name"] != name or change["b_followers"] != followers:
                changes.append(change)
        if changes:
            self._conn.execute(
                update(t.authors)
                .where(t.authors.c.id == bindparam("b_id"))
                .values(name=bindparam("b_name"), followers=bindparam("b_followers")),
                changes,
            )
        return [found[(ref.platform.value, ref.handle)][0] for ref in refs]

    def _existing(
        self, workspace_id: int, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[int, str | None, int | None]]:
        wanted = set(keys)
        rows = self._conn.execute(
            select(t.authors.c.id, t.authors.c.platform, t.authors.c.handle)
            .add_columns(t.authors.c.name, t.authors.c.followers)
            .where(t.authors.c.workspace_id == workspace_id)
            .where(t.authors.c.handle.in_(sorted({handle for _, handle in wanted})))
        )
        return {
            (row.platform, row.handle): (int(row.id), row.name, row.followers)
            for row in rows
            if (row.platform, row.handle) in wanted
        }

    def get(self, workspace_id: int, author_id: int) -> Any | None:
        return self._conn.execute(
            select(t.authors)
            .where(t.authors.c.id == author_id)
            .where(t.authors.c.workspace_id == workspace_id)
        ).first()


def post_from_row(row: Any, author: AuthorRef) -> Post:
    inbound = InboundPost(
        platform=Platform(row.platform),
        platform_post_id=row.platform_post_id,
        text=row.text,
        created_at=row.created_at,
        author=author,
        kind=PostKind(row.kind),
        conversation_id=row.conversation_id,
        in_reply_to=row.in_reply_to,
        url=row.url,
        language_hint=row.language_hint,
        country=row.country,
        to_brand=row.to_brand,
    )
    return Post(
        id=row.id,
        workspace_id=row.workspace_id,
        inbound=inbound,
        author_id=row.author_id,
        received_at=row.received_at,
        case_id=row.case_id,
        mentions=tuple(Mention.from_dict(m) for m in row.mentions),
        triage=TriageResult.from_dict(row.triage) if row.triage else None,
        hidden=row.hidden,
        hidden_reason=row.hidden_reason,
        extra=dict(row.meta or {}),
    )


@dataclass(frozen=True, slots=True)
class NewPost:
    """One post of a batch to store, with what routing found out about it."""

    author_id: int
    post: InboundPost
    mentions: tuple[Mention, ...]
    triage: TriageResult | None
    meta: dict[str, Any]


def _post_values(
    workspace_id: int,
    author_id: int,
    post: InboundPost,
    mentions: tuple[Mention, ...],
    triage: TriageResult | None,
    received_at: datetime,
    meta: dict[str, Any] | None,
) -> dict[str, Any]:
    return {
        "workspace_id": workspace_id,
        "platform": post.platform.value,
        "platform_post_id": post.platform_post_id,
        "kind": post.kind.value,
        "author_id": author_id,
        "text": post.text,
        "created_at": post.created_at,
        "received_at": received_at,
        "conversation_id": post.conversation_id,
        "in_reply_to": post.in_reply_to,
        "thread_key": post.thread_key,
        "url": post.url,
        "language_hint": post.language_hint,
        "country": post.country,
        "to_brand": post.to_brand,
        "tagged": post.to_brand or any(m.tagged for m in mentions),
        "mentions": [m.to_dict() for m in mentions],
        "triage": triage.to_dict() if triage else None,
        "language": triage.language if triage else None,
        "sentiment": triage.sentiment.value if triage else None,
        "intent": triage.intent.value if triage else None,
        "priority": triage.priority if triage else None,
        "meta": meta or {},
    }


class PostRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self,
        workspace_id: int,
        author_id: int,
        post: InboundPost,
        *,
        mentions: tuple[Mention, ...],
        triage: TriageResult | None,
        received_at: datetime,
        meta: dict[str, Any] | None = None,
    ) -> int | None:
        """Store the post; None when this platform post is already stored (idempotent)."""
        values = _post_values(workspace_id, author_id, post, mentions, triage, received_at, meta)
        new_id = insert_ignoring_conflict(self._conn, t.posts, values)
        return int(new_id) if new_id is not None else None

    def add_many(
        self, workspace_id: int, rows: Sequence[NewPost], *, received_at: datetime
    ) -> list[int]:
        """Store posts known to be new (``stored_ids`` said so) in one statement; their ids in
        order. A post stored meanwhile by someone else fails the whole statement, and the
        caller falls back to ``add``, post by post."""
        if not rows:
            return []
        values = [
            _post_values(
                workspace_id,
                row.author_id,
                row.post,
                row.mentions,
                row.triage,
                received_at,
                row.meta,
            )
            for row in rows
        ]
        result = self._conn.execute(
            insert(t.posts).returning(t.posts.c.id, sort_by_parameter_order=True), values
        )
        return [int(new_id) for new_id in result.scalars()]

    def stored_ids(
        self, workspace_id: int, keys: Iterable[tuple[Platform, str]]
    ) -> dict[tuple[Platform, str], tuple[int, int | None]]:
        """(post id, case id) of the posts among ``keys`` (platform, platform post id) that are
        stored already."""
        wanted = set(keys)
        if not wanted:
            return {}
        rows = self._conn.execute(
            select(t.posts.c.id, t.posts.c.case_id, t.posts.c.platform, t.posts.c.platform_post_id)
            .where(t.posts.c.workspace_id == workspace_id)
            .where(t.posts.c.platform_post_id.in_(sorted({ppid for _, ppid in wanted})))
        )
        found = {}
        for row in rows:
            key = (Platform(row.platform), row.platform_post_id)
            if key in wanted:
                found[key] = (int(row.id), row.case_id)
        return found

    def attach_many_to_cases(self, pairs: Sequence[tuple[int, int]]) -> None:
        """``attach_to_case`` for many (post id, case id) pairs in one statement."""
        if pairs:
            self._conn.execute(
                update(t.posts)
                .where(t.posts.c.id == bindparam("b_post"))
                .values(case_id=bindparam("b_case")),
                [{"b_post": post_id, "b_case": case_id} for post_id, case_id in pairs],
            )

    def find_id(self, workspace_id: int, platform: Platform, platform_post_id: str) -> int | None:
        return self._conn.execute(
            select(t.posts.c.id)
            .where(t.posts.c.workspace_id == workspace_id)
            .where(t.posts.c.platform == platform.value)
            .where(t.posts.c.platform_post_id == platform_post_id)
        ).scalar_one_or_none()

    def set_platform_state(self, post_id: int, **values: Any) -> None:
        """Carry what the platform reported about a stored post (an edit's ``text``, a hide's
        ``hidden``/``hidden_reason``, ``meta`` with earlier versions or a deletion mark)."""
        allowed = {"text", "hidden", "hidden_reason", "meta"}
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"not platform state: {sorted(unknown)}")
        self._conn.execute(update(t.posts).where(t.posts.c.id == post_id).values(**values))

    def attach_to_case(self, post_id: int, case_id: int) -> None:
        self._conn.execute(update(t.posts).where(t.posts.c.id == post_id).values(case_id=case_id))

    def _select(self) -> Any:
        return select(
            t.posts,
            t.authors.c.handle,
            t.authors.c.name.label("author_name"),
            t.authors.c.followers,
        ).join(t.authors, t.authors.c.id == t.posts.c.author_id)

    @staticmethod
    def _post(row: Any) -> Post:
        ref = AuthorRef(Platform(row.platform), row.handle, row.author_name, row.followers)
        return post_from_row(row, ref)

    def get(self, workspace_id: int, post_id: int) -> Post | None:
        row = self._conn.execute(
            self._select()
            .where(t.posts.c.id == post_id)
            .where(t.posts.c.workspace_id == workspace_id)
        ).first()
        return self._post(row) if row else None

    def for_case(self, workspace_id: int, case_id: int) -> list[Post]:
        rows = self._conn.execute(
            self._select()
            .where(t.posts.c.workspace_id == workspace_id)
            .where(t.posts.c.case_id == case_id)
            .order_by(t.posts.c.created_at, t.posts.c.id)
        )
        return [self._post(r) for r in rows]

    def count(self, workspace_id: int) -> int:
        from sqlalchemy import func

        return int(
            self._conn.execute(
                select(func.count())
                .select_from(t.posts)
                .where(t.posts.c.workspace_id == workspace_id)
            ).scalar_one()
        )
