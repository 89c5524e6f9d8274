"""The report rollups: kept up to date by the event handlers, rebuilt when the calendar changes.

A report of 90 days would otherwise read every case of the period twice (with whether a reply
was sent and its breaches) and count every post. Instead the handlers of the case, reply and
post events keep, in the change's own transaction:

- one facts row per case (``report_case_facts``): the filter columns and the durations on both
  clocks, recomputed from the case's rows whenever an event touches it;
- per local day of opening and group of cases (all, tagged, untagged, per mention kind, per
  assignee), the counts and the durations themselves (``report_case_days``), recomputed from
  the day's facts, so medians stay exact;
- posts per local day, channel, language and sentiment, and sent replies per day and author.

Days are local to the workspace's time zone and business durations follow its hours and
holidays; ``report_rollup_state`` names the zone and calendar they were built for. When either
changes the rollups are marked unbuilt (reports then read the raw rows) and rebuilt after
commit, as the migration that introduced them does for existing data.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Connection, and_, delete, exists, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from mentiondesk.analytics.business import Floats, OpenTime
from mentiondesk.desk.access import Actor
from mentiondesk.desk.calendars import holiday_dates
from mentiondesk.desk.sla_settings import load_desk_settings
from mentiondesk.domain.cases import CaseStatus
from mentiondesk.domain.desk_settings import DeskSettings
from mentiondesk.domain.events import (
    CasesMerged,
    CaseSplit,
    Event,
    LabelCorrected,
    MemberRemoved,
    PostReceived,
    ReplyDelivered,
)
from mentiondesk.domain.replies import DeliveryStatus
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.storage import tables as t
from mentiondesk.storage import tables_reports as tr
from mentiondesk.storage import tables_sla as ts
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = [
    "ALL",
    "Touched",
    "calendar_key",
    "do_rebuild_rollups",
    "is_built",
    "mark_unbuilt",
    "rebuild",
    "touched_by",
    "update_rollups",
]

ALL = "all"
BREACH_METRICS = ("first_response", "next_response", "resolution")
CHUNK = 500  # ids per IN (...) list
_ANSWERED = frozenset({"answered_first_response_s"})
DURATIONS_READ: dict[str, frozenset[str]] = {
    ALL: frozenset(
        {"first_response_s", "first_response_business_s", "resolution_s", "resolution_business_s"}
    ),
    "tagged": _ANSWERED,
    "untagged": _ANSWERED,
    "kind": _ANSWERED,
    "agent": frozenset({"first_response_business_s", "resolution_business_s"}),
}
"""The durations a report reads of each kind of group (the others are stored empty)."""


def calendar_key(settings: DeskSettings) -> str:
    """What business durations depend on, as a short digest."""
    text = json.dumps(
        {"hours": settings.hours.to_dict(), "holidays": list(settings.holiday_countries)},
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def is_built(
    conn: Connection, workspace_id: int, settings: DeskSettings, *, lock: bool = False
) -> bool:
    """Whether the rollups are whole and were built for the settings' zone and calendar.
    ``lock`` holds the state row to the end of the transaction (PostgreSQL), so an update
    waits for a rebuild running beside it and then applies on top of it."""
    s = tr.report_rollup_state.c
    query = select(s.time_zone, s.calendar, s.built_at).where(s.workspace_id == workspace_id)
    row = conn.execute(query.with_for_update() if lock else query).first()
    return (
        row is not None
        and row.built_at is not None
        and row.time_zone == settings.time_zone
        and row.calendar == calendar_key(settings)
    )


def mark_unbuilt(conn: Connection, workspace_id: int) -> None:
    """Reports read the raw rows until the next rebuild."""
    s = tr.report_rollup_state.c
    conn.execute(
        update(tr.report_rollup_state).where(s.workspace_id == workspace_id).values(built_at=None)
    )


# -- local days ---------------------------------------------------------------------------------


def _local_day(at: float, zone: ZoneInfo) -> date:
    return datetime.fromtimestamp(at, zone).date()


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants a local day starts and ends (exclusive)."""
    start = datetime.combine(day, time(0), zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
    return start, end


def _open_time(settings: DeskSettings, start: float, end: float) -> OpenTime:
    first = datetime.fromtimestamp(start, UTC)
    last = datetime.fromtimestamp(max(start, end), UTC)
    closed = holiday_dates(settings.holiday_countries, range(first.year - 1, last.year + 2))
    return OpenTime(settings.calendar(closed), first, last)


def _epoch(value: datetime | None) -> float:
    return np.nan if value is None else value.timestamp()


# -- per-case facts -----------------------------------------------------------------------------


def _fact_rows(
    conn: Connection, workspace_id: int, case_ids: Sequence[int] | None, settings: DeskSettings
) -> list[dict[str, Any]]:
    """The facts of ``case_ids`` (every case of the workspace when None) from their rows."""
    c = t.cases.c
    answered = exists().where(
        and_(t.replies.c.case_id == c.id, t.replies.c.status == DeliveryStatus.SENT.value)
    )
    query = select(
        c.id,
        c.opened_at,
        c.first_response_at,
        c.resolved_at,
        c.status,
        c.platform,
        c.language,
        c.assignee_id,
        c.mention_kind,
        c.tagged,
        answered.label("answered"),
    ).where(c.workspace_id == workspace_id)
    b = ts.sla_breaches.c
    breach_query = select(b.case_id, b.metric).where(b.workspace_id == workspace_id)
    rows: list[Any] = []
    breached: dict[int, set[str]] = defaultdict(set)
    if case_ids is None:
        rows = list(conn.execute(query))
        for case_id, metric in conn.execute(breach_query):
            breached[case_id].add(metric)
    else:
        ids = sorted(set(case_ids))
        for at in range(0, len(ids), CHUNK):
            part = ids[at : at + CHUNK]
            rows += conn.execute(query.where(c.id.in_(part)))
            for case_id, metric in conn.execute(breach_query.where(b.case_id.in_(part))):
                breached[case_id].add(metric)
    if not rows:
        return []
    zone = ZoneInfo(settings.time_zone)
    opened = np.array([_epoch(r.opened_at) for r in rows])
    first = np.array([_epoch(r.first_response_at) for r in rows])
    resolved = np.array(
        [_epoch(r.resolved_at) if r.status == CaseStatus.RESOLVED.value else np.nan for r in rows]
    )
    ends = np.concatenate((opened, first[~np.isnan(first)], resolved[~np.isnan(resolved)]))
    clock = _open_time(settings, float(ends.min()), float(ends.max()))
    first_business = _business(clock, opened, first)
    resolved_business = _business(clock, opened, resolved)
    out = []
    for i, r in enumerate(rows):
        metrics = breached.get(r.id, set())
        out.append(
            {
                "case_id": r.id,
                "workspace_id": workspace_id,
                "day": _local_day(opened[i], zone),
                "opened_s": float(opened[i]),
                "status": r.status,
                "platform": r.platform,
                "language": r.language,
                "assignee_id": r.assignee_id,
                "mention_kind": r.mention_kind,
                "tagged": bool(r.tagged),
                "answered": bool(r.answered),
                "first_response_s": _value(first[i] - opened[i]),
                "first_response_business_s": _value(first_business[i]),
                "resolution_s": _value(resolved[i] - opened[i]),
                "resolution_business_s": _value(resolved_business[i]),
                **{f"breached_{m}": m in metrics for m in BREACH_METRICS},
            }
        )
    return out


def _business(clock: OpenTime, start: Floats, end: Floats) -> Floats:
    out = np.full(len(start), np.nan)
    known = ~np.isnan(end)
    out[known] = clock.between(start[known], end[known])
    return out


def _value(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def _write_facts(conn: Connection, workspace_id: int, facts: list[dict[str, Any]]) -> None:
    f = tr.report_case_facts.c
    ids = [row["case_id"] for row in facts]
    for at in range(0, len(ids), CHUNK):
        conn.execute(delete(tr.report_case_facts).where(f.case_id.in_(ids[at : at + CHUNK])))
    for at in range(0, len(facts), 5000):
        conn.execute(insert(tr.report_case_facts), facts[at : at + 5000])


# -- per-day summaries --------------------------------------------------------------------------


def _pack(values: Floats) -> bytes:
    return np.ascontiguousarray(values, dtype="<f8").tobytes()


def unpack(blob: bytes) -> Floats:
    return np.frombuffer(blob, dtype="<f8")


@dataclass(slots=True)
class _Group:
    cases: int = 0
    resolved: int = 0
    answered: int = 0
    breached: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BREACH_METRICS, 0))
    first: list[float] = field(default_factory=list)
    first_business: list[float] = field(default_factory=list)
    resolution: list[float] = field(default_factory=list)
    resolution_business: list[float] = field(default_factory=list)
    answered_first: list[float] = field(default_factory=list)

    def add(self, r: Any) -> None:
        self.cases += 1
        self.answered += bool(r.answered)
        for metric in BREACH_METRICS:
            self.breached[metric] += bool(getattr(r, f"breached_{metric}"))
        if r.first_response_s is not None:
            self.first.append(max(r.first_response_s, 0.0))
            self.first_business.append(r.first_response_business_s)
            if r.answered:
                self.answered_first.append(r.first_response_s)
        if r.resolution_s is not None:
            self.resolved += 1
            self.resolution.append(max(r.resolution_s, 0.0))
            self.resolution_business.append(r.resolution_business_s)

    def row(self, workspace_id: int, day: date, name: str) -> dict[str, Any]:
        kept = DURATIONS_READ[name.split(":", maxsplit=1)[0]]
        values = {
            "first_response_s": self.first,
            "first_response_business_s": self.first_business,
            "resolution_s": self.resolution,
            "resolution_business_s": self.resolution_business,
            "answered_first_response_s": self.answered_first,
        }
        return {
            "workspace_id": workspace_id,
            "day": day,
            "grp": name,
            "cases": self.cases,
            "resolved": self.resolved,
            "answered": self.answered,
            **{f"breached_{m}": n for m, n in self.breached.items()},
            **{k: _pack(np.array(v)) if k in kept else b"" for k, v in values.items()},
        }


def group_names(r: Any) -> tuple[str, ...]:
    """The groups a case counts in: all, tagged or untagged, its kind, its assignee."""
    names = [ALL, "tagged" if r.tagged else "untagged", f"kind:{r.mention_kind or 'unknown'}"]
    if r.assignee_id is not None:
        names.append(f"agent:{r.assignee_id}")
    return tuple(names)


def _summarise_days(conn: Connection, workspace_id: int, days: Iterable[date] | None) -> None:
    """Recompute the day rows of ``days`` (every day when None) from the facts."""
    f = tr.report_case_facts.c
    query = (
        select(tr.report_case_facts)
        .where(f.workspace_id == workspace_id)
        .where(f.status != CaseStatus.MERGED.value)
    )
    d = tr.report_case_days.c
    wanted = None if days is None else sorted(set(days))
    if wanted is None:
        conn.execute(delete(tr.report_case_days).where(d.workspace_id == workspace_id))
        chunks: list[list[date] | None] = [None]
    else:
        chunks = [wanted[i : i + CHUNK] for i in range(0, len(wanted), CHUNK)]
    for chunk in chunks:
        groups: dict[tuple[date, str], _Group] = defaultdict(_Group)
        rows = conn.execute(query if chunk is None else query.where(f.day.in_(chunk)))
        for r in rows:
            for name in group_names(r):
                groups[(r.day, name)].add(r)
        if chunk is not None:
            conn.execute(
                delete(tr.report_case_days).where(d.workspace_id == workspace_id, d.day.in_(chunk))
            )
        out = [g.row(workspace_id, day, name) for (day, name), g in groups.items()]
        for at in range(0, len(out), 2000):
            conn.execute(insert(tr.report_case_days), out[at : at + 2000])


# -- posts and replies per day ------------------------------------------------------------------


def _post_key(
    day: date, platform: str, language: str | None, sentiment: str | None
) -> tuple[Any, ...]:
    return (day, platform, language or "", sentiment or "")


def _add_post_counts(
    conn: Connection, workspace_id: int, counts: dict[tuple[Any, ...], int]
) -> None:
    """Add ``counts`` (keyed day, platform, language, sentiment) to the day rows, in one
    upsert (both databases spell it ``ON CONFLICT ... DO UPDATE``)."""
    if not counts:
        return
    dialect_insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    stmt = dialect_insert(tr.report_post_days)
    stmt = stmt.on_conflict_do_update(
        index_elements=["workspace_id", "day", "platform", "language", "sentiment"],
        set_={"posts": tr.report_post_days.c.posts + stmt.excluded.posts},
    )
    conn.execute(stmt, _post_values(workspace_id, counts))


def _post_values(workspace_id: int, counts: dict[tuple[Any, ...], int]) -> list[dict[str, Any]]:
    return [
        {
            "workspace_id": workspace_id,
            "day": day,
            "platform": platform,
            "language": language,
            "sentiment": sentiment,
            "posts": n,
        }
        for (day, platform, language, sentiment), n in counts.items()
    ]


def _count_new_posts(
    conn: Connection, workspace_id: int, post_ids: Sequence[int], zone: ZoneInfo
) -> None:
    po = t.posts.c
    counts: dict[tuple[Any, ...], int] = defaultdict(int)
    ids = sorted(set(post_ids))
    for at in range(0, len(ids), CHUNK):
        rows = conn.execute(
            select(po.created_at, po.platform, po.language, po.sentiment).where(
                po.id.in_(ids[at : at + CHUNK])
            )
        )
        for r in rows:
            counts[_post_key(r.created_at.astimezone(zone).date(), *r[1:])] += 1
    _add_post_counts(conn, workspace_id, counts)


def _recount_post_days(
    conn: Connection, workspace_id: int, days: Iterable[date], zone: ZoneInfo
) -> None:
    po, p = t.posts.c, tr.report_post_days.c
    for day in sorted(set(days)):
        start, end = day_bounds(day, zone)
        conn.execute(
            delete(tr.report_post_days).where(p.workspace_id == workspace_id, p.day == day)
        )
        rows = conn.execute(
            select(po.platform, po.language, po.sentiment, func.count())
            .where(po.workspace_id == workspace_id)
            .where(po.created_at >= start, po.created_at < end)
            .group_by(po.platform, po.language, po.sentiment)
        )
        counts: dict[tuple[Any, ...], int] = defaultdict(int)
        for platform, language, sentiment, n in rows:
            counts[_post_key(day, platform, language, sentiment)] += n
        if counts:
            conn.execute(insert(tr.report_post_days), _post_values(workspace_id, counts))


def _recount_reply_days(
    conn: Connection, workspace_id: int, days: Iterable[date], zone: ZoneInfo
) -> None:
    r, c, rd = t.replies.c, t.cases.c, tr.report_reply_days.c
    for day in sorted(set(days)):
        start, end = day_bounds(day, zone)
        conn.execute(
            delete(tr.report_reply_days).where(rd.workspace_id == workspace_id, rd.day == day)
        )
        rows = conn.execute(
            select(r.user_id, func.count())
            .join(t.cases, c.id == r.case_id)
            .where(r.workspace_id == workspace_id)
            .where(r.created_at >= start, r.created_at < end)
            .where(r.status == DeliveryStatus.SENT.value)
            .where(c.status != CaseStatus.MERGED.value)
            .group_by(r.user_id)
        )
        values = [
            {"workspace_id": workspace_id, "day": day, "user_id": user, "replies": n}
            for user, n in rows
        ]
        if values:
            conn.execute(insert(tr.report_reply_days), values)


def _days_between(conn: Connection, column: Any, workspace_id: int, zone: ZoneInfo) -> list[date]:
    """Every local day from the first to the last value of ``column`` in the workspace."""
    table = column.table
    first, last = conn.execute(
        select(func.min(column), func.max(column)).where(table.c.workspace_id == workspace_id)
    ).one()
    if first is None:
        return []
    if isinstance(first, str):  # SQLite hands aggregates of a DATETIME back as text
        first, last = (datetime.fromisoformat(v).replace(tzinfo=UTC) for v in (first, last))
    day, end = first.astimezone(zone).date(), last.astimezone(zone).date()
    return [day + timedelta(days=i) for i in range((end - day).days + 1)]


# -- keeping them up to date --------------------------------------------------------------------


@dataclass(slots=True)
class Touched:
    """What one commit's events changed in one workspace."""

    cases: set[int] = field(default_factory=set)
    new_posts: set[int] = field(default_factory=set)
    relabelled_posts: set[int] = field(default_factory=set)
    released_agents: set[int] = field(default_factory=set)


def update_rollups(uow: UnitOfWork, workspace: Workspace, touched: Touched) -> None:
    """Bring the rollups of ``workspace`` in line with what ``touched`` names, in the change's
    own transaction; nothing while they are unbuilt (the rebuild reads everything)."""
    conn = uow.connection
    settings = load_desk_settings(uow, workspace)
    if not is_built(conn, workspace.id, settings, lock=True):
        return
    zone = ZoneInfo(settings.time_zone)
    f = tr.report_case_facts.c
    cases = set(touched.cases)
    if touched.released_agents:
        cases |= set(
            conn.execute(
                select(f.case_id).where(
                    f.workspace_id == workspace.id, f.assignee_id.in_(touched.released_agents)
                )
            ).scalars()
        )
    if touched.relabelled_posts:
        po = t.posts.c
        rows = list(
            conn.execute(
                select(po.created_at, po.case_id).where(po.id.in_(touched.relabelled_posts))
            )
        )
        cases |= {r.case_id for r in rows if r.case_id is not None}
        _recount_post_days(
            conn, workspace.id, {r.created_at.astimezone(zone).date() for r in rows}, zone
        )
    new_posts = touched.new_posts - touched.relabelled_posts
    if new_posts:
        _count_new_posts(conn, workspace.id, sorted(new_posts), zone)
    if not cases:
        return
    ids = sorted(cases)
    days: set[date] = set()
    for at in range(0, len(ids), CHUNK):
        days |= set(
            conn.execute(select(f.day).where(f.case_id.in_(ids[at : at + CHUNK]))).scalars()
        )
    facts = _fact_rows(conn, workspace.id, ids, settings)
    _write_facts(conn, workspace.id, facts)
    days |= {row["day"] for row in facts}
    _summarise_days(conn, workspace.id, days)
    r = t.replies.c
    reply_days: set[date] = set()
    for at in range(0, len(ids), CHUNK):
        reply_days |= {
            at_.astimezone(zone).date()
            for at_ in conn.execute(
                select(r.created_at).where(r.case_id.in_(ids[at : at + CHUNK]))
            ).scalars()
        }
    _recount_reply_days(conn, workspace.id, reply_days, zone)


def rebuild(uow: UnitOfWork, workspace: Workspace, *, now: datetime) -> int:
    """Every rollup of ``workspace`` from its rows, for its current zone and calendar; returns
    how many cases it holds. Runs in the caller's transaction."""
    conn = uow.connection
    settings = load_desk_settings(uow, workspace)
    zone = ZoneInfo(settings.time_zone)
    ws = workspace.id
    mark_unbuilt(conn, ws)  # and hold the state row: updates beside the rebuild wait for it
    for table in (
        tr.report_case_facts,
        tr.report_case_days,
        tr.report_post_days,
        tr.report_reply_days,
    ):
        conn.execute(delete(table).where(table.c.workspace_id == ws))
    facts = _fact_rows(conn, ws, None, settings)
    for at in range(0, len(facts), 5000):
        conn.execute(insert(tr.report_case_facts), facts[at : at + 5000])
    _summarise_days(conn, ws, None)
    _recount_post_days(conn, ws, _days_between(conn, t.posts.c.created_at, ws, zone), zone)
    _recount_reply_days(conn, ws, _days_between(conn, t.replies.c.created_at, ws, zone), zone)
    state = {"time_zone": settings.time_zone, "calendar": calendar_key(settings), "built_at": now}
    s = tr.report_rollup_state.c
    if not conn.execute(
        update(tr.report_rollup_state).where(s.workspace_id == ws).values(**state)
    ).rowcount:
        conn.execute(insert(tr.report_rollup_state).values(workspace_id=ws, **state))
    return len(facts)


def touched_by(uow: UnitOfWork, events: Iterable[Event]) -> dict[int, Touched]:
    """What each workspace's events changed that a report counts."""
    out: dict[int, Touched] = defaultdict(Touched)
    for event in events:
        touched = out[event.workspace_id]  # type: ignore[attr-defined]
        match event:
            case PostReceived(post_id=post_id, case_id=case_id):
                touched.new_posts.add(post_id)
                if case_id is not None:
                    touched.cases.add(case_id)
            case CasesMerged(case_id=kept, merged_case_id=merged):
                touched.cases |= {kept, merged}
            case CaseSplit(case_id=old, new_case_id=new):
                touched.cases |= {old, new}
            case ReplyDelivered(workspace_id=ws, reply_id=reply_id):
                reply = uow.replies.get(ws, reply_id)
                if reply is not None:
                    touched.cases.add(reply.case_id)
            case LabelCorrected(post_id=post_id, case_id=case_id):
                touched.relabelled_posts.add(post_id)
                if case_id is not None:
                    touched.cases.add(case_id)
            case MemberRemoved(user_id=user_id):
                touched.released_agents.add(user_id)
            case _:
                touched.cases.add(event.case_id)  # type: ignore[attr-defined]
    return out


def do_rebuild_rollups(uow: UnitOfWork, actor: Actor, *, now: datetime) -> int:
    """Rebuild the workspace's rollups now (an owner's or admin's repair; the handlers keep
    them current otherwise); how many cases they hold."""
    actor.require_settings()
    cases = rebuild(uow, actor.workspace, now=now)
    uow.commit()
    return cases
