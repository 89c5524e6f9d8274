"""Who should take a case: agent profiles, weekly shifts and the round-robin choice.

Pure rules, no I/O: the desk service loads profiles and workloads, asks ``choose_agent`` and
records the result. Keeping the choice here lets property tests prove its promises (never over
capacity, only on-shift agents who speak the case's language, fair rotation)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from mentiondesk.domain.errors import InvalidInput

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class Shift:
    """One weekly working period; ``end <= start`` means it ends the next day (night shift)."""

    weekday: int  # 0 = Monday
    start: time
    end: time

    def covers(self, local: datetime) -> bool:
        now = local.time().replace(tzinfo=None)
        day = local.weekday()
        if self.end > self.start:
            return day == self.weekday and self.start <= now < self.end
        return (day == self.weekday and now >= self.start) or (
            day == (self.weekday + 1) % 7 and now < self.end
        )

    def label(self) -> str:
        return f"{DAY_NAMES[self.weekday]} {self.start:%H:%M}-{self.end:%H:%M}"


def parse_shifts(text: str) -> tuple[Shift, ...]:
    """``"mon-fri 08:00-16:00, sat 10:00-14:00"`` → shifts. Empty text means no schedule."""
    shifts: list[Shift] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        days, _, hours = part.partition(" ")
        first, _, last = days.lower().partition("-")
        start_s, _, end_s = hours.strip().partition("-")
        try:
            a = DAY_NAMES.index(first)
            b = DAY_NAMES.index(last) if last else a
            start, end = time.fromisoformat(start_s), time.fromisoformat(end_s)
        except ValueError:
            raise InvalidInput(
                "shifts", f"{part!r}: write days and hours like 'mon-fri 08:00-16:00'"
            ) from None
        day = a
        while True:
            shifts.append(Shift(day, start, end))
            if day == b:
                break
            day = (day + 1) % 7
    return tuple(shifts)


def format_shifts(shifts: Iterable[Shift]) -> str:
    return ", ".join(s.label() for s in shifts)


@dataclass(frozen=True, slots=True)
class AgentProfile:
    """How one agent works in one workspace.

    ``available`` is the agent's own on/off-shift switch (break, sick day, end of day); an
    agent is on shift when it is on and, if a weekly schedule is set, now falls in it."""

    user_id: int
    name: str = ""
    teams: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    capacity: int = 10
    shifts: tuple[Shift, ...] = ()
    available: bool = True
    last_assigned_at: datetime | None = None

    def on_shift(self, now: datetime, time_zone: str) -> bool:
        if not self.available:
            return False
        if not self.shifts:
            return True
        local = now.astimezone(ZoneInfo(time_zone))
        return any(s.covers(local) for s in self.shifts)

    def speaks(self, language: str | None) -> bool:
        return language is None or not self.languages or language in self.languages


@dataclass(frozen=True, slots=True)
class CaseToAssign:
    case_id: int
    language: str | None
    team: str | None = None  # None: any team may take it


@dataclass(frozen=True, slots=True)
class Choice:
    user_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class AssignmentRules:
    """A workspace's assignment settings: whether new cases are assigned automatically, and
    which team takes each language (a language without a team goes to anyone who speaks it)."""

    auto_assign: bool = False
    team_by_language: Mapping[str, str] = field(default_factory=dict)

    def team_for(self, language: str | None) -> str | None:
        return self.team_by_language.get(language or "")


def eligible(
    agents: Sequence[AgentProfile],
    case: CaseToAssign,
    open_cases: Mapping[int, int],
    *,
    now: datetime,
    time_zone: str,
    exclude: int | None = None,
) -> list[AgentProfile]:
    """Agents who may take ``case`` now: on shift, in its team, speaking its language, with
    room under their capacity."""
    return [
        a
        for a in agents
        if a.user_id != exclude
        and a.on_shift(now, time_zone)
        and (case.team is None or case.team in a.teams)
        and a.speaks(case.language)
        and open_cases.get(a.user_id, 0) < a.capacity
    ]


def choose_agent(
    agents: Sequence[AgentProfile],
    case: CaseToAssign,
    open_cases: Mapping[int, int],
    *,
    now: datetime,
    time_zone: str,
    exclude: int | None = None,
) -> Choice | None:
    """Round robin: of the eligible agents, the one who was given a case longest ago (never
    comes first; ties go to the lower user id). None when nobody can take it."""
    candidates = eligible(agents, case, open_cases, now=now, time_zone=time_zone, exclude=exclude)
    if not candidates:
        return None
    chosen = min(
        candidates,
        key=lambda a: (a.last_assigned_at is not None, a.last_assigned_at or now, a.user_id),
    )
    team = case.team or case.language or "any"
    return Choice(chosen.user_id, f"auto: round-robin {team} team")
