"""``mentiondesk agent``: agent profiles, shifts, automatic assignment and the off-shift sweep.

The sweep is meant for a scheduler (cron, a systemd timer) every few minutes, so that cases
of agents whose weekly shift ended go to colleagues who are on shift."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from mentiondesk.bootstrap import Services
from mentiondesk.cli.common import open_services, user_named
from mentiondesk.cli.options import DatabaseUrl, DataDir
from mentiondesk.desk.assignment import (
    Reassignment,
    configure_agent,
    configure_rules,
    do_reassign_off_shift,
    set_shift,
)
from mentiondesk.domain.assignment import (
    AgentProfile,
    AssignmentRules,
    format_shifts,
    parse_shifts,
)
from mentiondesk.domain.errors import NotFound
from mentiondesk.domain.workspaces import User, Workspace

app = typer.Typer(help="Agent profiles, shifts and automatic assignment.", no_args_is_help=True)
console = Console()

WorkspaceOpt = Annotated[str, typer.Option("--workspace", help="Workspace slug.")]
EmailOpt = Annotated[str, typer.Option("--email", help="The agent's e-mail.")]


def _load(services: Services, slug: str, email: str | None = None) -> tuple[Workspace, User | None]:
    with services.uow() as uow:
        workspace = uow.workspaces.get_by_slug(slug)
        if workspace is None:
            raise NotFound(f"no workspace {slug!r}")
        return workspace, None if email is None else user_named(uow, email)


def _print_moved(moved: list[Reassignment]) -> None:
    for m in moved:
        console.print(f"case {m.case_id}: {m.reason}")
    console.print(f"{len(moved)} case(s) reassigned")


@app.command("set")
def set_profile(
    workspace: WorkspaceOpt,
    email: EmailOpt,
    team: Annotated[list[str] | None, typer.Option(help="Team (repeatable).")] = None,
    language: Annotated[list[str] | None, typer.Option(help="Language (repeatable).")] = None,
    capacity: Annotated[int, typer.Option(help="Most open cases at once.")] = 10,
    shifts: Annotated[str, typer.Option(help="e.g. 'mon-fri 08:00-16:00, sat 10:00-14:00'.")] = "",
    off: Annotated[bool, typer.Option("--off", help="Create switched off shift.")] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create or replace an agent's profile in a workspace."""
    with open_services(data_dir, database_url) as services:
        ws, user = _load(services, workspace, email)
        assert user is not None
        profile = AgentProfile(
            user.id,
            teams=tuple(team or ()),
            languages=tuple(language or ()),
            capacity=capacity,
            shifts=parse_shifts(shifts),
            available=not off,
        )
        with services.uow() as uow:
            configure_agent(uow, ws, profile, now=services.clock.now())
        console.print(f"{email}: profile saved in {workspace}")


@app.command("shift")
def shift(
    workspace: WorkspaceOpt,
    email: EmailOpt,
    on: Annotated[bool, typer.Option("--on/--off", help="Go on or off shift.")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Switch an agent on or off shift; going off hands their open cases to colleagues."""
    with open_services(data_dir, database_url) as services:
        ws, user = _load(services, workspace, email)
        assert user is not None
        with services.uow() as uow:
            moved = set_shift(uow, ws, user.id, on, now=services.clock.now())
        console.print(f"{email} is now {'on' if on else 'off'} shift")
        if not on:
            _print_moved(moved)


@app.command("list")
def list_agents(
    workspace: WorkspaceOpt, data_dir: DataDir = None, database_url: DatabaseUrl = None
) -> None:
    """Agents with a profile: shift state, teams, languages, capacity and open cases."""
    with open_services(data_dir, database_url) as services:
        ws, _ = _load(services, workspace)
        now = services.clock.now()
        with services.uow() as uow:
            profiles = uow.agents.profiles(ws.id)
            counts = uow.agents.open_counts(ws.id)
            rules = uow.agents.rules(ws.id)
        table = Table("agent", "now", "open", "capacity", "teams", "languages", "shifts")
        for p in profiles:
            table.add_row(
                p.name,
                "on shift" if p.on_shift(now, ws.time_zone) else "off shift",
                str(counts.get(p.user_id, 0)),
                str(p.capacity),
                " ".join(p.teams),
                " ".join(p.languages),
                format_shifts(p.shifts),
            )
        console.print(table)
        console.print(f"automatic assignment: {'on' if rules.auto_assign else 'off'}")


@app.command("auto-assign")
def auto_assign(
    workspace: WorkspaceOpt,
    enable: Annotated[bool, typer.Option("--enable/--disable")],
    team_for: Annotated[
        list[str] | None, typer.Option(help="language=team, e.g. pl=pl (repeatable).")
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Turn automatic round-robin assignment of new cases on or off."""
    with open_services(data_dir, database_url) as services:
        ws, _ = _load(services, workspace)
        mapping = dict(item.split("=", 1) for item in (team_for or ()) if "=" in item)
        with services.uow() as uow:
            configure_rules(uow, ws, AssignmentRules(enable, mapping), now=services.clock.now())
        console.print(f"automatic assignment {'enabled' if enable else 'disabled'} in {workspace}")


@app.command("sweep")
def sweep(
    workspace: WorkspaceOpt, data_dir: DataDir = None, database_url: DatabaseUrl = None
) -> None:
    """Reassign the open cases of agents now off shift (run it from a scheduler)."""
    with open_services(data_dir, database_url) as services:
        ws, _ = _load(services, workspace)
        with services.uow() as uow:
            _print_moved(do_reassign_off_shift(uow, ws, now=services.clock.now()))
