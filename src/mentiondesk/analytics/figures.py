"""What a report holds, as plain values, and the tables it is exported as.

Every figure that a chart shows is also a row of one of :func:`Report.tables`, so the page's
tables, the CSV and XLSX files, the API and the CLI all print the same numbers. Durations are
seconds; "business" durations count only the workspace's open hours (holidays closed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mentiondesk.analytics.periods import Period, ReportFilter
from mentiondesk.desk.listening_report import KindRate

__all__ = [
    "AgencyReport",
    "AgencyRow",
    "AgentRow",
    "BacklogBand",
    "Report",
    "SlaFigure",
    "Table",
    "TimeFigure",
    "VolumePoint",
]


@dataclass(frozen=True, slots=True)
class VolumePoint:
    label: str  # the local day or hour
    start: datetime
    posts: int
    negative: int
    neutral: int
    positive: int
    unlabelled: int


@dataclass(frozen=True, slots=True)
class TimeFigure:
    """One duration (first response or resolution) on one clock, now and before."""

    metric: str
    clock: str  # "business" or "calendar"
    cases: int
    median_s: float | None
    p90_s: float | None
    previous_cases: int | None = None
    previous_median_s: float | None = None
    previous_p90_s: float | None = None


@dataclass(frozen=True, slots=True)
class SlaFigure:
    metric: str
    target_s: float
    cases: int
    breached: int
    previous_compliance: float | None = None

    @property
    def compliance(self) -> float | None:
        """Share of cases without a recorded breach of this metric."""
        return (self.cases - self.breached) / self.cases if self.cases else None


@dataclass(frozen=True, slots=True)
class BacklogBand:
    label: str
    min_s: float
    max_s: float | None
    cases: int


@dataclass(frozen=True, slots=True)
class AgentRow:
    user_id: int
    name: str
    cases: int  # cases opened in the period and assigned to the agent now
    resolved: int
    replies: int  # replies the agent sent in the period
    median_first_response_business_s: float | None
    median_resolution_business_s: float | None


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


@dataclass(slots=True)
class Report:
    workspace_slug: str
    workspace_name: str
    period: Period
    comparison: Period | None
    filters: ReportFilter
    generated_at: datetime
    posts: int
    previous_posts: int | None
    cases: int
    previous_cases: int | None
    volume: list[VolumePoint]
    times: list[TimeFigure]
    sla: list[SlaFigure]
    answers: list[KindRate]  # tagged / untagged first, then per mention kind
    backlog: list[BacklogBand]
    agents: list[AgentRow]
    choices: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def backlog_total(self) -> int:
        return sum(band.cases for band in self.backlog)

    def tables(self) -> list[Table]:
        return [
            Table(
                "volume",
                "Volume and sentiment",
                ("bucket", "posts", "negative", "neutral", "positive", "unlabelled"),
                [
                    (v.label, v.posts, v.negative, v.neutral, v.positive, v.unlabelled)
                    for v in self.volume
                ],
            ),
            Table(
                "times",
                "First response and resolution times",
                (
                    "metric",
                    "clock",
                    "cases",
                    "median_s",
                    "p90_s",
                    "previous_cases",
                    "previous_median_s",
                    "previous_p90_s",
                ),
                [
                    (
                        f.metric,
                        f.clock,
                        f.cases,
                        f.median_s,
                        f.p90_s,
                        f.previous_cases,
                        f.previous_median_s,
                        f.previous_p90_s,
                    )
                    for f in self.times
                ],
            ),
            Table(
                "sla",
                "SLA compliance",
                ("metric", "target_s", "cases", "breached", "compliance", "previous_compliance"),
                [
                    (
                        s.metric,
                        s.target_s,
                        s.cases,
                        s.breached,
                        _rate(s.compliance),
                        _rate(s.previous_compliance),
                    )
                    for s in self.sla
                ],
            ),
            Table(
                "answers",
                "Answer rate, tagged and untagged",
                ("group", "cases", "answered", "answer_rate", "median_first_response_s"),
                [
                    (a.kind, a.cases, a.answered, _rate(a.answer_rate), a.median_first_response_s)
                    for a in self.answers
                ],
            ),
            Table(
                "backlog",
                "Backlog by age",
                ("age", "min_s", "max_s", "cases"),
                [(b.label, b.min_s, b.max_s, b.cases) for b in self.backlog],
            ),
            Table(
                "agents",
                "Workload per agent",
                (
                    "agent",
                    "user_id",
                    "cases",
                    "resolved",
                    "replies",
                    "median_first_response_business_s",
                    "median_resolution_business_s",
                ),
                [
                    (
                        a.name,
                        a.user_id,
                        a.cases,
                        a.resolved,
                        a.replies,
                        a.median_first_response_business_s,
                        a.median_resolution_business_s,
                    )
                    for a in self.agents
                ],
            ),
        ]

    def table(self, name: str) -> Table | None:
        return next((table for table in self.tables() if table.name == name), None)

    def to_json(self) -> dict[str, Any]:
        """Everything as JSON-ready values: the period, the filters, and each table's rows."""
        return {
            "workspace": {"slug": self.workspace_slug, "name": self.workspace_name},
            "time_zone": self.period.time_zone,
            "period": _period_json(self.period),
            "comparison": _period_json(self.comparison) if self.comparison else None,
            "filters": self.filters.as_dict(),
            "generated_at": self.generated_at.isoformat(),
            "summary": {
                "posts": self.posts,
                "previous_posts": self.previous_posts,
                "cases": self.cases,
                "previous_cases": self.previous_cases,
                "backlog": self.backlog_total,
            },
            **{table.name: table.as_dicts() for table in self.tables()},
        }


def _period_json(period: Period) -> dict[str, Any]:
    return {
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "bucket": period.bucketing.value,
    }


@dataclass(frozen=True, slots=True)
class AgencyRow:
    slug: str
    name: str
    posts: int
    cases: int
    answered: int
    median_first_response_business_s: float | None
    median_first_response_calendar_s: float | None
    median_resolution_business_s: float | None
    median_resolution_calendar_s: float | None
    backlog: int

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.cases if self.cases else None


@dataclass(slots=True)
class AgencyReport:
    """One row per workspace the user belongs to, each over its own local dates."""

    first: str
    last: str
    rows: list[AgencyRow]
    generated_at: datetime

    def table(self) -> Table:
        columns = (
            "workspace",
            "name",
            "posts",
            "cases",
            "answered",
            "answer_rate",
            "median_first_response_business_s",
            "median_first_response_calendar_s",
            "median_resolution_business_s",
            "median_resolution_calendar_s",
            "backlog",
        )
        rows = [
            (
                r.slug,
                r.name,
                r.posts,
                r.cases,
                r.answered,
                _rate(r.answer_rate),
                r.median_first_response_business_s,
                r.median_first_response_calendar_s,
                r.median_resolution_business_s,
                r.median_resolution_calendar_s,
                r.backlog,
            )
            for r in self.rows
        ]
        return Table("workspaces", "Workspaces", columns, rows)

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.first,
            "to": self.last,
            "generated_at": self.generated_at.isoformat(),
            "workspaces": self.table().as_dicts(),
        }
