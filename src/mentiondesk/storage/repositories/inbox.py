"""The inbox query: filtered, sorted, paged, in one round trip per page plus a capped count.

Measured with 200,000 cases and 1,000,000 posts in ``benchmarks/bench_inbox.py``; the partial
indexes it relies on are in ``storage/tables_assignment.py`` and migration 0005."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, func, literal_column, or_, select, table

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

# Counting every matching case costs as much as the page itself once there are tens of thousands;
# agents only need to know whether there are more pages, so the count stops this many pages past
# the current one and the page says "N+ cases".
COUNT_AHEAD_PAGES = 10


class InboxQueries:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def opened_after(self, workspace_id: int, after: int, limit: int = 100) -> list[int]:
        """Ids of the workspace's cases above ``after``, oldest first (up to ``limit``). Ids
        grow with insertion, so this is one range scan of the primary key, cheap to repeat."""
        c = t.cases.c
        return list(
            self._conn.execute(
                select(c.id)
                .where(c.workspace_id == workspace_id, c.id > after)
                .order_by(c.id)
                .limit(limit)
            ).scalars()
        )

    def newest_case_id(self, workspace_id: int) -> int:
        c = t.cases.c
        newest = self._conn.execute(
            select(func.max(c.id)).where(c.workspace_id == workspace_id)
        ).scalar_one()
        return int(newest or 0)

    def page(self, workspace_id: int, f: InboxFilter) -> InboxPage:
        c = t.cases.c
        conditions: list[Any] = [c.workspace_id == workspace_id]
        if f.statuses:
            # Literal values (not bound parameters) let both planners match the partial indexes
            # on active statuses; the values come from the CaseStatus enum, never from input.
            statuses = [CaseStatus(s).value for s in f.statuses]
            conditions.append(
                c.status.in_(bindparam("statuses", statuses, expanding=True, literal_execute=True))
            )
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
        if f.intent:
            conditions.append(c.intent == f.intent)
        if f.tagged is not None:
            conditions.append(c.tagged.is_(f.tagged))
        conditions.extend(_lifecycle_conditions(f))
        conditions.extend(_search_conditions(self._conn, f.search))
        order = {
            InboxSort.URGENT: (c.priority.desc(), c.last_activity_at.desc(), c.id.desc()),
            InboxSort.NEWEST: (c.last_activity_at.desc(), c.id.desc()),
            InboxSort.OLDEST: (c.last_activity_at.asc(), c.id.asc()),
        }[f.sort]
        page = max(1, f.page)
        # Deferred join: choose the page's ids from the covering index alone (skipping the
        # offset costs index entries, not table rows), then fetch only those 50 rows.
        ids = (
            select(c.id)
            .where(*conditions)
            .order_by(*order)
            .limit(f.page_size)
            .offset((page - 1) * f.page_size)
            .subquery("page_ids")
        )
        rows = self._conn.execute(
            select(
                t.cases,
                t.authors.c.handle,
                t.authors.c.name.label("author_name"),
                t.authors.c.followers,
                t.users.c.name.label("assignee_name"),
            )
            .select_from(ids)
            .join(t.cases, c.id == ids.c.id)
            .join(t.authors, t.authors.c.id == c.author_id)
            .outerjoin(t.users, t.users.c.id == c.assignee_id)
            .order_by(*order)
        )
        cap = max((page + COUNT_AHEAD_PAGES) * f.page_size, f.count_at_least)
        matching = select(c.id).where(*conditions).limit(cap + 1).subquery()
        total = int(self._conn.execute(select(func.count()).select_from(matching)).scalar_one())
        return InboxPage(
            tuple(_row(r) for r in rows),
            min(total, cap),
            page,
            f.page_size,
            total_capped=total > cap,
        )

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
    """Snoozed cases stay out until they wake; "breached" looks at the recorded breaches,
    "breaching" at the instant the next SLA clock falls due (kept by ``sla_service``)."""
    c = t.cases.c
    conditions: list[Any] = []
    if f.awake_at is not None:
        conditions.append(or_(c.snoozed_until.is_(None), c.snoozed_until <= f.awake_at))
    if f.breached is not None:
        breached = c.id.in_(select(sla_breaches.c.case_id))
        conditions.append(breached if f.breached else ~breached)
    if f.due_before is not None:  # one range of ix_cases_sla_due
        conditions.append(c.sla_due_at.is_not(None))
        conditions.append(c.sla_due_at <= f.due_before)
    return conditions


# SQLite's FTS5 trigram index answers substrings of three characters or more; shorter
# patterns (and PostgreSQL, where pg_trgm serves ``LIKE`` itself) use ``LIKE``.
_TRIGRAM = 3
# A search whose words are in more cases than this is served by the ordered inbox index (a
# common word meets its matches at once); fewer are fetched by id from the FTS5 index.
FTS_ID_LIMIT = 2000
_cases_fts = table("cases_fts")


def _search_conditions(conn: Connection, patterns: tuple[str, ...]) -> list[Any]:
    """Every pattern as a substring of the case's folded search text, through the index.

    PostgreSQL's planner picks between the ``pg_trgm`` GIN index and the ordered inbox index
    for ``LIKE '%…%'``. SQLite's does not know how many cases a word is in, so the FTS5 index
    is asked first (one ``MATCH`` of quoted strings: a trigram phrase is a substring), for up
    to ``FTS_ID_LIMIT`` ids: a rare word (an author, an order number) becomes those ids, a
    common one is left to ``LIKE`` on the ordered scan, which stops after a page of matches."""
    c = t.cases.c
    conditions: list[Any] = []
    indexed = [p for p in patterns if conn.dialect.name == "sqlite" and len(p) >= _TRIGRAM]
    if indexed:
        match = " AND ".join('"' + p.replace('"', '""') + '"' for p in indexed)
        rowid: Any = literal_column("cases_fts.rowid")
        ids = list(
            conn.execute(
                select(rowid)
                .select_from(_cases_fts)
                .where(literal_column("cases_fts").op("MATCH")(bindparam("search_match", match)))
                .limit(FTS_ID_LIMIT + 1)
            ).scalars()
        )
        if len(ids) <= FTS_ID_LIMIT:
            conditions.append(c.id.in_(ids))
        else:
            indexed = []
    for pattern in patterns:
        if pattern in indexed:
            continue
        escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(c.search_text.like(f"%{escaped}%", escape="\\"))
    return conditions
