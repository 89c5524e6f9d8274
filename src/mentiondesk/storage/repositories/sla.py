"""SLA storage: each case's status history, recorded breaches, and the desk settings JSON."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from mentiondesk.domain.cases import CaseStatus, StatusChange
from mentiondesk.storage import tables as t
from mentiondesk.storage.repositories._insert import insert_ignoring_conflict
from mentiondesk.storage.tables_sla import case_status_changes, sla_breaches

DESK_SETTINGS_KEY = "desk"
"""The key of the desk settings inside ``workspaces.settings`` (other keys are left alone)."""


class SlaRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # -- status history ---------------------------------------------------------------------
    def history(self, case_id: int) -> list[StatusChange]:
        rows = self._conn.execute(
            select(case_status_changes.c.status, case_status_changes.c.at)
            .where(case_status_changes.c.case_id == case_id)
            .order_by(case_status_changes.c.at, case_status_changes.c.id)
        )
        return [StatusChange(CaseStatus(r.status), r.at) for r in rows]

    # -- breaches ---------------------------------------------------------------------------
    def record_breach(
        self,
        workspace_id: int,
        case_id: int,
        metric: str,
        *,
        target_seconds: float,
        breached_at: datetime,
        now: datetime,
    ) -> bool:
        """Record the breach unless it already is; True when this call recorded it."""
        new_id = insert_ignoring_conflict(
            self._conn,
            sla_breaches,
            dict(
                workspace_id=workspace_id,
                case_id=case_id,
                metric=metric,
                target_seconds=target_seconds,
                breached_at=breached_at,
                recorded_at=now,
            ),
        )
        return new_id is not None

    def recorded(self, case_id: int) -> set[str]:
        rows = self._conn.execute(
            select(sla_breaches.c.metric).where(sla_breaches.c.case_id == case_id)
        )
        return {r.metric for r in rows}

    def breaches_of(self, case_ids: Iterable[int]) -> dict[int, dict[str, datetime]]:
        """Recorded breaches per case: metric -> when it was breached."""
        ids = list(case_ids)
        found: dict[int, dict[str, datetime]] = {i: {} for i in ids}
        if not ids:
            return found
        rows = self._conn.execute(
            select(sla_breaches.c.case_id, sla_breaches.c.metric, sla_breaches.c.breached_at).where(
                sla_breaches.c.case_id.in_(ids)
            )
        )
        for r in rows:
            found[r.case_id][r.metric] = r.breached_at
        return found

    def count_breaches(self, workspace_id: int) -> int:
        return len(
            self._conn.execute(
                select(sla_breaches.c.id).where(sla_breaches.c.workspace_id == workspace_id)
            ).all()
        )

    # -- desk settings ----------------------------------------------------------------------
    def desk_settings(self, workspace_id: int) -> dict[str, Any] | None:
        stored = self._conn.execute(
            select(t.workspaces.c.settings).where(t.workspaces.c.id == workspace_id)
        ).scalar_one_or_none()
        value = (stored or {}).get(DESK_SETTINGS_KEY)
        return dict(value) if isinstance(value, dict) else None

    def put_desk_settings(
        self,
        workspace_id: int,
        data: dict[str, Any],
        *,
        time_zone: str,
        hours: dict[str, Any],
        holiday_country: str | None,
    ) -> None:
        """Store the settings and mirror hours and time zone into the workspace's columns."""
        stored = self._conn.execute(
            select(t.workspaces.c.settings).where(t.workspaces.c.id == workspace_id)
        ).scalar_one()
        settings = {**(stored or {}), DESK_SETTINGS_KEY: data}
        self._conn.execute(
            update(t.workspaces)
            .where(t.workspaces.c.id == workspace_id)
            .values(
                settings=settings,
                time_zone=time_zone,
                hours=hours,
                holiday_country=holiday_country,
            )
        )
