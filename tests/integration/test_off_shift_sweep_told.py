"""The off-shift sweep is never silent: what it moved or left unassigned is listed for the
agents page with when and why, and the case carries the note until someone assigns it."""

from __future__ import annotations

import pytest

from mentiondesk.desk.assignment import do_save_agent_profile, do_set_on_shift
from mentiondesk.desk.shift_sweeps import case_sweep_note, describe_moves, recent_sweeps
from mentiondesk.domain.assignment import AgentProfile
from mentiondesk.domain.errors import PermissionDenied
from tests.factories import Desk

pytestmark = pytest.mark.usefixtures("database_url")


def test_a_case_nobody_can_take_is_listed_and_noted_until_someone_assigns_it(desk: Desk) -> None:
    now = desk.services.clock.now()
    with desk.services.uow() as uow:
        for user, available in ((desk.agent, True), (desk.colleague, False)):
            do_save_agent_profile(
                uow, desk.actor(desk.owner), AgentProfile(user.id, available=available), now=now
            )
    case_id = desk.ingest_case(text="@acme my parcel is lost", author_handle="anna")
    desk.assign(desk.owner, case_id, desk.agent)

    with desk.services.uow() as uow:
        moved = do_set_on_shift(uow, desk.actor(desk.agent), desk.agent.id, False, now=now)
        said = describe_moves(uow, desk.actor(desk.owner), moved)
    assert said == f"1 case(s) moved: #{case_id} left unassigned (nobody on shift can take it)."
    assert desk.case(case_id).assignee_id is None

    with desk.services.uow() as uow:
        (listed,) = recent_sweeps(uow, desk.actor(desk.owner), now=now)
        note = case_sweep_note(uow, desk.actor(desk.colleague), case_id)
    assert listed.case_id == case_id and listed.to_name is None and listed.at == now
    assert listed.from_name == desk.agent.name
    assert listed.reason.endswith("went off shift; nobody on shift can take it")
    assert note == listed

    desk.assign(desk.owner, case_id, desk.colleague)
    with desk.services.uow() as uow:
        assert case_sweep_note(uow, desk.actor(desk.owner), case_id) is None  # someone took it
        assert len(recent_sweeps(uow, desk.actor(desk.owner), now=now)) == 1  # still listed
        with pytest.raises(PermissionDenied):
            recent_sweeps(uow, desk.actor(desk.viewer), now=now)
