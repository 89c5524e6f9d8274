"""API v1 reports: the figures of a workspace's reports page, one table of them, an export,
and the agency view across the caller's workspaces. Any member may read, viewers included."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

from mentiondesk.analytics.export import to_csv, to_xlsx
from mentiondesk.analytics.figures import AgencyReport, Report, Table
from mentiondesk.analytics.periods import parse_compare, parse_filters, parse_range
from mentiondesk.analytics.service import agency_report, workspace_report
from mentiondesk.desk.access import Actor
from mentiondesk.domain.errors import InvalidInput, NotFound
from mentiondesk.domain.posts import MentionKind, Platform
from mentiondesk.domain.workspaces import User
from mentiondesk.web.deps import ActorDep, ServicesDep, SessionDep

router = APIRouter(tags=["reports"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = (*(k.value for k in MentionKind), "unknown")
PLATFORMS = tuple(p.value for p in Platform)


@dataclass(frozen=True, slots=True)
class ReportQuery:
    """The query string every report URL takes (the page's filter form sends the same)."""

    first: str | None = None
    last: str | None = None
    compare: str | None = None
    platform: str | None = None
    language: str | None = None
    agent: str | None = None
    team: str | None = None
    kind: str | None = None


def report_query(
    first: Annotated[
        str | None, Query(alias="from", description="First local day, YYYY-MM-DD")
    ] = None,
    last: Annotated[str | None, Query(alias="to", description="Last local day, YYYY-MM-DD")] = None,
    compare: Annotated[str | None, Query(description="previous, year or none")] = None,
    platform: Annotated[str | None, Query(description="Channel, e.g. x")] = None,
    language: Annotated[str | None, Query(description="Language code, e.g. pl")] = None,
    agent: Annotated[str | None, Query(description="User id of the assignee")] = None,
    team: Annotated[str | None, Query(description="Team of the assignee")] = None,
    kind: Annotated[str | None, Query(description="Mention kind: " + ", ".join(KINDS))] = None,
) -> ReportQuery:
    return ReportQuery(first, last, compare, platform, language, agent, team, kind)


ReportQueryDep = Annotated[ReportQuery, Depends(report_query)]


def _agent(value: str | None) -> int | None:
    if not value or not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise InvalidInput("agent", f"expected a user id, got {value!r}") from None


def build_report(services: ServicesDep, actor: Actor, q: ReportQuery) -> Report:
    now = services.clock.now()
    today = now.astimezone(ZoneInfo(actor.workspace.time_zone)).date()
    first, last = parse_range(q.first, q.last, today)
    filters = parse_filters(
        platform=q.platform,
        language=q.language,
        agent=_agent(q.agent),
        team=q.team,
        kind=q.kind,
        platforms=PLATFORMS,
        kinds=KINDS,
    )
    with services.uow() as uow:
        return workspace_report(
            uow, actor, first, last, now=now, compare=parse_compare(q.compare), filters=filters
        )


def build_agency(services: ServicesDep, user: User, q: ReportQuery) -> AgencyReport:
    now = services.clock.now()
    first, last = parse_range(q.first, q.last, now.date())
    filters = parse_filters(
        platform=q.platform, language=q.language, kind=q.kind, platforms=PLATFORMS, kinds=KINDS
    )
    with services.uow() as uow:
        return agency_report(uow, user, first, last, now=now, filters=filters)


def file_response(tables: list[Table], fmt: str, stem: str) -> Response:
    """``csv`` or ``xlsx`` as a download named ``stem``."""
    if fmt == "csv":
        return Response(
            to_csv(tables),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{stem}.csv"'},
        )
    if fmt == "xlsx":
        return Response(
            to_xlsx(tables),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"'},
        )
    raise InvalidInput("format", f"expected json, csv or xlsx, got {fmt!r}")


def file_stem(report: Report, name: str = "report") -> str:
    p = report.period
    return f"{report.workspace_slug}-{name}-{p.first.isoformat()}-{p.last.isoformat()}"


Format = Annotated[str, Query(description="json, csv or xlsx")]


@router.get("/api/v1/workspaces/{slug}/reports")
def report(services: ServicesDep, actor: ActorDep, q: ReportQueryDep) -> dict[str, Any]:
    """Every figure of the reports page: volume and sentiment over time, first response and
    resolution times (business and calendar, median and p90, with the comparison period),
    SLA compliance, answer rate tagged vs untagged, backlog by age, workload per agent."""
    return build_report(services, actor, q).to_json()


@router.get("/api/v1/workspaces/{slug}/reports/export")
def export(
    services: ServicesDep, actor: ActorDep, q: ReportQueryDep, format: Format = "xlsx"
) -> Response:
    """Every table of the report as one XLSX workbook (a sheet each) or one CSV file."""
    built = build_report(services, actor, q)
    return file_response(built.tables(), format, file_stem(built))


@router.get("/api/v1/workspaces/{slug}/reports/{table}")
def table(
    services: ServicesDep, actor: ActorDep, q: ReportQueryDep, table: str, format: Format = "json"
) -> Response:
    """One table: volume, times, sla, answers, backlog or agents."""
    built = build_report(services, actor, q)
    found = built.table(table)
    if found is None:
        names = ", ".join(t.name for t in built.tables())
        raise NotFound(f"no report table '{table}'; there are {names}")
    if format == "json":
        return JSONResponse({"columns": list(found.columns), "rows": found.as_dicts()})
    return file_response([found], format, file_stem(built, found.name))


@router.get("/api/v1/reports")
def agency(
    services: ServicesDep, session: SessionDep, q: ReportQueryDep, format: Format = "json"
) -> Response:
    """The agency view: headline figures of each workspace the caller belongs to."""
    built = build_agency(services, session.user, q)
    if format == "json":
        return JSONResponse(built.to_json())
    return file_response([built.table()], format, f"agency-{built.first}-{built.last}")
