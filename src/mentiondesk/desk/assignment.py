"""Assigning cases to agents: profiles and shifts, automatic round robin, off-shift sweeps.

The choice itself is the pure ``domain.assignment.choose_agent``; this module loads what it
needs, records the result through ``Case.assign`` and audits it with the reason, so a lead can
always answer "why did Marco get this case?". Only agents with a profile take part in
automatic assignment: giving someone a profile is how a workspace opts them in."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from mentiondesk.desk.access import Actor
from mentiondesk.domain.assignment import (
    AgentProfile,
    AssignmentRules,
    CaseToAssign,
    choose_agent,
    format_shifts,
)
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.cases import Case, CaseStatus
from mentiondesk.domain.errors import InvalidInput, NotFound, PermissionDenied
from mentiondesk.domain.workspaces import User, Workspace
from mentiondesk.storage.unit_of_work import UnitOfWork

# ``Case.assign`` wants the id of whoever assigned; 0 stands for the desk's own rules, and the
# audit entry names the rule instead of a user.
SYSTEM_USER_ID = 0
RULE = "assignment.round-robin"
ACTIVE = (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.WAITING)
MAX_CAPACITY = 500


@dataclass(frozen=True, slots=True)
class Reassignment:
    case_id: int
    from_user_id: int
    to_user_id: int | None
    reason: str


def do_save_agent_profile(
    uow: UnitOfWork, actor: Actor, profile: AgentProfile, *, now: datetime
) -> AgentProfile:
    """Create or replace an agent's profile (admins and owners only)."""
    actor.require_settings()
    return configure_agent(uow, actor.workspace, profile, now=now, by_user_id=actor.user.id)


def configure_agent(
    uow: UnitOfWork,
    workspace: Workspace,
    profile: AgentProfile,
    *,
    now: datetime,
    by_user_id: int | None = None,
) -> AgentProfile:
    """The write behind ``do_save_agent_profile``; the CLI calls it as the operator
    (``by_user_id`` None), which the audit records as the command line."""
    role = uow.users.role_in(profile.user_id, workspace.id)
    if role is None or not role.can_act_on_cases:
        raise InvalidInput("user", "is not an agent of this workspace")
    if not 0 <= profile.capacity <= MAX_CAPACITY:
        raise InvalidInput("capacity", f"must be between 0 and {MAX_CAPACITY}")
    unknown = set(profile.languages) - set(workspace.languages)
    if unknown:
        raise InvalidInput("languages", f"{', '.join(sorted(unknown))} not used by this workspace")
    existing = uow.agents.get(workspace.id, profile.user_id)
    if existing is not None:
        profile = replace(profile, last_assigned_at=existing.last_assigned_at)
    uow.agents.save(workspace.id, profile)
    uow.audit.append(
        AuditEntry.by_user(
            workspace.id,
            by_user_id,
            "agent.profile",
            f"user:{profile.user_id}",
            at=now,
            data={"capacity": profile.capacity},
        )
    )
    uow.commit()
    saved = uow.agents.get(workspace.id, profile.user_id)
    assert saved is not None
    return saved


def do_save_rules(
    uow: UnitOfWork, actor: Actor, rules: AssignmentRules, *, now: datetime
) -> AssignmentRules:
    actor.require_settings()
    return configure_rules(uow, actor.workspace, rules, now=now, by_user_id=actor.user.id)


def configure_rules(
    uow: UnitOfWork,
    workspace: Workspace,
    rules: AssignmentRules,
    *,
    now: datetime,
    by_user_id: int | None = None,
) -> AssignmentRules:
    uow.agents.save_rules(workspace.id, rules)
    uow.audit.append(
        AuditEntry.by_user(
            workspace.id,
            by_user_id,
            "assignment.rules",
            f"workspace:{workspace.id}",
            at=now,
            data={
                "auto_assign": rules.auto_assign,
                "team_by_language": dict(rules.team_by_language),
            },
        )
    )
    uow.commit()
    return rules


def do_set_on_shift(
    uow: UnitOfWork, actor: Actor, user_id: int, on_shift: bool, *, now: datetime
) -> list[Reassignment]:
    """An agent clocks in or out (themselves, or an admin for them)."""
    if user_id != actor.user.id:
        actor.require_settings()
    actor.require_case_work()
    return set_shift(uow, actor.workspace, user_id, on_shift, now=now, by_user_id=actor.user.id)


def set_shift(
    uow: UnitOfWork,
    workspace: Workspace,
    user_id: int,
    on_shift: bool,
    *,
    now: datetime,
    by_user_id: int | None = None,
) -> list[Reassignment]:
    """Switch an agent on or off shift. Going off shift hands the agent's open cases to
    colleagues on shift, in the same transaction, so no case waits on someone who left."""
    profile = uow.agents.get(workspace.id, user_id)
    if profile is None:
        raise NotFound(f"user {user_id} has no agent profile in {workspace.name}")
    uow.agents.save(workspace.id, replace(profile, available=on_shift))
    uow.audit.append(
        AuditEntry.by_user(
            workspace.id,
            by_user_id,
            "agent.shift",
            f"user:{user_id}",
            at=now,
            data={"on_shift": on_shift},
        )
    )
    moved = _sweep(uow, workspace, now, only_user=user_id) if not on_shift else []
    uow.commit()
    return moved


def do_auto_assign(
    uow: UnitOfWork, workspace: Workspace, case_id: int, *, now: datetime
) -> int | None:
    """Give an unassigned active case to the next eligible agent, when the workspace enabled
    automatic assignment. Returns the agent's id, or None when nothing was done."""
    rules = uow.read_once(
        ("assignment rules", workspace.id), lambda: uow.agents.rules(workspace.id)
    )
    if not rules.auto_assign:
        return None
    case = uow.cases.get(workspace.id, case_id)
    if case is None or case.assignee_id is not None or case.status not in ACTIVE:
        return None
    profiles = uow.agents.profiles(workspace.id)
    language = uow.agents.case_language(workspace.id, case_id)
    choice = choose_agent(
        profiles,
        CaseToAssign(case_id, language, rules.team_for(language)),
        uow.agents.open_counts(workspace.id),
        now=now,
        time_zone=workspace.time_zone,
    )
    if choice is None:
        return None
    _assign_by_rule(uow, workspace, case, choice.user_id, choice.reason, now)
    uow.commit()
    return choice.user_id


def do_reassign_off_shift(
    uow: UnitOfWork, workspace: Workspace, *, now: datetime
) -> list[Reassignment]:
    """Hand every open case of agents now off shift (switched off, or outside their weekly
    hours) to colleagues on shift; a case nobody can take goes back to the unassigned queue."""
    moved = _sweep(uow, workspace, now)
    uow.commit()
    return moved


def do_sweep_as(uow: UnitOfWork, actor: Actor, *, now: datetime) -> list[Reassignment]:
    """The sweep, on an admin's request (web, API, CLI)."""
    actor.require_settings()
    return do_reassign_off_shift(uow, actor.workspace, now=now)


def _sweep(
    uow: UnitOfWork, workspace: Workspace, now: datetime, only_user: int | None = None
) -> list[Reassignment]:
    rules = uow.agents.rules(workspace.id)
    profiles = uow.agents.profiles(workspace.id)
    counts = uow.agents.open_counts(workspace.id)
    leaving = [
        p
        for p in profiles
        if (only_user is None or p.user_id == only_user)
        and not p.on_shift(now, workspace.time_zone)
    ]
    moved: list[Reassignment] = []
    for agent in leaving:
        for case_id in uow.agents.open_cases_of(workspace.id, agent.user_id):
            case = uow.cases.get(workspace.id, case_id)
            if case is None:
                continue
            language = uow.agents.case_language(workspace.id, case_id)
            choice = choose_agent(
                profiles,
                CaseToAssign(case_id, language, rules.team_for(language)),
                counts,
                now=now,
                time_zone=workspace.time_zone,
                exclude=agent.user_id,
            )
            prefix = f"auto: {agent.name or agent.user_id} went off shift"
            if choice is None:
                reason = f"{prefix}; nobody on shift can take it"
                _assign_by_rule(uow, workspace, case, None, reason, now, agent.user_id)
                moved.append(Reassignment(case_id, agent.user_id, None, reason))
                continue
            reason = f"{prefix}; {choice.reason.removeprefix('auto: ')}"
            _assign_by_rule(uow, workspace, case, choice.user_id, reason, now, agent.user_id)
            counts[choice.user_id] = counts.get(choice.user_id, 0) + 1
            counts[agent.user_id] = counts.get(agent.user_id, 1) - 1
            profiles = [
                replace(p, last_assigned_at=now) if p.user_id == choice.user_id else p
                for p in profiles
            ]
            moved.append(Reassignment(case_id, agent.user_id, choice.user_id, reason))
    return moved


def _assign_by_rule(
    uow: UnitOfWork,
    workspace: Workspace,
    case: Case,
    user_id: int | None,
    reason: str,
    now: datetime,
    from_user_id: int | None = None,
) -> None:
    """Assign as the rules decided; ``from_user_id`` is the agent a sweep took the case from
    (kept in the audit entry, so the agents page and the case can say whose it was)."""
    case.assign(user_id, SYSTEM_USER_ID, now)
    uow.cases.save(case)
    if user_id is not None:
        uow.agents.mark_assigned(workspace.id, user_id, now)
    uow.audit.append(
        AuditEntry.by_rule(
            workspace.id,
            RULE,
            "case.assign",
            f"case:{case.id}",
            at=now,
            reason=reason,
            data={"assignee_id": user_id}
            | ({"from_user_id": from_user_id} if from_user_id is not None else {}),
        )
    )
    uow.collect(case.events)
    case.events.clear()


def require_agent_profiles_visible(actor: Actor) -> None:
    """Profiles (shifts, capacity) are for the people who work cases, not the brand's viewers."""
    if not actor.role.can_act_on_cases:
        raise PermissionDenied(
            f"a {actor.role.value} cannot see the agents of {actor.workspace.name}"
        )


@dataclass(frozen=True, slots=True)
class AgentRow:
    user: User
    profile: AgentProfile | None
    on_shift: bool
    open_cases: int
    shifts: str


@dataclass(frozen=True, slots=True)
class AgentBoard:
    rows: tuple[AgentRow, ...]
    rules: AssignmentRules


def agent_board(uow: UnitOfWork, actor: Actor, *, now: datetime) -> AgentBoard:
    """Every member who works cases, with their profile (if any), shift state and workload."""
    require_agent_profiles_visible(actor)
    profiles = {p.user_id: p for p in uow.agents.profiles(actor.workspace.id)}
    counts = uow.agents.open_counts(actor.workspace.id)
    rows = []
    for user, membership in uow.users.members(actor.workspace.id):
        if not membership.role.can_act_on_cases:
            continue
        profile = profiles.get(user.id)
        rows.append(
            AgentRow(
                user=user,
                profile=profile,
                on_shift=bool(profile and profile.on_shift(now, actor.workspace.time_zone)),
                open_cases=counts.get(user.id, 0),
                shifts=format_shifts(profile.shifts) if profile else "",
            )
        )
    return AgentBoard(tuple(rows), uow.agents.rules(actor.workspace.id))
