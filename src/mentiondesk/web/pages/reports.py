"""The reports pages: one workspace's figures with charts and tables, their CSV and XLSX
downloads, and the agency view. The figures come from the same service as the API."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from mentiondesk.analytics.figures import Report
from mentiondesk.domain.errors import NotFound
from mentiondesk.web.api.reports import (
    ReportQuery,
    ReportQueryDep,
    build_agency,
    build_report,
    file_response,
    file_stem,
)
from mentiondesk.web.deps import ActorDep, ServicesDep, SessionDep
from mentiondesk.web.rendering import render

router = APIRouter()


def _query_string(q: ReportQuery) -> str:
    """The filters as they came, for export links that repeat them."""
    pairs = {
        "from": q.first,
        "to": q.last,
        "compare": q.compare,
        "platform": q.platform,
        "language": q.language,
        "agent": q.agent,
        "team": q.team,
        "kind": q.kind,
    }
    return urlencode({k: v for k, v in pairs.items() if v})


def _chart_data(report: Report) -> dict[str, Any]:
    """What static/reports.js draws: one entry per chart, values by series."""
    return {
        "volume": {
            "labels": [v.label for v in report.volume],
            "x": [v.start.timestamp() for v in report.volume],
            "series": {
                "negative": [v.negative for v in report.volume],
                "neutral": [v.neutral for v in report.volume],
                "positive": [v.positive for v in report.volume],
                "unlabelled": [v.unlabelled for v in report.volume],
                "all posts": [v.posts for v in report.volume],
            },
            "time_zone": report.period.time_zone,
            "hourly": report.period.bucketing.value == "hour",
        },
        "times": {
            "labels": [
                f"{'1st reply' if f.metric == 'first_response' else 'resolved'}\n{f.clock}"
                for f in report.times
            ],
            "unit": "hours",
            "series": {
                "median": [_hours(f.median_s) for f in report.times],
                "p90": [_hours(f.p90_s) for f in report.times],
            },
        },
        "sla": {
            "labels": [s.metric.replace("_", " ") for s in report.sla],
            "unit": "%",
            "series": {
                "compliance": [_pct(s.compliance) for s in report.sla],
                "previous period": [_pct(s.previous_compliance) for s in report.sla],
            },
        },
        "answers": {
            "labels": [a.kind for a in report.answers],
            "unit": "%",
            "series": {"answer rate": [_pct(a.answer_rate) for a in report.answers]},
        },
        "backlog": {
            "labels": [b.label for b in report.backlog],
            "unit": "cases",
            "series": {"open cases": [b.cases for b in report.backlog]},
        },
        "agents": {
            "labels": [a.name for a in report.agents],
            "unit": "count",
            "series": {
                "cases": [a.cases for a in report.agents],
                "replies": [a.replies for a in report.agents],
            },
        },
    }


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 2)


def _pct(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


@router.get("/w/{slug}/reports")
def reports_page(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: ActorDep,
    q: ReportQueryDep,
) -> Response:
    report = build_report(services, actor, q)
    with services.uow() as uow:
        memberships = uow.workspaces.for_user(session.user.id)
    context = {
        "session": session,
        "actor": actor,
        "memberships": memberships,
        "report": report,
        "q": q,
        "query": _query_string(q),
        "charts": _chart_data(report),
        "times": {(f.metric, f.clock): f for f in report.times},
    }
    return render(request, "reports.html", context)


@router.get("/w/{slug}/reports/export.{fmt}")
def reports_export(
    services: ServicesDep, actor: ActorDep, q: ReportQueryDep, fmt: str, table: str = ""
) -> Response:
    """All tables (XLSX: a sheet each) or, with ``table=``, one."""
    report = build_report(services, actor, q)
    tables = report.tables()
    if table:
        found = report.table(table)
        if found is None:
            raise NotFound(f"no report table '{table}'")
        tables = [found]
    return file_response(tables, fmt, file_stem(report, table or "report"))


@router.get("/reports")
def agency_page(
    request: Request, services: ServicesDep, session: SessionDep, q: ReportQueryDep
) -> Response:
    agency = build_agency(services, session.user, q)
    with services.uow() as uow:
        memberships = uow.workspaces.for_user(session.user.id)
    context = {
        "session": session,
        "actor": None,
        "memberships": memberships,
        "agency": agency,
        "q": q,
        "query": _query_string(q),
        "charts": {
            "workspaces": {
                "labels": [r.name for r in agency.rows],
                "unit": "count",
                "series": {
                    "posts": [r.posts for r in agency.rows],
                    "cases": [r.cases for r in agency.rows],
                },
            }
        },
    }
    return render(request, "reports_agency.html", context)
