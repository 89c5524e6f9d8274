"""API v1 feedback and opportunities: the product team's complaint topics and the posts
worth a reply that nobody asked for. Any member may read, viewers included; the query
string is the reports' (``from``, ``to``, ``compare``, ``platform``, ``language``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from mentiondesk.analytics.feedback import FeedbackReport, feedback_report
from mentiondesk.analytics.figures import Table
from mentiondesk.analytics.opportunities import (
    OpportunityReport,
    opportunity_report,
    parse_kind,
    parse_min_followers,
)
from mentiondesk.analytics.periods import (
    ReportFilter,
    parse_compare,
    parse_filters,
    parse_range,
)
from mentiondesk.desk.access import Actor
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.web.api.reports import PLATFORMS, ReportQuery, ReportQueryDep, file_response
from mentiondesk.web.deps import ActorDep, ServicesDep

router = APIRouter(tags=["reports"])

Format = Annotated[str, Query(description="json, csv or xlsx")]
Kind = Annotated[str | None, Query(description="thank_you, recommendation or reach")]
MinFollowers = Annotated[
    str | None, Query(description="Followers from which an author counts as large reach")
]


def _range_and_filters(
    services: ServicesDep, actor: Actor, q: ReportQuery
) -> tuple[datetime, date, date, ReportFilter]:
    """Now, the local days asked for, and the filters that apply to posts (channel, language)."""
    now = services.clock.now()
    today = now.astimezone(ZoneInfo(actor.workspace.time_zone)).date()
    first, last = parse_range(q.first, q.last, today)
    for field, value in (("agent", q.agent), ("team", q.team)):
        if value and value.strip():
            raise InvalidInput(field, "this report filters by channel and language only")
    filters = parse_filters(platform=q.platform, language=q.language, platforms=PLATFORMS)
    return now, first, last, filters


def build_feedback(services: ServicesDep, actor: Actor, q: ReportQuery) -> FeedbackReport:
    now, first, last, filters = _range_and_filters(services, actor, q)
    with services.uow() as uow:
        return feedback_report(
            uow, actor, first, last, now=now, compare=parse_compare(q.compare), filters=filters
        )


def build_opportunities(
    services: ServicesDep,
    actor: Actor,
    q: ReportQuery,
    kind: str | None,
    min_followers: str | None,
) -> OpportunityReport:
    now, first, last, filters = _range_and_filters(services, actor, q)
    parse_compare(q.compare)  # not used here, but a wrong value is still refused
    chosen, threshold = parse_kind(kind), parse_min_followers(min_followers)
    with services.uow() as uow:
        return opportunity_report(
            uow,
            actor,
            first,
            last,
            now=now,
            kind=chosen,
            min_followers=threshold,
            filters=filters,
        )


def stem(slug: str, name: str, first: object, last: object) -> str:
    return f"{slug}-{name}-{first}-{last}"


def _respond(body: dict[str, Any], tables: list[Table], fmt: str, name: str) -> Response:
    if fmt == "json":
        return JSONResponse(body)
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput("format", f"expected json, csv or xlsx, got {fmt!r}")
    return file_response(tables, fmt, name)


@router.get("/api/v1/workspaces/{slug}/reports/feedback")
def feedback(
    services: ServicesDep, actor: ActorDep, q: ReportQueryDep, format: Format = "json"
) -> Response:
    """Complaint topics of the period: count, share, change against the comparison period,
    trend (new, rising, falling, steady), sentiment, languages and example posts with links
    to their cases. CSV and XLSX hold the topics and the examples."""
    built = build_feedback(services, actor, q)
    p = built.period
    name = stem(built.workspace_slug, "feedback", p.first, p.last)
    return _respond(built.to_json(), built.tables(), format, name)


@router.get("/api/v1/workspaces/{slug}/reports/opportunities")
def opportunities(
    services: ServicesDep,
    actor: ActorDep,
    q: ReportQueryDep,
    kind: Kind = None,
    min_followers: MinFollowers = None,
    format: Format = "json",
) -> Response:
    """Posts worth a reply nobody asked for: untagged praise (thank_you), people asking which
    product to choose (recommendation), authors with many followers (reach)."""
    built = build_opportunities(services, actor, q, kind, min_followers)
    p = built.period
    name = stem(built.workspace_slug, "opportunities", p.first, p.last)
    return _respond(built.to_json(), built.tables(), format, name)
