"""The report's reads from the rollups (``analytics/rollups.py``): a few thousand day rows.

Used by ``service.py`` when the workspace's rollups are built for its current zone and
calendar; what the rollups cannot answer (case filters on the day groups, hourly volume,
posts filtered through their case) is read from the raw rows as before.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Connection, case, func, literal, select

from mentiondesk.analytics.business import Floats
from mentiondesk.analytics.periods import Period, ReportFilter
from mentiondesk.analytics.queries import KIND_CODES, OPEN_STATUSES, UNKNOWN_KIND, CaseRows
from mentiondesk.analytics.rollups import ALL, BREACH_METRICS, unpack
from mentiondesk.domain.cases import CaseStatus
from mentiondesk.storage import tables_reports as tr

__all__ = ["CaseGroup", "FactRows", "RollupReads"]

_DURATIONS = (
    "first_response_s",
    "first_response_business_s",
    "resolution_s",
    "resolution_business_s",
    "answered_first_response_s",
)
_FIRST_BLOB = 4 + len(BREACH_METRICS)  # grp, cases, resolved, answered, breaches, then blobs


@dataclass(slots=True)
class CaseGroup:
    """One group of cases opened in a period: counts, and every duration (seconds)."""

    cases: int = 0
    resolved: int = 0
    answered: int = 0
    breached: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BREACH_METRICS, 0))
    blobs: dict[str, list[bytes]] = field(default_factory=lambda: defaultdict(list))

    def values(self, name: str) -> Floats:
        return unpack(b"".join(self.blobs.get(name, ())))


@dataclass(frozen=True, slots=True)
class FactRows:
    """The facts of the cases a filtered report selects: ``rows`` as the raw read gives them
    (instants as POSIX seconds), the business durations beside them (NaN where none)."""

    rows: CaseRows
    first_response_business: Floats
    resolution_business: Floats
    breached: dict[str, int]


class RollupReads:
    def __init__(self, conn: Connection, workspace_id: int, filters: ReportFilter) -> None:
        self._conn = conn
        self.workspace_id = workspace_id
        self.filters = filters

    @property
    def serves_cases(self) -> bool:
        """The day groups hold every case; a filter on cases needs the raw rows."""
        f = self.filters
        return all(v is None for v in (f.platform, f.language, f.agent_id, f.team, f.mention_kind))

    def serves_posts(self, period: Period) -> bool:
        return period.bucketing.value == "day" and not self.filters.needs_case

    def case_groups(self, period: Period, *, only_all: bool = False) -> dict[str, CaseGroup]:
        d = tr.report_case_days.c
        query = select(
            d.grp,
            d.cases,
            d.resolved,
            d.answered,
            *(getattr(d, f"breached_{m}") for m in BREACH_METRICS),
            *(getattr(d, name) for name in _DURATIONS),
        ).where(d.workspace_id == self.workspace_id, d.day >= period.first, d.day <= period.last)
        if only_all:
            query = query.where(d.grp == ALL)
        counted: dict[str, list[Any]] = defaultdict(list)
        blobs: dict[str, list[Any]] = defaultdict(list)
        # A few thousand rows of numbers and byte strings: read from the driver's cursor, the
        # counts summed and the durations joined once per group.
        for row in self._conn.execute(query).cursor.fetchall():
            counted[row[0]].append(row[1:_FIRST_BLOB])
            blobs[row[0]].append(row[_FIRST_BLOB:])
        groups: dict[str, CaseGroup] = {}
        for name, counts in counted.items():
            sums = np.sum(np.array(counts, dtype=np.int64), axis=0).tolist()
            g = groups[name] = CaseGroup(sums[0], sums[1], sums[2])
            g.breached = dict(zip(BREACH_METRICS, sums[3:], strict=True))
            for field_name, parts in zip(_DURATIONS, zip(*blobs[name], strict=True), strict=True):
                g.blobs[field_name] = [bytes(part) for part in parts if part]
        return groups

    def post_days(self, period: Period) -> list[tuple[date, str | None, int]]:
        """Posts per local day and sentiment (None: unlabelled)."""
        p = tr.report_post_days.c
        query = (
            select(p.day, p.sentiment, func.sum(p.posts))
            .where(p.workspace_id == self.workspace_id)
            .where(p.day >= period.first, p.day <= period.last)
            .group_by(p.day, p.sentiment)
        )
        if self.filters.platform is not None:
            query = query.where(p.platform == self.filters.platform)
        if self.filters.language is not None:
            query = query.where(p.language == self.filters.language)
        return [(day, sentiment or None, int(n)) for day, sentiment, n in self._conn.execute(query)]

    def post_total(self, period: Period) -> int:
        return sum(n for _, _, n in self.post_days(period))

    def replies_by_user(self, period: Period) -> dict[int, int]:
        r = tr.report_reply_days.c
        rows = self._conn.execute(
            select(r.user_id, func.sum(r.replies))
            .where(r.workspace_id == self.workspace_id)
            .where(r.day >= period.first, r.day <= period.last)
            .group_by(r.user_id)
        )
        return {int(user): int(n) for user, n in rows}

    def fact_rows(self, period: Period, team: list[int] | None) -> FactRows:
        """The facts of the cases opened in the period's local days that the filters select:
        one narrow row per case, with nothing to join or convert."""
        c = tr.report_case_facts.c
        kind = case(
            *((c.mention_kind == name, code) for code, name in enumerate(KIND_CODES[:-1])),
            else_=len(KIND_CODES) - 1,
        )
        query = (
            select(
                c.case_id,
                c.opened_s,
                c.first_response_s,
                c.first_response_business_s,
                c.resolution_s,
                c.resolution_business_s,
                func.coalesce(c.assignee_id, 0),
                case((c.tagged, 1), else_=0),
                case((c.answered, 1), else_=0),
                kind,
                *(case((getattr(c, f"breached_{m}"), 1), else_=0) for m in BREACH_METRICS),
            )
            .where(*self._case_conditions(team))
            .where(c.status != CaseStatus.MERGED.value)
            .where(c.day >= period.first, c.day <= period.last)
        )
        found = self._conn.execute(query).cursor.fetchall()
        table = np.array(found, dtype=np.float64).reshape(len(found), 13)
        opened = table[:, 1]
        rows = CaseRows(
            ids=table[:, 0].astype(np.int64),
            opened=opened,
            first_response=opened + table[:, 2],
            resolved=opened + table[:, 4],
            assignee=table[:, 6].astype(np.int64),
            tagged=table[:, 7] > 0,
            answered=table[:, 8] > 0,
            kinds=table[:, 9].astype(np.int64),
        )
        breached = {m: int(table[:, 10 + i].sum()) for i, m in enumerate(BREACH_METRICS)}
        return FactRows(rows, table[:, 3], table[:, 5], breached)

    def _case_conditions(self, team: list[int] | None) -> list[ColumnElement[bool]]:
        f, c = self.filters, tr.report_case_facts.c
        conds: list[ColumnElement[bool]] = [c.workspace_id == self.workspace_id]
        if f.platform is not None:
            conds.append(c.platform == f.platform)
        if f.language is not None:
            conds.append(c.language == f.language)
        if f.agent_id is not None:
            conds.append(c.assignee_id == f.agent_id)
        if team is not None:
            conds.append(c.assignee_id.in_(team) if team else literal(False))
        if f.mention_kind == UNKNOWN_KIND:
            conds.append(c.mention_kind.is_(None))
        elif f.mention_kind is not None:
            conds.append(c.mention_kind == f.mention_kind)
        return conds

    def backlog_older_than(
        self, now: datetime, ages: tuple[float, ...], team: list[int] | None
    ) -> tuple[int, list[int]]:
        """How many cases wait (brand or customer), and how many of them are at least each
        of ``ages`` seconds old: the total, less the few opened since (each a short range of
        one index)."""
        c = tr.report_case_facts.c
        conds = [*self._case_conditions(team), c.status.in_(OPEN_STATUSES)]
        count: Any = select(func.count()).select_from(tr.report_case_facts).where(*conds)
        total = int(self._conn.execute(count).scalar_one())
        at = now.timestamp()
        younger = [
            int(self._conn.execute(count.where(c.opened_s > at - age)).scalar_one()) for age in ages
        ]
        return total, [total - n for n in younger]
