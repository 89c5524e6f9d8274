"""The inbox query: filtered, sorted, paged, in one round trip per page plus a count."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, or_, select

from mentiondesk.domain.cases import CaseStatus
from mentiondesk.domain.inbox import (
    ASSIGNEE_UNASSIGNED,
    InboxFilter,
    InboxPage,
    InboxRow,
    InboxSort,
)
from mentiondesk.storage import tables as t
from mentiondesk.storage.tables_sla import sla_breaches


class InboxQueries:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def page(self, workspace_id: int, f: InboxFilter) -> InboxPage:
        c = t.cases.c
        conditions: list[Any] = [c.workspace_id == workspace_id]
        if f.statuses:
            conditions.append(c.status.in_([s.value for s in f.statuses]))
        if f.language:
            conditions.append(c.language == f.language)
        if f.assignee_id == ASSIGNEE_UNASSIGNED:
            conditions.append(c.assignee_id.is_(None))
        elif f.assignee_id is not None:
            conditions.append(c.assignee_id == f.assignee_id)
        if f.platform:
            conditions.append(c.platform == f.platform)
        if f.needs_reply is not None:
            conditions.append(c.needs_reply.is_(f.needs_reply))
        if f.mention_kind:
            conditions.append(c.mention_kind == f.mention_kind)
        if f.tagged is not None:
            conditions.append(c.tagged.is_(f.tagged))
        conditions.extend(_lifecycle_conditions(f))
        order = {
            InboxSort.URGENT: (c.priority.desc(), c.last_activity_at.desc(), c.id.desc()),
            InboxSort.NEWEST: (c.last_activity_at.desc(), c.id.desc()),
            InboxSort.OLDEST: (c.last_activity_at.asc(), c.id.asc()),
        }[f.sort]
        page = max(1, f.page)
        rows = self._conn.execute(
            select(
                t.cases,
                t.authors.c.handle,
                t.authors.c.name.label("author_name"),
                t.authors.c.followers,
                t.users.c.name.label("assignee_name"),
            )
            .join(t.authors, t.authors.c.id == c.author_id)
            .outerjoin(t.users, t.users.c.id == c.assignee_id)
            .where(*conditions)
            .order_by(*order)
            .limit(f.page_size)
            .offset((page - 1) * f.page_size)
        )
        total = self._conn.execute(
            select(func.count()).select_from(t.cases).where(*conditions)
        ).scalar_one()
        return InboxPage(tuple(_row(r) for r in rows), int(total), page, f.page_size)

    def cases_of_author(self, workspace_id: int, author_id: int, *, before: int) -> list[InboxRow]:
        """The author's cases opened before case ``before`` (most recent first)."""
        c = t.cases.c
        rows = self._conn.execute(
            select(
                t.cases,
                t.authors.c.handle,
                t.authors.c.name.label("author_name"),
                t.authors.c.followers,
                t.users.c.name.label("assignee_name"),
            )
            .join(t.authors, t.authors.c.id == c.author_id)
            .outerjoin(t.users, t.users.c.id == c.assignee_id)
            .where(c.workspace_id == workspace_id, c.author_id == author_id, c.id < before)
            .order_by(c.opened_at.desc())
            .limit(20)
        )
        return [_row(r) for r in rows]


def _row(r: Any) -> InboxRow:
    return InboxRow(
        case_id=r.id,
        status=CaseStatus(r.status),
        platform=r.platform,
        author_handle=r.handle,
        author_name=r.author_name,
        author_followers=r.followers,
        language=r.language,
        sentiment=r.sentiment,
        tagged=r.tagged,
        needs_reply=r.needs_reply,
        intent=r.intent,
        priority=r.priority,
        summary=r.summary,
        assignee_id=r.assignee_id,
        assignee_name=r.assignee_name,
        opened_at=r.opened_at,
        last_activity_at=r.last_activity_at,
        version=r.version,
    )


def _lifecycle_conditions(f: InboxFilter) -> list[Any]:
    """Snoozed cases stay out until they wake; "breached" looks at the recorded breaches."""
    c = t.cases.c
    conditions: list[Any] = []
    if f.awake_at is not None:
        conditions.append(or_(c.snoozed_until.is_(None), c.snoozed_until <= f.awake_at))
    if f.breached is not None:
        breached = c.id.in_(select(sla_breaches.c.case_id))
        conditions.append(breached if f.breached else ~breached)
    return conditions
