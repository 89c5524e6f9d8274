"""The report's reads, one query per figure, over the unit of work's connection.

Rows come back as plain numbers (instants as POSIX seconds computed by the database) rather
than as datetimes: a 90-day report reads tens of thousands of cases, and turning each
timestamp into a Python ``datetime`` would cost more than the query. Posts are counted by the
database, grouped by UTC hour (by minute for a zone whose offset is not whole hours), and only
the groups travel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, Connection, and_, case, exists, func, literal, select
from sqlalchemy.sql import Select

from mentiondesk.analytics.periods import ReportFilter
from mentiondesk.domain.cases import CaseStatus
from mentiondesk.domain.posts import MentionKind
from mentiondesk.domain.replies import DeliveryStatus
from mentiondesk.storage import tables as t
from mentiondesk.storage import tables_assignment as ta
from mentiondesk.storage import tables_sla as ts

__all__ = [
    "OPEN_STATUSES",
    "CaseRows",
    "ReportQueries",
]

OPEN_STATUSES = (CaseStatus.NEW.value, CaseStatus.OPEN.value, CaseStatus.WAITING.value)
UNKNOWN_KIND = "unknown"
KIND_CODES = (*(k.value for k in MentionKind), UNKNOWN_KIND)
"""Mention kinds as the small integers the case query returns; the last is "unknown"."""

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class CaseRows:
    """Cases opened in a period, one array entry per case (NaN where an instant is missing)."""

    ids: npt.NDArray[np.int64]
    opened: Floats
    first_response: Floats
    resolved: Floats
    assignee: npt.NDArray[np.int64]  # 0 when unassigned
    tagged: npt.NDArray[np.bool_]
    answered: npt.NDArray[np.bool_]
    kinds: npt.NDArray[np.int64]  # index into KIND_CODES

    def __len__(self) -> int:
        return len(self.ids)

    def where(self, mask: npt.NDArray[np.bool_]) -> CaseRows:
        return CaseRows(
            self.ids[mask],
            self.opened[mask],
            self.first_response[mask],
            self.resolved[mask],
            self.assignee[mask],
            self.tagged[mask],
            self.answered[mask],
            self.kinds[mask],
        )


class ReportQueries:
    """Reads for one workspace; ``team_members`` resolves a team filter to user ids once."""

    def __init__(self, conn: Connection, workspace_id: int, filters: ReportFilter) -> None:
        self._conn = conn
        self._sqlite = conn.dialect.name == "sqlite"
        self.workspace_id = workspace_id
        self.filters = filters
        self._team: list[int] | None = None
        if filters.team is not None:
            self._team = sorted(self.team_members().get(filters.team, set()))

    # -- dialect helpers ----------------------------------------------------------------------

    def epoch(self, column: Any) -> ColumnElement[Any]:
        """POSIX seconds of a stored UTC instant."""
        if self._sqlite:
            return (func.julianday(column) - 2440587.5) * 86400.0
        return func.extract("epoch", column)

    def _grain(self, column: Any, minutes: bool) -> ColumnElement[Any]:
        if self._sqlite:  # stored as "YYYY-MM-DD HH:MM:SS.ffffff" in UTC
            return func.substr(column, 1, 16 if minutes else 13)
        return func.floor(func.extract("epoch", column) / (60 if minutes else 3600))

    def _key_to_instant(self, key: Any, minutes: bool) -> datetime:
        if self._sqlite:
            text = str(key) if minutes else f"{key}:00"
            return datetime.fromisoformat(text).replace(tzinfo=UTC)
        return datetime.fromtimestamp(float(key) * (60 if minutes else 3600), UTC)

    # -- filters ------------------------------------------------------------------------------

    def _case_conditions(self, *, with_language: bool = True) -> list[ColumnElement[bool]]:
        c, f = t.cases.c, self.filters
        conds: list[ColumnElement[bool]] = [
            c.workspace_id == self.workspace_id,
            c.status != CaseStatus.MERGED.value,
        ]
        if f.platform is not None:
            conds.append(c.platform == f.platform)
        if f.language is not None and with_language:
            conds.append(c.language == f.language)
        if f.agent_id is not None:
            conds.append(c.assignee_id == f.agent_id)
        if self._team is not None:
            conds.append(c.assignee_id.in_(self._team) if self._team else literal(False))
        if f.mention_kind == UNKNOWN_KIND:
            conds.append(c.mention_kind.is_(None))
        elif f.mention_kind is not None:
            conds.append(c.mention_kind == f.mention_kind)
        return conds

    # -- reads --------------------------------------------------------------------------------

    def team_members(self) -> dict[str, set[int]]:
        """Each team of the workspace and the agents in it."""
        teams: dict[str, set[int]] = {}
        rows = self._conn.execute(
            select(ta.agent_profiles.c.user_id, ta.agent_profiles.c.teams).where(
                ta.agent_profiles.c.workspace_id == self.workspace_id
            )
        )
        for user_id, names in rows:
            for name in names or ():
                teams.setdefault(str(name), set()).add(int(user_id))
        return teams

    def _posts_in(self, query: Select[Any], start: datetime, end: datetime) -> Select[Any]:
        p, f = t.posts.c, self.filters
        query = query.where(p.workspace_id == self.workspace_id).where(
            p.created_at >= start, p.created_at < end
        )
        if f.platform is not None:
            query = query.where(p.platform == f.platform)
        if f.language is not None:
            query = query.where(p.language == f.language)
        if f.needs_case:
            query = query.join(t.cases, t.cases.c.id == p.case_id).where(
                *self._case_conditions(with_language=False)
            )
        return query

    def post_counts(
        self, start: datetime, end: datetime, *, minutes: bool = False
    ) -> list[tuple[datetime, str | None, int]]:
        """Posts created in [start, end) per UTC hour (or minute) and sentiment."""
        p = t.posts.c
        bucket = self._grain(p.created_at, minutes).label("bucket")
        query = self._posts_in(
            select(bucket, p.sentiment, func.count().label("n")), start, end
        ).group_by(bucket, p.sentiment)
        return [
            (self._key_to_instant(key, minutes), sentiment, int(n))
            for key, sentiment, n in self._conn.execute(query)
        ]

    def post_total(self, start: datetime, end: datetime) -> int:
        query = self._posts_in(select(func.count()).select_from(t.posts), start, end)
        return int(self._conn.execute(query).scalar_one())

    def cases_opened(self, start: datetime, end: datetime) -> CaseRows:
        c = t.cases.c
        answered = exists().where(
            and_(t.replies.c.case_id == c.id, t.replies.c.status == DeliveryStatus.SENT.value)
        )
        kind = case(
            *((c.mention_kind == name, code) for code, name in enumerate(KIND_CODES[:-1])),
            else_=len(KIND_CODES) - 1,
        )
        query = (
            select(
                c.id,
                self.epoch(c.opened_at),
                self.epoch(c.first_response_at),
                case((c.status == CaseStatus.RESOLVED.value, self.epoch(c.resolved_at))),
                func.coalesce(c.assignee_id, 0),
                case((c.tagged, 1), else_=0),
                case((answered, 1), else_=0),
                kind,
            )
            .where(*self._case_conditions())
            .where(c.opened_at >= start, c.opened_at < end)
            .order_by(c.id)
        )
        # Tens of thousands of rows of plain numbers: read them from the driver's cursor, past
        # SQLAlchemy's per-row result processing, into one array (None becomes NaN).
        rows = self._conn.execute(query).cursor.fetchall()
        table = np.array(rows, dtype=np.float64).reshape(len(rows), 8)
        return CaseRows(
            ids=table[:, 0].astype(np.int64),
            opened=table[:, 1],
            first_response=table[:, 2],
            resolved=table[:, 3],
            assignee=table[:, 4].astype(np.int64),
            tagged=table[:, 5] > 0,
            answered=table[:, 6] > 0,
            kinds=table[:, 7].astype(np.int64),
        )

    def breaches(self, start: datetime, end: datetime) -> dict[str, int]:
        """How many cases opened in [start, end) have a recorded breach, per metric."""
        b, c = ts.sla_breaches.c, t.cases.c
        query = (
            select(b.metric, func.count())
            .join(t.cases, c.id == b.case_id)
            .where(b.workspace_id == self.workspace_id)
            .where(b.breached_at >= start)  # no case breaches before it opens: narrows the scan
            .where(*self._case_conditions())
            .where(c.opened_at >= start, c.opened_at < end)
            .group_by(b.metric)
        )
        return {str(metric): int(n) for metric, n in self._conn.execute(query)}

    def backlog(self) -> Floats:
        """When each case still waiting on the brand or the customer was opened."""
        c = t.cases.c
        query = (
            select(self.epoch(c.opened_at))
            .where(*self._case_conditions())
            .where(c.status.in_(OPEN_STATUSES))
        )
        rows = self._conn.execute(query).cursor.fetchall()
        return np.array(rows, dtype=np.float64).reshape(len(rows), 1)[:, 0]

    def replies_by_user(self, start: datetime, end: datetime) -> dict[int, int]:
        """Replies sent in [start, end) per author, on cases the filters select."""
        r = t.replies.c
        query = (
            select(r.user_id, func.count())
            .join(t.cases, t.cases.c.id == r.case_id)
            .where(r.workspace_id == self.workspace_id)
            .where(r.created_at >= start, r.created_at < end)
            .where(r.status == DeliveryStatus.SENT.value)
            .where(*self._case_conditions())
            .group_by(r.user_id)
        )
        return {int(user): int(n) for user, n in self._conn.execute(query)}

    def user_names(self, ids: Sequence[int]) -> dict[int, str]:
        if not ids:
            return {}
        u = t.users.c
        rows = self._conn.execute(select(u.id, u.name).where(u.id.in_(sorted(set(ids)))))
        return {int(i): str(name) for i, name in rows}

    def people(self) -> list[tuple[int, str]]:
        """Members who can work cases, by name (the agent filter's choices)."""
        u, m = t.users.c, t.memberships.c
        rows = self._conn.execute(
            select(u.id, u.name)
            .join(t.memberships, m.user_id == u.id)
            .where(m.workspace_id == self.workspace_id, m.role != "viewer")
            .order_by(u.name)
        )
        return [(int(i), str(name)) for i, name in rows]
