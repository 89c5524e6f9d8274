"""Automatic assignment on both databases: shifts, capacity, rotation and off-shift sweeps."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mentiondesk.desk.assignment import (
    do_auto_assign,
    do_reassign_off_shift,
    do_save_agent_profile,
    do_save_rules,
    do_set_on_shift,
)
from mentiondesk.domain.assignment import AgentProfile, AssignmentRules, parse_shifts
from mentiondesk.domain.errors import PermissionDenied
from mentiondesk.domain.workspaces import User
from tests.factories import Desk

pytestmark = pytest.mark.usefixtures("database_url")


def _profile(desk: Desk, user: User, **kw: object) -> None:
    with desk.services.uow() as uow:
        actor = desk.actor(desk.owner)
        do_save_agent_profile(
            uow,
            actor,
            AgentProfile(user.id, **kw),
            now=desk.services.clock.now(),  # type: ignore[arg-type]
        )


def _enable(desk: Desk, **team_by_language: str) -> None:
    with desk.services.uow() as uow:
        do_save_rules(
            uow,
            desk.actor(desk.owner),
            AssignmentRules(auto_assign=True, team_by_language=team_by_language),
            now=desk.services.clock.now(),
        )


TEXTS = {
    "en": "@acme my parcel still has not arrived, can you check?",
    "pl": "@acme moja paczka wciąż nie dotarła, możecie sprawdzić?",
    "it": "@acme il mio pacco non è ancora arrivato, potete controllare?",
}


def _new_case(desk: Desk, n: int, lang: str = "en") -> int:
    return desk.ingest_case(author_handle=f"customer_{n}", lang=lang, text=TEXTS[lang])


def test_new_cases_stay_unassigned_until_the_workspace_enables_auto_assignment(
    desk: Desk,
) -> None:
    _profile(desk, desk.agent, languages=("en",))
    assert desk.case(_new_case(desk, 1)).assignee_id is None
    _enable(desk)
    assert desk.case(_new_case(desk, 2)).assignee_id == desk.agent.id


def test_an_off_shift_agent_never_receives_a_case(desk: Desk) -> None:
    _profile(desk, desk.agent, available=False)
    _profile(desk, desk.colleague, shifts=parse_shifts("sat 08:00-09:00"))  # not now (Tuesday)
    _enable(desk)
    cases = [_new_case(desk, n) for n in range(4)]
    assert {desk.case(c).assignee_id for c in cases} == {None}
    _profile(desk, desk.colleague, capacity=10)  # no schedule: on shift while switched on
    assert all(desk.case(_new_case(desk, n)).assignee_id == desk.colleague.id for n in range(4, 7))


def test_capacity_is_respected_and_cases_rotate_between_agents(desk: Desk) -> None:
    _profile(desk, desk.agent, capacity=2)
    _profile(desk, desk.colleague, capacity=1)
    _enable(desk)
    assignees = []
    for n in range(5):
        desk.services.clock.set(desk.services.clock.now() + timedelta(seconds=1))  # type: ignore[attr-defined]
        assignees.append(desk.case(_new_case(desk, n)).assignee_id)
    assert assignees[:3] == [desk.agent.id, desk.colleague.id, desk.agent.id]
    assert assignees[3:] == [None, None]  # both full: the cases wait in the unassigned queue


def test_language_and_team_decide_who_can_take_a_case(desk: Desk) -> None:
    _profile(desk, desk.agent, languages=("pl",), teams=("pl",))
    _profile(desk, desk.colleague, languages=("en", "it"), teams=("it",))
    _enable(desk, pl="pl", it="it")
    assert desk.case(_new_case(desk, 1, "pl")).assignee_id == desk.agent.id
    assert desk.case(_new_case(desk, 2, "it")).assignee_id == desk.colleague.id
    with desk.services.uow() as uow:
        entry = uow.audit.list(desk.workspace.id, subject="case:1")[0]
    assert entry.action == "case.assign" and entry.actor_user_id is None
    assert entry.reason == "auto: round-robin pl team"


def test_going_off_shift_hands_open_cases_to_a_colleague_and_audits_why(desk: Desk) -> None:
    _profile(desk, desk.agent)
    _profile(desk, desk.colleague, available=False)
    _enable(desk)
    cases = [_new_case(desk, n) for n in range(2)]
    assert {desk.case(c).assignee_id for c in cases} == {desk.agent.id}
    with desk.services.uow() as uow:
        do_set_on_shift(
            uow, desk.actor(desk.colleague), desk.colleague.id, True, now=desk.services.clock.now()
        )
    with desk.services.uow() as uow:
        moved = do_set_on_shift(
            uow, desk.actor(desk.agent), desk.agent.id, False, now=desk.services.clock.now()
        )
    assert [m.to_user_id for m in moved] == [desk.colleague.id, desk.colleague.id]
    assert {desk.case(c).assignee_id for c in cases} == {desk.colleague.id}
    with desk.services.uow() as uow:
        entry = uow.audit.list(desk.workspace.id, subject=f"case:{cases[0]}")[0]
    assert entry.action == "case.assign"
    assert entry.data == {"assignee_id": desk.colleague.id, "from_user_id": desk.agent.id}
    assert entry.reason.startswith("auto: Agent went off shift; round-robin")


def test_the_sweep_returns_cases_to_the_queue_when_nobody_is_on_shift(desk: Desk) -> None:
    _profile(desk, desk.agent, shifts=parse_shifts("tue 09:00-11:00"))  # 10:00 Warsaw now
    _enable(desk)
    case_id = _new_case(desk, 1)
    assert desk.case(case_id).assignee_id == desk.agent.id
    desk.services.clock.set(desk.services.clock.now() + timedelta(hours=3))  # type: ignore[attr-defined]
    with desk.services.uow() as uow:
        moved = do_reassign_off_shift(uow, desk.workspace, now=desk.services.clock.now())
    assert [(m.case_id, m.to_user_id) for m in moved] == [(case_id, None)]
    assert desk.case(case_id).assignee_id is None
    with desk.services.uow() as uow:  # nobody on shift: a new case is not assigned either
        assert do_auto_assign(uow, desk.workspace, case_id, now=desk.services.clock.now()) is None


def test_only_admins_edit_profiles_and_switch_colleagues_off(desk: Desk) -> None:
    _profile(desk, desk.agent)
    with desk.services.uow() as uow, pytest.raises(PermissionDenied):
        do_save_agent_profile(
            uow, desk.actor(desk.agent), AgentProfile(desk.agent.id), now=desk.services.clock.now()
        )
    with desk.services.uow() as uow, pytest.raises(PermissionDenied):
        do_set_on_shift(
            uow, desk.actor(desk.colleague), desk.agent.id, False, now=desk.services.clock.now()
        )
