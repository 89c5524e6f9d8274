"""Pending effects: a handler's work written down in the transaction that caused it, done in
a later one. The row is marked done in the same transaction as the handler's work, so a
handler's effect is committed exactly once even when the process dies between the two."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite

from mentiondesk.storage.repositories._insert import insert_ignoring_conflict
from mentiondesk.storage.tables_effects import pending_effects

PENDING, DONE, FAILED = "pending", "done", "failed"


@dataclass(frozen=True, slots=True)
class PendingEffect:
    id: int
    workspace_id: int | None
    handler: str
    event: str
    payload: dict[str, Any]
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime


def _effect(row: Any) -> PendingEffect:
    return PendingEffect(
        row.id,
        row.workspace_id,
        row.handler,
        row.event,
        dict(row.payload),
        row.status,
        row.attempts,
        row.next_attempt_at,
        row.last_error,
        row.created_at,
    )


class PendingEffectRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self,
        *,
        workspace_id: int | None,
        handler: str,
        event: str,
        payload: dict[str, Any],
        dedupe_key: str,
        now: datetime,
        not_before: datetime,
    ) -> int | None:
        """Write the effect down; None when this handler already has this event."""
        new_id = insert_ignoring_conflict(
            self._conn,
            pending_effects,
            {
                "workspace_id": workspace_id,
                "handler": handler,
                "event": event,
                "payload": payload,
                "dedupe_key": dedupe_key,
                "status": PENDING,
                "attempts": 0,
                "next_attempt_at": not_before,
                "created_at": now,
            },
        )
        return None if new_id is None else int(new_id)

    def add_many(
        self, effects: Sequence[dict[str, Any]], *, now: datetime, not_before: datetime
    ) -> dict[str, int]:
        """``add`` for many effects (dicts of workspace_id, handler, event, payload,
        dedupe_key) in one statement; the id of each one written by its dedupe key, leaving
        out the ones already there."""
        if not effects:
            return {}
        rows = [
            {
                **effect,
                "status": PENDING,
                "attempts": 0,
                "next_attempt_at": not_before,
                "created_at": now,
            }
            for effect in effects
        ]
        dialect = sqlite if self._conn.dialect.name == "sqlite" else postgresql
        return {
            row.dedupe_key: int(row.id)
            for row in self._conn.execute(
                dialect.insert(pending_effects)
                .on_conflict_do_nothing()
                .returning(pending_effects.c.id, pending_effects.c.dedupe_key),
                rows,
            )
        }

    def take_many(self, effect_ids: Sequence[int], *, now: datetime) -> set[int]:
        """``take`` for many effects in one statement; the ids taken."""
        if not effect_ids:
            return set()
        taken = self._conn.execute(
            update(pending_effects)
            .where(pending_effects.c.id.in_(list(effect_ids)))
            .where(pending_effects.c.status == PENDING)
            .values(status=DONE, done_at=now, attempts=pending_effects.c.attempts + 1)
            .returning(pending_effects.c.id)
        )
        return {int(effect_id) for effect_id in taken.scalars()}

    def get(self, effect_id: int) -> PendingEffect | None:
        row = self._conn.execute(
            select(pending_effects).where(pending_effects.c.id == effect_id)
        ).first()
        return _effect(row) if row else None

    def get_many(self, effect_ids: Sequence[int]) -> list[PendingEffect]:
        """The effects of ``effect_ids`` in that order (missing ones left out)."""
        rows = self._conn.execute(
            select(pending_effects).where(pending_effects.c.id.in_(list(effect_ids)))
        )
        by_id = {row.id: _effect(row) for row in rows}
        return [by_id[i] for i in effect_ids if i in by_id]

    def take(self, effect_id: int, *, now: datetime) -> bool:
        """Mark a pending effect done inside the transaction that does its work. The row
        lock this takes makes a second worker wait, then find it done."""
        taken = self._conn.execute(
            update(pending_effects)
            .where(pending_effects.c.id == effect_id)
            .where(pending_effects.c.status == PENDING)
            .values(status=DONE, done_at=now, attempts=pending_effects.c.attempts + 1)
        )
        return taken.rowcount == 1

    def record_failure(self, effect_id: int, error: str, *, retry_at: datetime | None) -> None:
        """A handler raised: try again at ``retry_at``, or give up (``failed``) when None."""
        self._conn.execute(
            update(pending_effects)
            .where(pending_effects.c.id == effect_id)
            .where(pending_effects.c.status == PENDING)
            .values(
                attempts=pending_effects.c.attempts + 1,
                last_error=error[:2000],
                next_attempt_at=retry_at
                if retry_at is not None
                else pending_effects.c.next_attempt_at,
                status=PENDING if retry_at is not None else FAILED,
            )
        )

    def due(self, now: datetime, limit: int = 100) -> list[PendingEffect]:
        rows = self._conn.execute(
            select(pending_effects)
            .where(pending_effects.c.status == PENDING)
            .where(pending_effects.c.next_attempt_at <= now)
            .order_by(pending_effects.c.id)
            .limit(limit)
        )
        return [_effect(r) for r in rows]

    def unfinished(self, limit: int = 100) -> list[PendingEffect]:
        """Effects not done yet (pending or given up), newest first, for ``outbox list``."""
        rows = self._conn.execute(
            select(pending_effects)
            .where(pending_effects.c.status != DONE)
            .order_by(pending_effects.c.id.desc())
            .limit(limit)
        )
        return [_effect(r) for r in rows]
