"""The audit log and the rejected-input table: both append-only through the product."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from mentiondesk.domain.audit import AuditEntry
from mentiondesk.storage import tables as t
from mentiondesk.storage.repositories._insert import insert_returning_id


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
    ) -> int:
        return int(
            insert_returning_id(
                self._conn,
                t.rejected_inputs,
                dict(
                    workspace_id=workspace_id,
                    source=source,
                    field=field,
                    reason=reason,
                    payload=payload[:1_000_000],
                    received_at=at,
                ),
            )
        )

    def list(self, workspace_id: int | None, limit: int = 100) -> list[Any]:
        query = select(t.rejected_inputs)
        if workspace_id is not None:
            query = query.where(t.rejected_inputs.c.workspace_id == workspace_id)
        return list(self._conn.execute(query.order_by(t.rejected_inputs.c.id.desc()).limit(limit)))
