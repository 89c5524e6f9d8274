"""``mentiondesk report feedback`` and ``report opportunities``: the complaint topics and the
posts worth a reply nobody asked for, as JSON, CSV or an XLSX file (the same services as the
reports' Feedback and Opportunities tabs and their API)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from mentiondesk.analytics.export import to_csv, to_xlsx
from mentiondesk.analytics.feedback import feedback_report
from mentiondesk.analytics.figures import Table
from mentiondesk.analytics.opportunities import (
    opportunity_report,
    parse_kind,
    parse_min_followers,
)
from mentiondesk.analytics.periods import ReportFilter, parse_compare, parse_filters, parse_range
from mentiondesk.cli.common import console, fail, open_services
from mentiondesk.cli.options import DatabaseUrl, DataDir
from mentiondesk.desk.access import Actor, operator_actor
from mentiondesk.domain.posts import Platform
from mentiondesk.storage.unit_of_work import UnitOfWork

Workspace = Annotated[str, typer.Option("--workspace", help="Workspace slug.")]
First = Annotated[
    str | None, typer.Option("--from", help="First local day, YYYY-MM-DD (default: 30 days ago).")
]
Last = Annotated[str | None, typer.Option("--to", help="Last local day (default: today).")]
Format = Annotated[str, typer.Option("--format", help="json, csv or xlsx.")]
Platform_ = Annotated[str | None, typer.Option("--platform", help="Only this channel, e.g. x.")]
Language = Annotated[str | None, typer.Option(help="Only this language, e.g. pl.")]
Output = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file (required for xlsx).")
]


def _check_format(fmt: str, output: Path | None) -> None:
    if fmt not in ("json", "csv", "xlsx"):
        fail(f"--format must be json, csv or xlsx, not {fmt!r}")
    if fmt == "xlsx" and output is None:
        fail("--format xlsx writes a file: give --output FILE.xlsx")


def _scope(
    uow: UnitOfWork,
    now: datetime,
    workspace: str,
    first: str | None,
    last: str | None,
    platform: str | None,
    language: str | None,
) -> tuple[Actor, date, date, ReportFilter]:
    actor = operator_actor(uow, workspace)
    today = now.astimezone(ZoneInfo(actor.workspace.time_zone)).date()
    start, end = parse_range(first, last, today)
    filters = parse_filters(
        platform=platform, language=language, platforms=tuple(p.value for p in Platform)
    )
    return actor, start, end, filters


def _write(body: dict[str, Any], tables: Sequence[Table], fmt: str, output: Path | None) -> None:
    if fmt == "xlsx":
        assert output is not None
        output.write_bytes(to_xlsx(tables))
        console.print(f"wrote {len(tables)} sheet(s) to {output}")
        return
    text = to_csv(tables) if fmt == "csv" else json.dumps(body, indent=2, ensure_ascii=False) + "\n"
    if output is not None:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {output}")
    else:
        sys.stdout.write(text)


def feedback(
    workspace: Workspace,
    first: First = None,
    last: Last = None,
    fmt: Format = "json",
    compare: Annotated[str, typer.Option(help="previous, year or none.")] = "previous",
    platform: Platform_ = None,
    language: Language = None,
    output: Output = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """What customers complained about, FROM..TO: topics with their share, trend against the
    comparison period (new and rising flagged), sentiment and example posts."""
    _check_format(fmt, output)
    with open_services(data_dir, database_url) as services:
        now = services.clock.now()
        with services.uow() as uow:
            actor, start, end, filters = _scope(
                uow, now, workspace, first, last, platform, language
            )
            built = feedback_report(
                uow, actor, start, end, now=now, compare=parse_compare(compare), filters=filters
            )
    _write(built.to_json(), built.tables(), fmt, output)


def opportunities(
    workspace: Workspace,
    first: First = None,
    last: Last = None,
    fmt: Format = "json",
    kind: Annotated[
        str | None, typer.Option(help="Only thank_you, recommendation or reach.")
    ] = None,
    min_followers: Annotated[
        int | None, typer.Option(help="Followers from which an author has a large reach.")
    ] = None,
    platform: Platform_ = None,
    language: Language = None,
    output: Output = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Posts worth a reply nobody asked for, FROM..TO: untagged praise, people asking which
    product to choose, and authors with many followers."""
    _check_format(fmt, output)
    with open_services(data_dir, database_url) as services:
        now = services.clock.now()
        with services.uow() as uow:
            actor, start, end, filters = _scope(
                uow, now, workspace, first, last, platform, language
            )
            built = opportunity_report(
                uow,
                actor,
                start,
                end,
                now=now,
                kind=parse_kind(kind),
                min_followers=parse_min_followers(min_followers),
                filters=filters,
            )
    _write(built.to_json(), built.tables(), fmt, output)


def register(app: typer.Typer) -> None:
    app.command("feedback")(feedback)
    app.command("opportunities")(opportunities)
