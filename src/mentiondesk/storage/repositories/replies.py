"""Replies: recorded before delivery, so a failed send keeps its text and its reason."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, or_, select, update

from mentiondesk.domain.replies import DeliveryStatus, Reply, ReplyVisibility
from mentiondesk.storage import tables as t
from mentiondesk.storage.repositories._insert import insert_returning_id


def _reply(row: Any) -> Reply:
    return Reply(
        id=row.id,
        workspace_id=row.workspace_id,
        case_id=row.case_id,
        user_id=row.user_id,
        text=row.text,
        created_at=row.created_at,
        visibility=ReplyVisibility(row.visibility),
        in_reply_to_post_id=row.in_reply_to_post_id,
        status=DeliveryStatus(row.status),
        platform_reply_id=row.platform_reply_id,
        failure_reason=row.failure_reason,
        idempotency_key=row.idempotency_key,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
    )


class ReplyRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, reply: Reply) -> int:
        reply.id = insert_returning_id(
            self._conn,
            t.replies,
            dict(
                workspace_id=reply.workspace_id,
                case_id=reply.case_id,
                user_id=reply.user_id,
                text=reply.text,
                visibility=reply.visibility.value,
                in_reply_to_post_id=reply.in_reply_to_post_id,
                status=reply.status.value,
                idempotency_key=reply.idempotency_key,
                created_at=reply.created_at,
            ),
        )
        return reply.id

    def by_key(self, workspace_id: int, idempotency_key: str) -> Reply | None:
        row = self._conn.execute(
            select(t.replies)
            .where(t.replies.c.workspace_id == workspace_id)
            .where(t.replies.c.idempotency_key == idempotency_key)
        ).first()
        return _reply(row) if row else None

    def get(self, workspace_id: int, reply_id: int) -> Reply | None:
        row = self._conn.execute(
            select(t.replies)
            .where(t.replies.c.id == reply_id)
            .where(t.replies.c.workspace_id == workspace_id)
        ).first()
        return _reply(row) if row else None

    def for_case(self, workspace_id: int, case_id: int) -> list[Reply]:
        rows = self._conn.execute(
            select(t.replies)
            .where(t.replies.c.workspace_id == workspace_id)
            .where(t.replies.c.case_id == case_id)
            .order_by(t.replies.c.created_at, t.replies.c.id)
        )
        return [_reply(r) for r in rows]

    def mark_sent(self, reply_id: int, platform_reply_id: str, at: datetime) -> None:
        self._conn.execute(
            update(t.replies)
            .where(t.replies.c.id == reply_id)
            .values(
                status=DeliveryStatus.SENT.value,
                platform_reply_id=platform_reply_id,
                sent_at=at,
                failure_reason=None,
            )
        )

    def mark_failed(self, reply_id: int, reason: str) -> None:
        self._conn.execute(
            update(t.replies)
            .where(t.replies.c.id == reply_id)
            .values(
                status=DeliveryStatus.FAILED.value,
                failure_reason=reason,
                next_attempt_at=None,
            )
        )

    # -- outbox -----------------------------------------------------------------------------
    def claim(self, reply: Reply, *, now: datetime, lease: timedelta) -> bool:
        """Take the next attempt of a queued reply, if nobody else has: a conditional update
        on the attempts seen, so two workers never both send one reply. The lease keeps the
        reply out of sweeps while it is being sent (and brings it back if the sender dies)."""
        claimed = self._conn.execute(
            update(t.replies)
            .where(t.replies.c.id == reply.id)
            .where(t.replies.c.status == DeliveryStatus.QUEUED.value)
            .where(t.replies.c.attempts == reply.attempts)
            .where(or_(t.replies.c.next_attempt_at.is_(None), t.replies.c.next_attempt_at <= now))
            .values(attempts=reply.attempts + 1, next_attempt_at=now + lease)
        )
        return claimed.rowcount == 1

    def schedule_retry(self, reply_id: int, reason: str, at: datetime) -> None:
        self._conn.execute(
            update(t.replies)
            .where(t.replies.c.id == reply_id)
            .values(failure_reason=reason, next_attempt_at=at)
        )

    def requeue(self, reply_id: int, at: datetime) -> bool:
        """A failed reply goes back to the outbox with fresh attempts (the agent's retry)."""
        done = self._conn.execute(
            update(t.replies)
            .where(t.replies.c.id == reply_id)
            .where(t.replies.c.status == DeliveryStatus.FAILED.value)
            .values(status=DeliveryStatus.QUEUED.value, attempts=0, next_attempt_at=at)
        )
        return done.rowcount == 1

    def due(self, now: datetime, *, stale_before: datetime, limit: int = 100) -> list[Reply]:
        """Queued replies whose next attempt is due, and those never attempted since before
        ``stale_before`` (their first, in-process attempt was lost)."""
        rows = self._conn.execute(
            select(t.replies)
            .where(t.replies.c.status == DeliveryStatus.QUEUED.value)
            .where(
                or_(
                    t.replies.c.next_attempt_at <= now,
                    and_(
                        t.replies.c.next_attempt_at.is_(None),
                        t.replies.c.created_at <= stale_before,
                    ),
                )
            )
            .order_by(t.replies.c.id)
            .limit(limit)
        )
        return [_reply(r) for r in rows]
