"""The round-robin choice: never over capacity, only on-shift agents with the language, fair."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentiondesk.domain.assignment import (
    AgentProfile,
    AssignmentRules,
    CaseToAssign,
    Shift,
    choose_agent,
    format_shifts,
    parse_shifts,
)
from mentiondesk.domain.errors import InvalidInput

# Tuesday 10 March 2026, 10:00 in Warsaw (09:00 UTC).
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
TZ = "Europe/Warsaw"
LANGS = ("pl", "it", "en")

agents_strategy = st.lists(
    st.builds(
        AgentProfile,
        user_id=st.integers(1, 10_000),
        teams=st.lists(st.sampled_from(LANGS), max_size=2).map(tuple),
        languages=st.lists(st.sampled_from(LANGS), max_size=3).map(tuple),
        capacity=st.integers(0, 5),
        available=st.booleans(),
        shifts=st.sampled_from(
            [(), parse_shifts("mon-fri 08:00-16:00"), parse_shifts("sat 08:00-09:00")]
        ),
        last_assigned_at=st.none() | st.integers(0, 1000).map(lambda m: NOW - timedelta(minutes=m)),
    ),
    max_size=8,
    unique_by=lambda a: a.user_id,
)


@settings(max_examples=300, deadline=None)
@given(
    agents=agents_strategy,
    language=st.none() | st.sampled_from(LANGS),
    team=st.none() | st.sampled_from(LANGS),
    loads=st.dictionaries(st.integers(1, 10_000), st.integers(0, 6)),
)
def test_the_chosen_agent_is_on_shift_speaks_the_language_is_in_the_team_and_has_room(
    agents: list[AgentProfile], language: str | None, team: str | None, loads: dict[int, int]
) -> None:
    choice = choose_agent(agents, CaseToAssign(1, language, team), loads, now=NOW, time_zone=TZ)
    fitting = [
        a
        for a in agents
        if a.on_shift(NOW, TZ)
        and a.speaks(language)
        and (team is None or team in a.teams)
        and loads.get(a.user_id, 0) < a.capacity
    ]
    if not fitting:
        assert choice is None
        return
    assert choice is not None
    chosen = next(a for a in agents if a.user_id == choice.user_id)
    assert chosen.on_shift(NOW, TZ)
    assert loads.get(chosen.user_id, 0) < chosen.capacity
    assert chosen.speaks(language)
    assert team is None or team in chosen.teams


@settings(max_examples=100, deadline=None)
@given(n_agents=st.integers(1, 6), capacity=st.integers(1, 4))
def test_repeated_assignment_rotates_fairly_and_stops_at_everyones_capacity(
    n_agents: int, capacity: int
) -> None:
    agents = [AgentProfile(user_id=i, capacity=capacity) for i in range(1, n_agents + 1)]
    loads: dict[int, int] = {}
    order: list[int] = []
    now = NOW
    for case_id in range(n_agents * capacity + 3):
        choice = choose_agent(agents, CaseToAssign(case_id, "pl"), loads, now=now, time_zone=TZ)
        if choice is None:
            break
        order.append(choice.user_id)
        loads[choice.user_id] = loads.get(choice.user_id, 0) + 1
        agents = [
            AgentProfile(a.user_id, capacity=capacity, last_assigned_at=now)
            if a.user_id == choice.user_id
            else a
            for a in agents
        ]
        now += timedelta(seconds=1)
    assert len(order) == n_agents * capacity  # everyone filled, nobody beyond capacity
    assert all(n == capacity for n in loads.values())
    for start in range(0, len(order), n_agents):  # each round gives everyone exactly one case
        assert sorted(order[start : start + n_agents]) == list(range(1, n_agents + 1))


def test_an_agent_switched_off_shift_never_receives_a_case() -> None:
    agents = [AgentProfile(1, available=False), AgentProfile(2, available=True)]
    for _ in range(5):
        choice = choose_agent(agents, CaseToAssign(1, None), {}, now=NOW, time_zone=TZ)
        assert choice is not None and choice.user_id == 2


def test_outside_the_weekly_hours_an_agent_is_off_shift_in_the_workspace_time_zone() -> None:
    early = AgentProfile(1, shifts=parse_shifts("mon-fri 06:00-09:30"))  # Warsaw time
    assert not early.on_shift(NOW, TZ)  # 10:00 in Warsaw
    assert early.on_shift(NOW, "UTC")  # 09:00 in UTC


def test_a_night_shift_runs_past_midnight() -> None:
    night = AgentProfile(1, shifts=parse_shifts("mon 22:00-06:00"))
    assert night.on_shift(datetime(2026, 3, 10, 4, 0, tzinfo=UTC), "UTC")  # Tuesday 04:00
    assert not night.on_shift(datetime(2026, 3, 11, 4, 0, tzinfo=UTC), "UTC")  # Wednesday


def test_the_reason_names_the_team() -> None:
    rules = AssignmentRules(auto_assign=True, team_by_language={"pl": "pl"})
    choice = choose_agent(
        [AgentProfile(1, teams=("pl",), languages=("pl",))],
        CaseToAssign(7, "pl", rules.team_for("pl")),
        {},
        now=NOW,
        time_zone=TZ,
    )
    assert choice is not None and choice.reason == "auto: round-robin pl team"


def test_shifts_read_and_print_like_people_write_them() -> None:
    shifts = parse_shifts("mon-wed 08:00-16:00, sat 10:00-14:00")
    assert shifts[0] == Shift(0, time(8), time(16))
    assert format_shifts(shifts) == (
        "mon 08:00-16:00, tue 08:00-16:00, wed 08:00-16:00, sat 10:00-14:00"
    )
    with pytest.raises(InvalidInput, match="shifts"):
        parse_shifts("weekdays 8-4")
