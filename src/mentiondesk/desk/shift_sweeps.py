"""What the off-shift sweep did, told where people look: the agents page lists the cases it
moved or left unassigned, with when and why, and a case says so itself while the sweep's
choice still stands. Nothing is stored twice: the sweep's audit entries are the record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from mentiondesk.desk.access import Actor
from mentiondesk.desk.assignment import RULE, Reassignment, require_agent_profiles_visible
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.storage.repositories.audit import AuditFilter
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["SweptCase", "case_sweep_note", "describe_moves", "recent_sweeps"]

WENT_OFF_SHIFT = "went off shift"
HISTORY_DAYS = 7
HISTORY_LIMIT = 200


@dataclass(frozen=True, slots=True)
class SweptCase:
    case_id: int
    at: datetime
    from_name: str
    to_name: str | None  # None: left unassigned
    reason: str


def _swept(entry: AuditEntry, names: dict[int, str]) -> SweptCase | None:
    if entry.actor_rule != RULE or WENT_OFF_SHIFT not in entry.reason:
        return None
    kind, _, ref = entry.subject.partition(":")
    if kind != "case" or not ref.isdigit():
        return None
    to_id = entry.data.get("assignee_id")
    from_id = entry.data.get("from_user_id")
    from_name = names.get(from_id, "") if isinstance(from_id, int) else ""
    if not from_name:  # entries written before the sweep kept whose case it was
        from_name = entry.reason.removeprefix("auto: ").partition(f" {WENT_OFF_SHIFT}")[0]
    to_name = names.get(to_id, f"user {to_id}") if isinstance(to_id, int) else None
    return SweptCase(int(ref), entry.at, from_name, to_name, entry.reason.removeprefix("auto: "))


def _names(uow: UnitOfWork, actor: Actor) -> dict[int, str]:
    return {user.id: user.name for user, _ in uow.users.members(actor.workspace.id)}


def recent_sweeps(uow: UnitOfWork, actor: Actor, *, now: datetime) -> list[SweptCase]:
    """Cases the sweep moved or unassigned in the last week, newest first."""
    require_agent_profiles_visible(actor)
    since = now - timedelta(days=HISTORY_DAYS)
    entries = uow.audit.page(
        actor.workspace.id,
        AuditFilter(action="case.assign", actor_rule=RULE, since=since),
        offset=0,
        limit=HISTORY_LIMIT,
    )
    names = _names(uow, actor)
    return [s for e in entries if (s := _swept(e, names)) is not None]


def case_sweep_note(uow: UnitOfWork, actor: Actor, case_id: int) -> SweptCase | None:
    """The sweep's move of this case, while it is the case's latest assignment."""
    require_agent_profiles_visible(actor)
    latest = uow.audit.page(
        actor.workspace.id,
        AuditFilter(action="case.assign", subject=f"case:{case_id}"),
        offset=0,
        limit=1,
    )
    return _swept(latest[0], _names(uow, actor)) if latest else None


def describe_moves(uow: UnitOfWork, actor: Actor, moved: list[Reassignment]) -> str:
    """One sentence for the page that started a sweep: which cases went where."""
    if not moved:
        return "No open cases needed another agent."
    names = _names(uow, actor)
    parts = [
        f"#{m.case_id} to {names.get(m.to_user_id, 'user')}"
        if m.to_user_id is not None
        else f"#{m.case_id} left unassigned (nobody on shift can take it)"
        for m in moved
    ]
    shown = "; ".join(parts[:10]) + (f"; and {len(parts) - 10} more" if len(parts) > 10 else "")
    return f"{len(moved)} case(s) moved: {shown}."
