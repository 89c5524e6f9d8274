"""Reports of one workspace, and the agency view across a user's workspaces.

Any member may read a workspace's reports, viewers (the brand's client) included. Times are
measured from a case's opening to its first response (``cases.first_response_at``, as the
answer-rate report does) and to its resolution (cases resolved now), on two clocks: calendar
time, and business time over the workspace's hours and holidays without pauses. SLA
compliance is read from the breaches the SLA sweep recorded, so it follows the clocks' own
rules (pauses while waiting for the customer).

Where the workspace's rollups are built (``rollups.py``) the figures come from them, else from
the raw rows; both give the same numbers (tests/integration/test_reports_recomputed.py).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np

from mentiondesk.analytics.business import Floats, OpenTime, percentile, percentiles
from mentiondesk.analytics.figures import (
    AgencyReport,
    AgencyRow,
    AgentRow,
    BacklogBand,
    Report,
    SlaFigure,
    TimeFigure,
    VolumePoint,
)
from mentiondesk.analytics.periods import (
    Compare,
    Period,
    ReportFilter,
    buckets,
    comparison_period,
)
from mentiondesk.analytics.queries import KIND_CODES, UNKNOWN_KIND, CaseRows, ReportQueries
from mentiondesk.analytics.rollup_reads import CaseGroup, FactRows, RollupReads
from mentiondesk.analytics.rollups import ALL, is_built
from mentiondesk.desk.access import Actor
from mentiondesk.desk.calendars import holiday_dates
from mentiondesk.desk.listening_report import KindRate
from mentiondesk.desk.sla_settings import load_desk_settings
from mentiondesk.domain.desk_settings import DeskSettings
from mentiondesk.domain.posts import MentionKind, Platform
from mentiondesk.domain.sla import SlaMetric
from mentiondesk.domain.workspaces import User, Workspace
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["BACKLOG_BANDS", "agency_report", "workspace_report"]

HOUR, DAY = 3600.0, 86400.0
BACKLOG_BANDS: tuple[tuple[str, float, float | None], ...] = (
    ("under 1 h", 0.0, HOUR),
    ("1–4 h", HOUR, 4 * HOUR),
    ("4–24 h", 4 * HOUR, DAY),
    ("1–3 days", DAY, 3 * DAY),
    ("3–7 days", 3 * DAY, 7 * DAY),
    ("over 7 days", 7 * DAY, None),
)
SENTIMENTS = ("negative", "neutral", "positive")


@dataclass(frozen=True, slots=True)
class _Durations:
    """Per measured case: calendar and business seconds to first response and resolution."""

    first_response_calendar: Floats
    first_response_business: Floats
    resolution_calendar: Floats
    resolution_business: Floats


def _durations(rows: CaseRows, clock: OpenTime) -> _Durations:
    fr = ~np.isnan(rows.first_response)
    rs = ~np.isnan(rows.resolved)
    return _Durations(
        np.maximum(rows.first_response[fr] - rows.opened[fr], 0.0),
        clock.between(rows.opened[fr], rows.first_response[fr]),
        np.maximum(rows.resolved[rs] - rows.opened[rs], 0.0),
        clock.between(rows.opened[rs], rows.resolved[rs]),
    )


def _median(values: Floats) -> float | None:
    return percentile(values, 50)


def _open_time(settings: DeskSettings, start: datetime, end: datetime) -> OpenTime:
    closed = holiday_dates(settings.holiday_countries, range(start.year - 1, end.year + 2))
    return OpenTime(settings.calendar(closed), start, end)


def _volume(queries: ReportQueries, period: Period) -> list[VolumePoint]:
    slots = buckets(period)
    zone = period.zone
    minutes = any(
        (offset := b.start.astimezone(zone).utcoffset()) is not None
        and offset.total_seconds() % 3600
        for b in slots
    )
    starts = [b.start for b in slots]
    counts = [dict.fromkeys((*SENTIMENTS, None), 0) for _ in slots]
    for at, sentiment, n in queries.post_counts(period.start, period.end, minutes=minutes):
        i = bisect_right(starts, at) - 1
        key = sentiment if sentiment in SENTIMENTS else None
        counts[i][key] += n
    return [
        VolumePoint(
            b.label,
            b.start,
            sum(c.values()),
            c["negative"],
            c["neutral"],
            c["positive"],
            c[None],
        )
        for b, c in zip(slots, counts, strict=True)
    ]


def _times(now: _Durations, before: _Durations | None) -> list[TimeFigure]:
    figures = []
    for metric, clock, attr in (
        ("first_response", "business", "first_response_business"),
        ("first_response", "calendar", "first_response_calendar"),
        ("resolution", "business", "resolution_business"),
        ("resolution", "calendar", "resolution_calendar"),
    ):
        values: Floats = getattr(now, attr)
        old: Floats | None = getattr(before, attr) if before is not None else None
        median, p90 = percentiles(values, (50, 90))
        old_median, old_p90 = percentiles(old, (50, 90)) if old is not None else (None, None)
        figures.append(
            TimeFigure(
                metric,
                clock,
                len(values),
                median,
                p90,
                None if old is None else len(old),
                old_median,
                old_p90,
            )
        )
    return figures


def _sla(
    settings: DeskSettings,
    rows: CaseRows,
    breaches: dict[str, int],
    previous: tuple[CaseRows, dict[str, int]] | None,
) -> list[SlaFigure]:
    figures = []
    for metric in SlaMetric:
        target = settings.sla.target(metric)
        if target is None:
            continue
        before = None
        if previous is not None and len(previous[0]):
            old = len(previous[0])
            before = (old - previous[1].get(metric.value, 0)) / old
        figures.append(
            SlaFigure(metric.value, target, len(rows), breaches.get(metric.value, 0), before)
        )
    return figures


def _answers(rows: CaseRows) -> list[KindRate]:
    """Answer rate for tagged and untagged cases, then per mention kind (as the listening
    report defines it: answered once a reply was sent; median time to first response)."""
    groups: list[tuple[str, np.ndarray]] = [("tagged", rows.tagged), ("untagged", ~rows.tagged)]
    groups += [(kind, rows.kinds == code) for code, kind in enumerate(KIND_CODES)]
    if not (rows.kinds == KIND_CODES.index(UNKNOWN_KIND)).any():
        groups.pop()  # "unknown" only when some cases have no kind
    out = []
    for name, selected in groups:
        mask = np.asarray(selected, dtype=np.bool_)
        answered = mask & rows.answered
        waits_mask = answered & ~np.isnan(rows.first_response)
        waits = rows.first_response[waits_mask] - rows.opened[waits_mask]
        out.append(KindRate(name, int(mask.sum()), int(answered.sum()), _median(waits)))
    return out


def _backlog(opened: Floats, now: datetime) -> list[BacklogBand]:
    ages = now.timestamp() - opened
    return [
        BacklogBand(
            label,
            lo,
            hi,
            int(((ages >= lo) & (ages < hi)).sum() if hi is not None else (ages >= lo).sum()),
        )
        for label, lo, hi in BACKLOG_BANDS
    ]


def _agents(
    queries: ReportQueries, rows: CaseRows, durations_by: OpenTime, period: Period
) -> list[AgentRow]:
    replies = queries.replies_by_user(period.start, period.end)
    people = sorted(set(rows.assignee.tolist()) - {0} | set(replies))
    names = queries.user_names(people)
    out = []
    for user_id in people:
        mine = rows.where(rows.assignee == user_id)
        d = _durations(mine, durations_by)
        out.append(
            AgentRow(
                user_id,
                names.get(user_id, f"user {user_id}"),
                len(mine),
                int((~np.isnan(mine.resolved)).sum()),
                replies.get(user_id, 0),
                _median(d.first_response_business),
                _median(d.resolution_business),
            )
        )
    return sorted(out, key=lambda a: (-a.cases, -a.replies, a.name))


def _rollups(
    uow: UnitOfWork, workspace: Workspace, settings: DeskSettings, filters: ReportFilter
) -> RollupReads | None:
    """The rollup reads, when the rollups are whole for the workspace's zone and calendar."""
    if not is_built(uow.connection, workspace.id, settings):
        return None
    return RollupReads(uow.connection, workspace.id, filters)


def _group_durations(groups: dict[str, CaseGroup]) -> _Durations:
    every = groups.get(ALL, CaseGroup())
    return _Durations(
        every.values("first_response_s"),
        every.values("first_response_business_s"),
        every.values("resolution_s"),
        every.values("resolution_business_s"),
    )


def _group_sla(
    settings: DeskSettings,
    groups: dict[str, CaseGroup],
    previous: dict[str, CaseGroup] | None,
) -> list[SlaFigure]:
    every = groups.get(ALL, CaseGroup())
    before = None if previous is None else previous.get(ALL, CaseGroup())
    figures = []
    for metric in SlaMetric:
        target = settings.sla.target(metric)
        if target is None:
            continue
        old = None
        if before is not None and before.cases:
            old = (before.cases - before.breached[metric.value]) / before.cases
        figures.append(
            SlaFigure(metric.value, target, every.cases, every.breached[metric.value], old)
        )
    return figures


def _group_answers(groups: dict[str, CaseGroup]) -> list[KindRate]:
    names = ["tagged", "untagged", *(f"kind:{kind}" for kind in KIND_CODES)]
    if not groups.get(f"kind:{UNKNOWN_KIND}", CaseGroup()).cases:
        names.pop()  # "unknown" only when some cases have no kind
    out = []
    for name in names:
        g = groups.get(name, CaseGroup())
        waits = g.values("answered_first_response_s")
        out.append(KindRate(name.removeprefix("kind:"), g.cases, g.answered, _median(waits)))
    return out


def _group_agents(
    queries: ReportQueries, rollups: RollupReads, groups: dict[str, CaseGroup], period: Period
) -> list[AgentRow]:
    replies = rollups.replies_by_user(period)
    assigned = {
        int(name.removeprefix("agent:")): g
        for name, g in groups.items()
        if name.startswith("agent:") and g.cases
    }
    people = sorted(set(assigned) | set(replies))
    names = queries.user_names(people)
    out = []
    for user_id in people:
        g = assigned.get(user_id, CaseGroup())
        out.append(
            AgentRow(
                user_id,
                names.get(user_id, f"user {user_id}"),
                g.cases,
                g.resolved,
                replies.get(user_id, 0),
                _median(g.values("first_response_business_s")),
                _median(g.values("resolution_business_s")),
            )
        )
    return sorted(out, key=lambda a: (-a.cases, -a.replies, a.name))


def _day_volume(rollups: RollupReads, period: Period) -> list[VolumePoint]:
    slots = buckets(period)
    index = {b.label: i for i, b in enumerate(slots)}
    counts = [dict.fromkeys((*SENTIMENTS, None), 0) for _ in slots]
    for day, sentiment, n in rollups.post_days(period):
        key = sentiment if sentiment in SENTIMENTS else None
        counts[index[day.isoformat()]][key] += n
    return [
        VolumePoint(
            b.label, b.start, sum(c.values()), c["negative"], c["neutral"], c["positive"], c[None]
        )
        for b, c in zip(slots, counts, strict=True)
    ]


def _team(queries: ReportQueries, filters: ReportFilter) -> list[int] | None:
    if filters.team is None:
        return None
    return sorted(queries.team_members().get(filters.team, set()))


def _rollup_backlog(
    rollups: RollupReads, team: list[int] | None, now: datetime
) -> tuple[int, list[BacklogBand]]:
    edges = tuple(
        sorted({lo for _, lo, _ in BACKLOG_BANDS} | {hi for *_, hi in BACKLOG_BANDS if hi})
    )
    total, older = rollups.backlog_older_than(now, edges, team)
    at_least = dict(zip(edges, older, strict=True))
    bands = [
        BacklogBand(label, lo, hi, at_least[lo] - (at_least[hi] if hi is not None else 0))
        for label, lo, hi in BACKLOG_BANDS
    ]
    return total, bands


def workspace_report(
    uow: UnitOfWork,
    actor: Actor,
    first: date,
    last: date,
    *,
    now: datetime,
    compare: Compare = Compare.PREVIOUS,
    filters: ReportFilter | None = None,
) -> Report:
    """Every figure of one workspace for local dates ``first``..``last``; any member may."""
    filters = filters or ReportFilter()
    workspace = actor.workspace
    settings = load_desk_settings(uow, workspace)
    period = Period(first, last, settings.time_zone)
    previous = comparison_period(period, compare)
    queries = ReportQueries(uow.connection, workspace.id, filters)
    rollups = _rollups(uow, workspace, settings, filters)
    report = Report(
        workspace_slug=workspace.slug,
        workspace_name=workspace.name,
        period=period,
        comparison=previous,
        filters=filters,
        generated_at=now,
        posts=0,
        previous_posts=None,
        cases=0,
        previous_cases=None,
        volume=[],
        times=[],
        sla=[],
        answers=[],
        backlog=[],
        agents=[],
        choices={
            "platform": [p.value for p in Platform],
            "language": list(workspace.languages),
            "mention_kind": [k.value for k in MentionKind] + [UNKNOWN_KIND],
            "team": sorted(queries.team_members()),
            "agent": [{"id": i, "name": n} for i, n in queries.people()],
        },
    )
    if rollups is not None and rollups.serves_cases:
        groups = rollups.case_groups(period)
        old = rollups.case_groups(previous) if previous is not None else None
        report.cases = groups.get(ALL, CaseGroup()).cases
        report.previous_cases = None if old is None else old.get(ALL, CaseGroup()).cases
        report.times = _times(
            _group_durations(groups), None if old is None else _group_durations(old)
        )
        report.sla = _group_sla(settings, groups, old)
        report.answers = _group_answers(groups)
        report.agents = _group_agents(queries, rollups, groups, period)
    elif rollups is not None:
        _fact_figures(report, queries, rollups, settings)
    else:
        _case_figures(report, queries, settings, now)
    if rollups is not None and rollups.serves_posts(period):
        report.volume = _day_volume(rollups, period)
    else:
        report.volume = _volume(queries, period)
    report.posts = sum(v.posts for v in report.volume)
    if previous is not None:
        report.previous_posts = (
            rollups.post_total(previous)
            if rollups is not None and not filters.needs_case
            else queries.post_total(previous.start, previous.end)
        )
    if rollups is not None:
        report.backlog = _rollup_backlog(rollups, _team(queries, filters), now)[1]
    else:
        report.backlog = _backlog(queries.backlog(), now)
    return report


def _fact_durations(facts: FactRows) -> _Durations:
    rows = facts.rows
    fr = ~np.isnan(rows.first_response)
    rs = ~np.isnan(rows.resolved)
    return _Durations(
        np.maximum(rows.first_response[fr] - rows.opened[fr], 0.0),
        facts.first_response_business[fr],
        np.maximum(rows.resolved[rs] - rows.opened[rs], 0.0),
        facts.resolution_business[rs],
    )


def _fact_figures(
    report: Report, queries: ReportQueries, rollups: RollupReads, settings: DeskSettings
) -> None:
    """The case figures of a filtered report from the per-case facts."""
    period, previous = report.period, report.comparison
    team = _team(queries, report.filters)
    now = rollups.fact_rows(period, team)
    before = rollups.fact_rows(previous, team) if previous is not None else None
    report.cases = len(now.rows)
    report.previous_cases = None if before is None else len(before.rows)
    report.times = _times(_fact_durations(now), None if before is None else _fact_durations(before))
    report.sla = _sla(
        settings, now.rows, now.breached, None if before is None else (before.rows, before.breached)
    )
    report.answers = _answers(now.rows)
    replies = queries.replies_by_user(period.start, period.end)
    people = sorted(set(now.rows.assignee.tolist()) - {0} | set(replies))
    names = queries.user_names(people)
    agents = []
    for user_id in people:
        mine = now.rows.assignee == user_id
        d = _fact_durations(
            FactRows(
                now.rows.where(mine),
                now.first_response_business[mine],
                now.resolution_business[mine],
                {},
            )
        )
        agents.append(
            AgentRow(
                user_id,
                names.get(user_id, f"user {user_id}"),
                int(mine.sum()),
                int((~np.isnan(now.rows.resolved[mine])).sum()),
                replies.get(user_id, 0),
                _median(d.first_response_business),
                _median(d.resolution_business),
            )
        )
    report.agents = sorted(agents, key=lambda a: (-a.cases, -a.replies, a.name))


def _case_figures(
    report: Report, queries: ReportQueries, settings: DeskSettings, now: datetime
) -> None:
    """The case figures from the raw rows: every case of both periods."""
    period, previous = report.period, report.comparison
    earliest = previous.start if previous else period.start
    clock = _open_time(settings, earliest, max(now.astimezone(UTC), period.end))
    rows = queries.cases_opened(period.start, period.end)
    breaches = queries.breaches(period.start, period.end)
    before: tuple[CaseRows, dict[str, int]] | None = None
    if previous is not None:
        before = (
            queries.cases_opened(previous.start, previous.end),
            queries.breaches(previous.start, previous.end),
        )
    report.cases = len(rows)
    report.previous_cases = None if before is None else len(before[0])
    report.times = _times(
        _durations(rows, clock), None if before is None else _durations(before[0], clock)
    )
    report.sla = _sla(settings, rows, breaches, before)
    report.answers = _answers(rows)
    report.agents = _agents(queries, rows, clock, period)


def agency_report(
    uow: UnitOfWork,
    user: User,
    first: date,
    last: date,
    *,
    now: datetime,
    filters: ReportFilter | None = None,
) -> AgencyReport:
    """Headline figures of every workspace ``user`` belongs to, each over its own local days
    ``first``..``last``; agent and team filters do not apply across workspaces."""
    filters = filters or ReportFilter()
    shared = ReportFilter(filters.platform, filters.language, None, None, filters.mention_kind)
    rows = [
        _agency_row(uow, ws, first, last, now, shared) for ws, _ in uow.workspaces.for_user(user.id)
    ]
    return AgencyReport(first.isoformat(), last.isoformat(), rows, now)


def _agency_row(
    uow: UnitOfWork,
    workspace: Workspace,
    first: date,
    last: date,
    now: datetime,
    filters: ReportFilter,
) -> AgencyRow:
    settings = load_desk_settings(uow, workspace)
    period = Period(first, last, settings.time_zone)
    queries = ReportQueries(uow.connection, workspace.id, filters)
    rollups = _rollups(uow, workspace, settings, filters)
    if rollups is not None and rollups.serves_cases:
        every = rollups.case_groups(period, only_all=True).get(ALL, CaseGroup())
        d = _group_durations({ALL: every})
        cases, answered = every.cases, every.answered
    elif rollups is not None:
        facts = rollups.fact_rows(period, None)
        d = _fact_durations(facts)
        cases, answered = len(facts.rows), int(facts.rows.answered.sum())
    else:
        rows = queries.cases_opened(period.start, period.end)
        d = _durations(rows, _open_time(settings, period.start, max(now, period.end)))
        cases, answered = len(rows), int(rows.answered.sum())
    if rollups is not None and not filters.needs_case:
        posts = rollups.post_total(period)
    else:
        posts = queries.post_total(period.start, period.end)
    backlog = (
        rollups.backlog_older_than(now, (), None)[0]
        if rollups is not None
        else len(queries.backlog())
    )
    return AgencyRow(
        workspace.slug,
        workspace.name,
        posts,
        cases,
        answered,
        _median(d.first_response_business),
        _median(d.first_response_calendar),
        _median(d.resolution_business),
        _median(d.resolution_calendar),
        backlog,
    )
