"""Replies: recorded before delivery, so a failed send keeps its text and its reason."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, update

from mentiondesk.domain.outbox import OutboxItem
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

    def in_flight_with_text(self, workspace_id: int, case_id: int, text: str) -> bool:
        """Whether a public reply with exactly this text is being delivered on the case (its
        platform id not recorded yet): the platform's notice of it may arrive first."""
        found = self._conn.execute(
            select(t.replies.c.id)
            .where(t.replies.c.workspace_id == workspace_id)
            .where(t.replies.c.case_id == case_id)
            .where(t.replies.c.text == text)
            .where(t.replies.c.platform_reply_id.is_(None))
            .where(t.replies.c.status == DeliveryStatus.QUEUED.value)
            .limit(1)
        ).first()
        return found is not None

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

    def record_delivery(self, reply_id: int, item: OutboxItem) -> None:
        """Copy the outbox row's state onto the reply, which is what the case shows; written
        in the same transaction as the row itself."""
        carried = item.status in (DeliveryStatus.SENT, DeliveryStatus.SIMULATED)
        self._conn.execute(
            update(t.replies)
            .where(t.replies.c.id == reply_id)
            .values(
                status=item.status.value,
                platform_reply_id=item.platform_ref,
                sent_at=item.done_at if carried else None,
                failure_reason=item.failure_reason,
                attempts=item.attempts,
                next_attempt_at=item.next_attempt_at,
            )
        )
