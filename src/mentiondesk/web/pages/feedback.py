"""The reports' Feedback and Opportunities tabs, and their CSV and XLSX downloads. The
figures come from the same services as ``/api/v1/workspaces/{slug}/reports/feedback`` and
``…/reports/opportunities``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from mentiondesk.analytics.feedback import FeedbackReport
from mentiondesk.analytics.opportunities import LABELS, OpportunityKind
from mentiondesk.domain.posts import Platform
from mentiondesk.web.api.feedback import Kind, MinFollowers, build_feedback, build_opportunities
from mentiondesk.web.api.reports import ReportQuery, ReportQueryDep, file_response
from mentiondesk.web.deps import ActorDep, ServicesDep, SessionDep
from mentiondesk.web.rendering import render

router = APIRouter()


def _query_string(q: ReportQuery, **more: str | None) -> str:
    pairs = {
        "from": q.first,
        "to": q.last,
        "compare": q.compare,
        "platform": q.platform,
        "language": q.language,
        **more,
    }
    return urlencode({k: v for k, v in pairs.items() if v})


def _chart(report: FeedbackReport) -> dict[str, Any]:
    """The topics as bars, now and before (static/reports.js draws them)."""
    shown = report.topics[:12]
    series: dict[str, list[int | None]] = {"this period": [t.posts for t in shown]}
    if report.comparison is not None and report.previous_complaints:
        series["comparison period"] = [t.previous_posts for t in shown]
    return {"topics": {"labels": [t.label for t in shown], "unit": "posts", "series": series}}


def _context(request: Request, services: ServicesDep, session: SessionDep) -> dict[str, Any]:
    with services.uow() as uow:
        memberships = uow.workspaces.for_user(session.user.id)
    return {"session": session, "memberships": memberships}


@router.get("/w/{slug}/reports/feedback")
def feedback_page(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: ActorDep,
    q: ReportQueryDep,
) -> Response:
    report = build_feedback(services, actor, q)
    context = _context(request, services, session) | {
        "actor": actor,
        "report": report,
        "q": q,
        "query": _query_string(q),
        "platforms": [p.value for p in Platform],
        "charts": _chart(report),
        "tab": "feedback",
    }
    return render(request, "reports_feedback.html", context)


@router.get("/w/{slug}/reports/feedback/export.{fmt}")
def feedback_export(
    services: ServicesDep, actor: ActorDep, q: ReportQueryDep, fmt: str
) -> Response:
    report = build_feedback(services, actor, q)
    p = report.period
    stem = f"{report.workspace_slug}-feedback-{p.first}-{p.last}"
    return file_response(report.tables(), fmt, stem)


@router.get("/w/{slug}/reports/opportunities")
def opportunities_page(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: ActorDep,
    q: ReportQueryDep,
    kind: Kind = None,
    min_followers: MinFollowers = None,
) -> Response:
    report = build_opportunities(services, actor, q, kind, min_followers)
    context = _context(request, services, session) | {
        "actor": actor,
        "report": report,
        "q": q,
        "query": _query_string(
            q, kind=kind, min_followers=str(report.min_followers) if min_followers else None
        ),
        "platforms": [p.value for p in Platform],
        "kinds": [(k.value, LABELS[k]) for k in OpportunityKind],
        "labels": {k.value: LABELS[k] for k in OpportunityKind},
        "tab": "opportunities",
    }
    return render(request, "reports_opportunities.html", context)


@router.get("/w/{slug}/reports/opportunities/export.{fmt}")
def opportunities_export(
    services: ServicesDep,
    actor: ActorDep,
    q: ReportQueryDep,
    fmt: str,
    kind: Kind = None,
    min_followers: MinFollowers = None,
) -> Response:
    report = build_opportunities(services, actor, q, kind, min_followers)
    p = report.period
    stem = f"{report.workspace_slug}-opportunities-{p.first}-{p.last}"
    return file_response(report.tables(), fmt, stem)
