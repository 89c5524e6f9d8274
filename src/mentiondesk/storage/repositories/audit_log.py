"""Read-only queries over the audit log for the admins' browser and export. Like
``AuditRepository`` it offers no way to change or remove an entry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from mentiondesk.domain.audit import AuditEntry
from mentiondesk.storage import tables as t


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


class AuditQueries:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

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
    ) -> list[AuditEntry]:
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

    def actions(self, workspace_id: int) -> list[str]:
        return list(
            self._conn.execute(
                select(t.audit_log.c.action)
                .where(t.audit_log.c.workspace_id == workspace_id)
                .distinct()
                .order_by(t.audit_log.c.action)
            ).scalars()
        )
