"""Agent profiles, assignment settings and the workload numbers the round robin needs."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import Connection, func, select, update

from mentiondesk.domain.assignment import AgentProfile, AssignmentRules, Shift
from mentiondesk.domain.cases import CaseStatus
from mentiondesk.storage import tables as t
from mentiondesk.storage import tables_assignment as ta

ACTIVE = [CaseStatus.NEW.value, CaseStatus.OPEN.value, CaseStatus.WAITING.value]


def _shifts_to_json(shifts: tuple[Shift, ...]) -> list[list[Any]]:
    return [[s.weekday, f"{s.start:%H:%M}", f"{s.end:%H:%M}"] for s in shifts]


def _shifts_from_json(data: list[list[Any]]) -> tuple[Shift, ...]:
    return tuple(Shift(int(d), time.fromisoformat(a), time.fromisoformat(b)) for d, a, b in data)


def _profile(row: Any) -> AgentProfile:
    return AgentProfile(
        user_id=row.user_id,
        name=row.name,
        teams=tuple(row.teams),
        languages=tuple(row.languages),
        capacity=row.capacity,
        shifts=_shifts_from_json(row.shifts),
        available=row.available,
        last_assigned_at=row.last_assigned_at,
    )


class AgentRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _select(self, workspace_id: int) -> Any:
        p = ta.agent_profiles
        return (
            select(p, t.users.c.name)
            .join(t.users, t.users.c.id == p.c.user_id)
            .where(p.c.workspace_id == workspace_id)
        )

    def profiles(self, workspace_id: int) -> list[AgentProfile]:
        rows = self._conn.execute(self._select(workspace_id).order_by(t.users.c.name))
        return [_profile(r) for r in rows]

    def get(self, workspace_id: int, user_id: int) -> AgentProfile | None:
        row = self._conn.execute(
            self._select(workspace_id).where(ta.agent_profiles.c.user_id == user_id)
        ).first()
        return _profile(row) if row else None

    def save(self, workspace_id: int, profile: AgentProfile) -> None:
        p = ta.agent_profiles
        values = {
            "teams": list(profile.teams),
            "languages": list(profile.languages),
            "capacity": profile.capacity,
            "shifts": _shifts_to_json(profile.shifts),
            "available": profile.available,
        }
        result = self._conn.execute(
            update(p)
            .where(p.c.workspace_id == workspace_id, p.c.user_id == profile.user_id)
            .values(**values)
        )
        if result.rowcount == 0:
            self._conn.execute(
                p.insert().values(
                    workspace_id=workspace_id,
                    user_id=profile.user_id,
                    last_assigned_at=profile.last_assigned_at,
                    **values,
                )
            )

    def mark_assigned(self, workspace_id: int, user_id: int, at: datetime) -> None:
        p = ta.agent_profiles
        self._conn.execute(
            update(p)
            .where(p.c.workspace_id == workspace_id, p.c.user_id == user_id)
            .values(last_assigned_at=at)
        )

    def rules(self, workspace_id: int) -> AssignmentRules:
        row = self._conn.execute(
            select(ta.assignment_settings).where(
                ta.assignment_settings.c.workspace_id == workspace_id
            )
        ).first()
        if row is None:
            return AssignmentRules()
        return AssignmentRules(row.auto_assign, dict(row.team_by_language))

    def save_rules(self, workspace_id: int, rules: AssignmentRules) -> None:
        s = ta.assignment_settings
        values = {
            "auto_assign": rules.auto_assign,
            "team_by_language": dict(rules.team_by_language),
        }
        result = self._conn.execute(
            update(s).where(s.c.workspace_id == workspace_id).values(**values)
        )
        if result.rowcount == 0:
            self._conn.execute(s.insert().values(workspace_id=workspace_id, **values))

    def open_counts(self, workspace_id: int) -> dict[int, int]:
        """Active (new, open, waiting) cases per assignee: what capacity is measured against."""
        c = t.cases.c
        rows = self._conn.execute(
            select(c.assignee_id, func.count())
            .where(c.workspace_id == workspace_id, c.status.in_(ACTIVE), c.assignee_id.is_not(None))
            .group_by(c.assignee_id)
        )
        return {int(r[0]): int(r[1]) for r in rows}

    def open_cases_of(self, workspace_id: int, user_id: int) -> list[int]:
        c = t.cases.c
        return list(
            self._conn.execute(
                select(c.id)
                .where(c.workspace_id == workspace_id, c.assignee_id == user_id)
                .where(c.status.in_(ACTIVE))
                .order_by(c.priority.desc(), c.id)
            ).scalars()
        )

    def case_language(self, workspace_id: int, case_id: int) -> str | None:
        c = t.cases.c
        return self._conn.execute(
            select(c.language).where(c.workspace_id == workspace_id, c.id == case_id)
        ).scalar_one_or_none()
