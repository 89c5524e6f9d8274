"""Approval requests for blocked replies: insert, read, and the one-way decision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from mentiondesk.domain.approval_requests import ApprovalRequest, ApprovalStatus
from mentiondesk.storage.repositories._insert import insert_returning_id
from mentiondesk.storage.tables_approvals import reply_approval_requests as a


def _request(row: Any) -> ApprovalRequest:
    return ApprovalRequest(
        id=row.id,
        workspace_id=row.workspace_id,
        case_id=row.case_id,
        requested_by=row.requested_by,
        text=row.text,
        visibility=row.visibility,
        findings=tuple(row.findings or ()),
        note=row.note,
        status=ApprovalStatus(row.status),
        created_at=row.created_at,
        request_key=row.request_key,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_reason=row.decision_reason or "",
        reply_id=row.reply_id,
    )


class ApprovalRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, request: ApprovalRequest) -> int:
        return insert_returning_id(
            self._conn,
            a,
            dict(
                workspace_id=request.workspace_id,
                case_id=request.case_id,
                requested_by=request.requested_by,
                request_key=request.request_key,
                text=request.text,
                visibility=request.visibility,
                findings=list(request.findings),
                note=request.note,
                status=request.status.value,
                created_at=request.created_at,
            ),
        )

    def get(self, workspace_id: int, request_id: int) -> ApprovalRequest | None:
        row = self._conn.execute(
            select(a).where(a.c.workspace_id == workspace_id).where(a.c.id == request_id)
        ).one_or_none()
        return _request(row) if row is not None else None

    def by_key(self, workspace_id: int, request_key: str) -> ApprovalRequest | None:
        row = self._conn.execute(
            select(a).where(a.c.workspace_id == workspace_id).where(a.c.request_key == request_key)
        ).one_or_none()
        return _request(row) if row is not None else None

    def listed(
        self,
        workspace_id: int,
        *,
        status: ApprovalStatus | None = None,
        case_id: int | None = None,
        limit: int = 200,
    ) -> list[ApprovalRequest]:
        """Newest first."""
        query = select(a).where(a.c.workspace_id == workspace_id)
        if status is not None:
            query = query.where(a.c.status == status.value)
        if case_id is not None:
            query = query.where(a.c.case_id == case_id)
        rows = self._conn.execute(query.order_by(a.c.id.desc()).limit(limit))
        return [_request(r) for r in rows]

    def decide(
        self,
        request_id: int,
        status: ApprovalStatus,
        *,
        decided_by: int,
        at: datetime,
        reason: str,
    ) -> bool:
        """Record the decision on a request that is still pending; False when someone decided
        first (the conditional update is what keeps two approvers from sending twice)."""
        done = self._conn.execute(
            update(a)
            .where(a.c.id == request_id)
            .where(a.c.status == ApprovalStatus.PENDING.value)
            .values(
                status=status.value, decided_by=decided_by, decided_at=at, decision_reason=reason
            )
        )
        return bool(done.rowcount)

    def set_reply(self, request_id: int, reply_id: int) -> None:
        self._conn.execute(update(a).where(a.c.id == request_id).values(reply_id=reply_id))
