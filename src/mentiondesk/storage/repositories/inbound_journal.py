"""The inbound journal's rows: appended by the webhook, taken in batches by the drainer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, func, select, update

from mentiondesk.storage.repositories._insert import insert_returning_id
from mentiondesk.storage.tables_inbound import inbound_journal as j

QUEUED, DONE, REJECTED = "queued", "done", "rejected"


@dataclass(frozen=True, slots=True)
class JournalEntry:
    id: int
    workspace_id: int
    source: str
    body: bytes
    attempts: int


class InboundJournalRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, workspace_id: int, source: str, body: bytes, *, now: datetime) -> int:
        return insert_returning_id(
            self._conn,
            j,
            {
                "workspace_id": workspace_id,
                "source": source,
                "body": body,
                "status": QUEUED,
                "attempts": 0,
                "received_at": now,
            },
        )

    def queued(self, limit: int) -> list[JournalEntry]:
        """The oldest bodies waiting, at most ``limit``."""
        rows = self._conn.execute(
            select(j.c.id, j.c.workspace_id, j.c.source, j.c.body, j.c.attempts)
            .where(j.c.status == QUEUED)
            .order_by(j.c.id)
            .limit(limit)
        )
        return [
            JournalEntry(r.id, r.workspace_id, r.source, bytes(r.body), r.attempts) for r in rows
        ]

    def mark_done(self, entry_ids: Sequence[int], *, now: datetime) -> None:
        if entry_ids:
            self._conn.execute(
                update(j)
                .where(j.c.id.in_(list(entry_ids)))
                .values(status=DONE, done_at=now, attempts=j.c.attempts + 1)
            )

    def record_failure(self, entry_id: int, error: str, *, give_up: bool, now: datetime) -> None:
        """One more failed attempt; ``give_up`` marks it rejected (kept in rejected_inputs)."""
        self._conn.execute(
            update(j)
            .where(j.c.id == bindparam("b_id"))
            .values(
                attempts=j.c.attempts + 1,
                last_error=error[:2000],
                status=REJECTED if give_up else QUEUED,
                done_at=now if give_up else None,
            ),
            {"b_id": entry_id},
        )

    def counts(self) -> dict[str, int]:
        rows = self._conn.execute(select(j.c.status, func.count()).group_by(j.c.status))
        return {row[0]: int(row[1]) for row in rows}
