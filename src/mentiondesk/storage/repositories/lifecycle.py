"""Queries of the case lifecycle: moving posts between cases, follow-ups, cases to sweep."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, or_, select, update

from mentiondesk.domain.cases import Case, CaseStatus
from mentiondesk.domain.posts import Platform
from mentiondesk.storage import tables as t
from mentiondesk.storage.repositories._insert import insert_returning_id
from mentiondesk.storage.repositories.cases import case_from_row

SYSTEM_EMAIL = "system@mentiondesk.invalid"
"""The account automatic replies are recorded under; inactive, so nobody can sign in as it."""

ACTIVE = (CaseStatus.NEW.value, CaseStatus.OPEN.value, CaseStatus.WAITING.value)


class LifecycleRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def move_posts(
        self, from_case: int, to_case: int, post_ids: Iterable[int] | None = None
    ) -> int:
        """Attach posts of ``from_case`` (all, or only ``post_ids``) to ``to_case``."""
        stmt = update(t.posts).where(t.posts.c.case_id == from_case)
        if post_ids is not None:
            stmt = stmt.where(t.posts.c.id.in_(list(post_ids)))
        return self._conn.execute(stmt.values(case_id=to_case)).rowcount

    def move_replies(
        self, from_case: int, to_case: int, answering: Iterable[int] | None = None
    ) -> int:
        """Move replies of ``from_case`` (all, or those answering posts in ``answering``)."""
        stmt = update(t.replies).where(t.replies.c.case_id == from_case)
        if answering is not None:
            stmt = stmt.where(t.replies.c.in_reply_to_post_id.in_(list(answering)))
        return self._conn.execute(stmt.values(case_id=to_case)).rowcount

    def open_case_of_author(
        self, workspace_id: int, platform: Platform, author_id: int, active_since: datetime
    ) -> Case | None:
        """The author's most recent active case on ``platform`` with activity since then."""
        row = self._conn.execute(
            select(t.cases)
            .where(t.cases.c.workspace_id == workspace_id)
            .where(t.cases.c.platform == platform.value)
            .where(t.cases.c.author_id == author_id)
            .where(t.cases.c.status.in_(ACTIVE))
            .where(t.cases.c.last_activity_at >= active_since)
            .order_by(t.cases.c.last_activity_at.desc(), t.cases.c.id.desc())
            .limit(1)
        ).first()
        return case_from_row(row) if row else None

    def active_cases_of_authors(
        self, workspace_id: int, author_ids: Iterable[int], active_since: datetime
    ) -> list[Case]:
        """``open_case_of_author``'s candidates for many authors at once: their active cases
        with activity since ``active_since`` (a batch picks per post among them)."""
        ids = sorted(set(author_ids))
        if not ids:
            return []
        rows = self._conn.execute(
            select(t.cases)
            .where(t.cases.c.workspace_id == workspace_id)
            .where(t.cases.c.author_id.in_(ids))
            .where(t.cases.c.status.in_(ACTIVE))
            .where(t.cases.c.last_activity_at >= active_since)
        )
        return [case_from_row(row) for row in rows]

    def cases_to_sweep(self, workspace_id: int, resolved_since: datetime) -> list[Case]:
        """Cases whose clocks may still breach or may have breached since the last sweep.

        A case triage says needs no reply (spam, abuse, a passing mention) makes no promise to
        keep; correcting its label to "needs reply" puts it under the clocks."""
        rows = self._conn.execute(
            select(t.cases)
            .where(t.cases.c.workspace_id == workspace_id)
            .where(t.cases.c.needs_reply.is_(True))
            .where(
                or_(
                    t.cases.c.status.in_(ACTIVE),
                    (t.cases.c.status == CaseStatus.RESOLVED.value)
                    & (t.cases.c.resolved_at >= resolved_since),
                )
            )
            .order_by(t.cases.c.id)
        )
        return [case_from_row(r) for r in rows]

    def reply_times(self, case_id: int, *, exclude_user: int | None) -> list[datetime]:
        """When people answered the case; automatic acknowledgements are not answers."""
        stmt = select(t.replies.c.created_at).where(t.replies.c.case_id == case_id)
        if exclude_user is not None:
            stmt = stmt.where(t.replies.c.user_id != exclude_user)
        return [r.created_at for r in self._conn.execute(stmt.order_by(t.replies.c.created_at))]

    def latest_reply_by(self, case_id: int, user_id: int) -> datetime | None:
        return self._conn.execute(
            select(t.replies.c.created_at)
            .where(t.replies.c.case_id == case_id, t.replies.c.user_id == user_id)
            .order_by(t.replies.c.created_at.desc())
            .limit(1)
        ).scalar_one_or_none()

    def system_user_id(self, *, create: bool, now: datetime) -> int | None:
        """The id of the system account (created on first need when ``create``)."""
        found = self._conn.execute(
            select(t.users.c.id).where(t.users.c.email == SYSTEM_EMAIL)
        ).scalar_one_or_none()
        if found is not None or not create:
            return found
        return insert_returning_id(
            self._conn,
            t.users,
            dict(
                email=SYSTEM_EMAIL,
                name="Automatic reply",
                password_hash="!",  # matches no password
                signature="",
                is_active=False,
                created_at=now,
            ),
        )
