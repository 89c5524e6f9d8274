"""Outbox rows: one per platform action, claimed with a lease so that two workers never both
call the channel for one row."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select, update

from mentiondesk.domain.outbox import OutboxItem, PlatformAction
from mentiondesk.domain.replies import DeliveryStatus
from mentiondesk.storage import tables as t
from mentiondesk.storage.repositories._insert import insert_ignoring_conflict
from mentiondesk.storage.repositories.replies import ReplyRepository
from mentiondesk.storage.tables_effects import outbox


def _item(row: Any) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        workspace_id=row.workspace_id,
        action=PlatformAction(row.action),
        channel=row.channel,
        dedupe_key=row.dedupe_key,
        idempotency_key=row.idempotency_key,
        status=DeliveryStatus(row.status),
        reply_id=row.reply_id,
        post_id=row.post_id,
        hours_post_id=row.hours_post_id,
        payload=dict(row.payload or {}),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        failure_reason=row.failure_reason,
        platform_ref=row.platform_ref,
        created_at=row.created_at,
        done_at=row.done_at,
    )


class OutboxRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def delivered_ref(self, workspace_id: int, channel: str, platform_ref: str) -> bool:
        """Whether the outbox delivered something the platform calls ``platform_ref``: what
        comes back from the platform with that id is the desk's own, already shown."""
        found = self._conn.execute(
            select(outbox.c.id)
            .where(outbox.c.workspace_id == workspace_id)
            .where(outbox.c.channel == channel)
            .where(outbox.c.platform_ref == platform_ref)
            .limit(1)
        ).first()
        return found is not None

    def enqueue(self, item: OutboxItem, *, now: datetime) -> int | None:
        """Queue ``item``; None when a row with its ``dedupe_key`` already exists (the same
        action queued twice is one action)."""
        new_id = insert_ignoring_conflict(
            self._conn,
            outbox,
            {
                "workspace_id": item.workspace_id,
                "action": item.action.value,
                "channel": item.channel,
                "dedupe_key": item.dedupe_key,
                "idempotency_key": item.idempotency_key,
                "reply_id": item.reply_id,
                "post_id": item.post_id,
                "hours_post_id": item.hours_post_id,
                "payload": item.payload,
                "status": DeliveryStatus.QUEUED.value,
                "attempts": 0,
                "next_attempt_at": None,
                "created_at": now,
            },
        )
        if new_id is not None:
            item.id = int(new_id)
        return None if new_id is None else int(new_id)

    def get(self, item_id: int) -> OutboxItem | None:
        row = self._conn.execute(select(outbox).where(outbox.c.id == item_id)).first()
        return _item(row) if row else None

    def in_workspace(self, workspace_id: int, item_id: int) -> OutboxItem | None:
        item = self.get(item_id)
        return item if item is not None and item.workspace_id == workspace_id else None

    def for_reply(self, reply_id: int) -> OutboxItem | None:
        row = self._conn.execute(
            select(outbox).where(outbox.c.reply_id == reply_id).order_by(outbox.c.id.desc())
        ).first()
        return _item(row) if row else None

    def latest_for_post(self, post_id: int, action: PlatformAction) -> OutboxItem | None:
        row = self._conn.execute(
            select(outbox)
            .where(outbox.c.post_id == post_id)
            .where(outbox.c.action == action.value)
            .order_by(outbox.c.id.desc())
        ).first()
        return _item(row) if row else None

    def count_for_post(self, post_id: int, action: PlatformAction) -> int:
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(outbox)
                .where(outbox.c.post_id == post_id)
                .where(outbox.c.action == action.value)
            ).scalar_one()
        )

    def moderation_for_case(self, workspace_id: int, case_id: int) -> list[OutboxItem]:
        """The platform actions on a case's posts (hide, unhide, like), oldest first."""
        rows = self._conn.execute(
            select(outbox)
            .join(t.posts, t.posts.c.id == outbox.c.post_id)
            .where(outbox.c.workspace_id == workspace_id)
            .where(t.posts.c.case_id == case_id)
            .order_by(outbox.c.id)
        )
        return [_item(r) for r in rows]

    def listing(
        self,
        *,
        workspace_id: int | None = None,
        status: DeliveryStatus | None = None,
        limit: int = 100,
    ) -> list[OutboxItem]:
        query = select(outbox).order_by(outbox.c.id.desc()).limit(limit)
        if workspace_id is not None:
            query = query.where(outbox.c.workspace_id == workspace_id)
        if status is not None:
            query = query.where(outbox.c.status == status.value)
        return [_item(r) for r in self._conn.execute(query)]

    def claim(self, item: OutboxItem, *, now: datetime, lease: timedelta) -> bool:
        """Take the next attempt of a queued row if nobody else has: a conditional update on
        the attempts seen. The lease keeps the row out of sweeps while the channel is called,
        and brings it back if the worker dies."""
        claimed = self._conn.execute(
            update(outbox)
            .where(outbox.c.id == item.id)
            .where(outbox.c.status == DeliveryStatus.QUEUED.value)
            .where(outbox.c.attempts == item.attempts)
            .where(or_(outbox.c.next_attempt_at.is_(None), outbox.c.next_attempt_at <= now))
            .values(attempts=item.attempts + 1, next_attempt_at=now + lease)
        )
        if claimed.rowcount == 1:
            self._show_on_reply(item.id)
        return claimed.rowcount == 1

    def postpone(self, item_id: int, at: datetime) -> None:
        """Not attempted (the channel's rate limit): try again at ``at``, attempts unchanged."""
        self._conn.execute(
            update(outbox)
            .where(outbox.c.id == item_id)
            .where(outbox.c.status == DeliveryStatus.QUEUED.value)
            .values(next_attempt_at=at)
        )
        self._show_on_reply(item_id)

    def schedule_retry(self, item_id: int, reason: str, at: datetime) -> None:
        self._conn.execute(
            update(outbox)
            .where(outbox.c.id == item_id)
            .values(failure_reason=reason, next_attempt_at=at)
        )
        self._show_on_reply(item_id)

    def finish(
        self,
        item_id: int,
        status: DeliveryStatus,
        *,
        at: datetime,
        platform_ref: str | None = None,
        reason: str | None = None,
    ) -> None:
        self._conn.execute(
            update(outbox)
            .where(outbox.c.id == item_id)
            .values(
                status=status.value,
                platform_ref=platform_ref,
                failure_reason=reason,
                next_attempt_at=None,
                done_at=at,
            )
        )
        self._show_on_reply(item_id)

    def requeue(self, item_id: int, at: datetime) -> bool:
        """A failed row goes back to the queue with fresh attempts (a person's retry)."""
        done = self._conn.execute(
            update(outbox)
            .where(outbox.c.id == item_id)
            .where(outbox.c.status == DeliveryStatus.FAILED.value)
            .values(
                status=DeliveryStatus.QUEUED.value, attempts=0, next_attempt_at=at, done_at=None
            )
        )
        self._show_on_reply(item_id)
        return done.rowcount == 1

    def _show_on_reply(self, item_id: int) -> None:
        """A reply shows its outbox row's state (the case page, the API and reports read it
        there); copied in the same transaction as every change to the row."""
        item = self.get(item_id)
        if item is not None and item.reply_id is not None:
            ReplyRepository(self._conn).record_delivery(item.reply_id, item)

    def due(self, now: datetime, *, stale_before: datetime, limit: int = 100) -> list[OutboxItem]:
        """Queued rows whose next attempt is due, and those never attempted since before
        ``stale_before`` (their first, in-process attempt was lost)."""
        rows = self._conn.execute(
            select(outbox)
            .where(outbox.c.status == DeliveryStatus.QUEUED.value)
            .where(
                or_(
                    outbox.c.next_attempt_at <= now,
                    and_(outbox.c.next_attempt_at.is_(None), outbox.c.created_at <= stale_before),
                )
            )
            .order_by(outbox.c.id)
            .limit(limit)
        )
        return [_item(r) for r in rows]
