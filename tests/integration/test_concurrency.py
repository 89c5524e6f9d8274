"""Optimistic concurrency: two agents on one case never silently overwrite each other."""

from __future__ import annotations

import pytest

from mentiondesk.domain.cases import CaseStatus
from mentiondesk.domain.errors import ConcurrentChange
from tests.conftest import START
from tests.factories import Desk


def test_an_action_based_on_a_stale_version_is_refused_and_the_other_change_survives(
    desk: Desk,
) -> None:
    case_id = desk.ingest_case()
    seen_by_agent = desk.view(desk.agent, case_id).case.version
    seen_by_colleague = desk.view(desk.colleague, case_id).case.version

    desk.assign(desk.agent, case_id, desk.agent, expected_version=seen_by_agent)
    with pytest.raises(ConcurrentChange, match="reload"):
        desk.resolve(desk.colleague, case_id, expected_version=seen_by_colleague)

    case = desk.case(case_id)
    assert case.assignee_id == desk.agent.id
    assert case.status is CaseStatus.OPEN
    assert case.resolved_at is None
    assert case.version == seen_by_agent + 1


def test_after_reloading_the_slower_agent_can_act(desk: Desk) -> None:
    case_id = desk.ingest_case()
    stale = desk.case(case_id).version
    desk.assign(desk.agent, case_id, desk.agent, expected_version=stale)

    fresh = desk.view(desk.colleague, case_id).case.version
    desk.resolve(desk.colleague, case_id, expected_version=fresh)

    case = desk.case(case_id)
    assert (case.status, case.assignee_id) == (CaseStatus.RESOLVED, desk.agent.id)


def test_a_reply_based_on_a_stale_version_is_neither_recorded_nor_sent(desk: Desk) -> None:
    case_id = desk.ingest_case()
    stale = desk.case(case_id).version
    desk.assign(desk.colleague, case_id, desk.colleague)

    with pytest.raises(ConcurrentChange):
        desk.reply(desk.agent, case_id, "Answer written on an old screen", expected_version=stale)

    with desk.services.uow() as uow:
        assert uow.replies.for_case(desk.workspace.id, case_id) == []
    assert desk.case(case_id).first_response_at is None


def test_a_customer_writing_meanwhile_makes_an_open_screen_stale(desk: Desk) -> None:
    case_id = desk.ingest_case(conversation_id="c1")
    desk.reply(desk.agent, case_id)
    seen = desk.case(case_id).version

    desk.ingest(conversation_id="c1", text="@acme wait, there is more")
    with pytest.raises(ConcurrentChange):
        desk.resolve(desk.agent, case_id, expected_version=seen)

    assert desk.case(case_id).status is CaseStatus.OPEN


def test_assigning_a_case_to_its_current_assignee_leaves_other_screens_valid(
    desk: Desk,
) -> None:
    case_id = desk.ingest_case()
    desk.assign(desk.agent, case_id, desk.agent)
    seen_by_agent = desk.case(case_id).version

    desk.assign(desk.colleague, case_id, desk.agent)
    desk.resolve(desk.agent, case_id, expected_version=seen_by_agent)

    assert desk.case(case_id).status is CaseStatus.RESOLVED


def test_two_writers_that_read_the_same_version_cannot_both_save(desk: Desk) -> None:
    case_id = desk.ingest_case()
    services = desk.services
    with services.uow() as first, services.uow() as second:
        mine = first.cases.get(desk.workspace.id, case_id)
        theirs = second.cases.get(desk.workspace.id, case_id)
        assert mine is not None and theirs is not None

        mine.assign(desk.agent.id, by_user_id=desk.agent.id, now=START)
        first.cases.save(mine)
        first.commit()

        theirs.resolve(by_user_id=desk.colleague.id, now=START)
        with pytest.raises(ConcurrentChange):
            second.cases.save(theirs)

    case = desk.case(case_id)
    assert (case.assignee_id, case.status) == (desk.agent.id, CaseStatus.OPEN)
