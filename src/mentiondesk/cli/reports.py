"""``mentiondesk report``: a workspace's report figures as JSON, CSV or an XLSX file.

The same service as the reports page and ``GET /api/v1/workspaces/{slug}/reports`` computes
them; the command line reads as the workspace's owner (see ``operator_actor``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from mentiondesk.analytics.export import to_csv, to_xlsx
from mentiondesk.analytics.periods import parse_compare, parse_filters, parse_range
from mentiondesk.analytics.service import workspace_report
from mentiondesk.cli.common import console, fail, open_services
from mentiondesk.cli.options import DatabaseUrl, DataDir
from mentiondesk.desk.access import operator_actor
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.posts import MentionKind, Platform
from mentiondesk.storage.unit_of_work import UnitOfWork

KINDS = (*(k.value for k in MentionKind), "unknown")


def _agent_id(uow: UnitOfWork, value: str | None) -> int | None:
    if not value:
        return None
    if value.isdigit():
        return int(value)
    user = uow.users.get_by_email(value)
    if user is None:
        raise InvalidInput("agent", f"no user with e-mail {value!r}")
    return user.id


def report(
    workspace: Annotated[str, typer.Option("--workspace", help="Workspace slug.")],
    first: Annotated[
        str | None,
        typer.Option("--from", help="First local day, YYYY-MM-DD (default: 30 days ago)."),
    ] = None,
    last: Annotated[
        str | None, typer.Option("--to", help="Last local day (default: today).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="json, csv or xlsx.")] = "json",
    table: Annotated[
        str | None,
        typer.Option(help="Only this table: volume, times, sla, answers, backlog, agents."),
    ] = None,
    compare: Annotated[str, typer.Option(help="previous, year or none.")] = "previous",
    platform: Annotated[str | None, typer.Option(help="Only this channel, e.g. x.")] = None,
    language: Annotated[str | None, typer.Option(help="Only this language, e.g. pl.")] = None,
    agent: Annotated[
        str | None, typer.Option(help="Only cases assigned to this user (id or e-mail).")
    ] = None,
    team: Annotated[str | None, typer.Option(help="Only cases assigned to this team.")] = None,
    kind: Annotated[
        str | None, typer.Option(help="Mention kind: " + ", ".join(KINDS) + ".")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (required for xlsx).")
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Print a workspace's report: volume and sentiment, response and resolution times, SLA
    compliance, answer rates, backlog and workload, for local days FROM..TO."""
    if fmt not in ("json", "csv", "xlsx"):
        fail(f"--format must be json, csv or xlsx, not {fmt!r}")
    if fmt == "xlsx" and output is None:
        fail("--format xlsx writes a file: give --output FILE.xlsx")
    with open_services(data_dir, database_url) as services:
        now = services.clock.now()
        with services.uow() as uow:
            actor = operator_actor(uow, workspace)
            today = now.astimezone(ZoneInfo(actor.workspace.time_zone)).date()
            start, end = parse_range(first, last, today)
            filters = parse_filters(
                platform=platform,
                language=language,
                agent=_agent_id(uow, agent),
                team=team,
                kind=kind,
                platforms=tuple(p.value for p in Platform),
                kinds=KINDS,
            )
            built = workspace_report(
                uow, actor, start, end, now=now, compare=parse_compare(compare), filters=filters
            )
    tables = built.tables()
    if table is not None:
        found = built.table(table)
        if found is None:
            fail(f"no table {table!r}; there are {', '.join(t.name for t in tables)}")
        tables = [found]
    if fmt == "xlsx":
        assert output is not None
        output.write_bytes(to_xlsx(tables))
        console.print(f"wrote {len(tables)} sheet(s) to {output}")
        return
    if fmt == "csv":
        text = to_csv(tables)
    elif table is not None:
        text = json.dumps(tables[0].as_dicts(), indent=2, ensure_ascii=False) + "\n"
    else:
        text = json.dumps(built.to_json(), indent=2, ensure_ascii=False) + "\n"
    if output is not None:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {output}")
    else:
        sys.stdout.write(text)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
