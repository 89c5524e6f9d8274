"""Authors and posts. Posts are written once and never deleted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

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
        values = {
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
        new_id = insert_ignoring_conflict(self._conn, t.posts, values)
        return int(new_id) if new_id is not None else None

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
