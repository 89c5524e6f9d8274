"""The audit log and the rejected-input table: both append-only through the product."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from mentiondesk.domain.audit import AuditEntry
from mentiondesk.storage import tables as t
from mentiondesk.storage.repositories._insert import (
    insert_ignoring_conflict,
    insert_returning_id,
)


class AuditRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def append(self, entry: AuditEntry) -> None:
        insert_returning_id(
            self._conn,
            t.audit_log,
            dict(
                workspace_id=entry.workspace_id,
                at=entry.at,
                action=entry.action,
                actor_user_id=entry.actor_user_id,
                actor_rule=entry.actor_rule,
                subject=entry.subject,
                reason=entry.reason,
                data=entry.data,
            ),
        )

    def list(
        self, workspace_id: int, *, subject: str | None = None, limit: int = 200
    ) -> list[AuditEntry]:
        query = select(t.audit_log).where(t.audit_log.c.workspace_id == workspace_id)
        if subject is not None:
            query = query.where(t.audit_log.c.subject == subject)
        rows = self._conn.execute(query.order_by(t.audit_log.c.id.desc()).limit(limit))
        return [
            AuditEntry(
                workspace_id=r.workspace_id,
                at=r.at,
                action=r.action,
                actor_user_id=r.actor_user_id,
                subject=r.subject,
                reason=r.reason,
                actor_rule=r.actor_rule,
                data=r.data,
                id=r.id,
            )
            for r in rows
        ]


class RejectedInputRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self,
        *,
        workspace_id: int | None,
        source: str,
        field: str,
        reason: str,
        payload: str,
        at: datetime,
        raw_sha256: str | None = None,
        kind: str = "rejected",
    ) -> int:
        """Keep one refused input and return its id. The same raw input from the same source
        (same ``raw_sha256``) is kept once: the id of the earlier row comes back."""
        values = dict(
            workspace_id=workspace_id,
            source=source[:200],
            field=field[:100],
            reason=reason,
            payload=payload[:4_500_000],
            received_at=at,
            kind=kind,
            raw_sha256=raw_sha256,
        )
        if raw_sha256 is None:
            return int(insert_returning_id(self._conn, t.rejected_inputs, values))
        new_id = insert_ignoring_conflict(self._conn, t.rejected_inputs, values)
        if new_id is not None:
            return int(new_id)
        c = t.rejected_inputs.c
        same_workspace = (
            c.workspace_id.is_(None) if workspace_id is None else c.workspace_id == workspace_id
        )
        return int(
            self._conn.execute(
                select(c.id).where(
                    same_workspace, c.source == source[:200], c.raw_sha256 == raw_sha256
                )
            ).scalar_one()
        )

    def list(self, workspace_id: int | None, limit: int = 100) -> list[Any]:
        query = select(t.rejected_inputs)
        if workspace_id is not None:
            query = query.where(t.rejected_inputs.c.workspace_id == workspace_id)
        return list(self._conn.execute(query.order_by(t.rejected_inputs.c.id.desc()).limit(limit)))
