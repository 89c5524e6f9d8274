"""The audit log and the rejected-input table: both append-only through the product.

``AuditRepository`` is the one way to the audit table: services append entries, the admins'
browser and export read them (a page, newest first; a stream, oldest first). It offers no way
to change or remove an entry.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from mentiondesk.domain.audit import AuditEntry
from mentiondesk.storage import tables as t
from mentiondesk.storage.repositories._insert import (
    insert_ignoring_conflict,
    insert_returning_id,
)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    action: str | None = None
    actor_user_id: int | None = None
    actor_rule: str | None = None
    subject: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _entry(r: Any) -> AuditEntry:
    return AuditEntry(
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
        return [_entry(r) for r in rows]

    def _where(self, query: Any, workspace_id: int, f: AuditFilter) -> Any:
        c = t.audit_log.c
        query = query.where(c.workspace_id == workspace_id)
        if f.action:
            query = query.where(c.action == f.action)
        if f.actor_user_id is not None:
            query = query.where(c.actor_user_id == f.actor_user_id)
        if f.actor_rule:
            query = query.where(c.actor_rule == f.actor_rule)
        if f.subject:
            query = query.where(c.subject == f.subject)
        if f.since is not None:
            query = query.where(c.at >= f.since)
        if f.until is not None:
            query = query.where(c.at < f.until)
        return query

    def count(self, workspace_id: int, f: AuditFilter) -> int:
        query = self._where(select(func.count()).select_from(t.audit_log), workspace_id, f)
        return int(self._conn.execute(query).scalar_one())

    def page(
        self, workspace_id: int, f: AuditFilter, *, offset: int, limit: int
    ) -> builtins.list[AuditEntry]:
        """Newest first."""
        query = self._where(select(t.audit_log), workspace_id, f)
        rows = self._conn.execute(
            query.order_by(t.audit_log.c.at.desc(), t.audit_log.c.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return [_entry(r) for r in rows]

    def stream(
        self, workspace_id: int, f: AuditFilter, *, batch: int = 1000
    ) -> Iterator[AuditEntry]:
        """Oldest first, in id order, fetched in batches so an export never loads it all."""
        last_id = 0
        while True:
            query = self._where(select(t.audit_log), workspace_id, f)
            rows = self._conn.execute(
                query.where(t.audit_log.c.id > last_id).order_by(t.audit_log.c.id).limit(batch)
            ).all()
            if not rows:
                return
            for r in rows:
                yield _entry(r)
            last_id = rows[-1].id

    def actions(self, workspace_id: int) -> builtins.list[str]:
        return list(
            self._conn.execute(
                select(t.audit_log.c.action)
                .where(t.audit_log.c.workspace_id == workspace_id)
                .distinct()
                .order_by(t.audit_log.c.action)
            ).scalars()
        )


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
