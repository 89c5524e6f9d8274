"""Approval requests: an agent's way forward when the guard blocks a reply they may not
override; an owner or admin approves (the reply goes out) or rejects, both audited."""

from __future__ import annotations

import itertools

import pytest

from mentiondesk.desk.access import actor_for
from mentiondesk.domain.approval_requests import ApprovalRequest, ApprovalStatus
from mentiondesk.domain.errors import InvalidInput, InvalidTransition, PermissionDenied
from mentiondesk.domain.replies import DeliveryStatus, Reply
from mentiondesk.domain.workspaces import User
from mentiondesk.replies.approvals import (
    do_approve_request,
    do_reject_request,
    do_request_approval,
    list_requests,
)
from tests.factories import Desk

WRONG_NAME = "Hi Marco, sorry about the parcel, we are checking it and will write back today."
_keys = itertools.count(1)


def ask(
    desk: Desk, user: User, case_id: int, text: str = WRONG_NAME, *, key: str = "", note: str = ""
) -> ApprovalRequest:
    with desk.services.uow() as uow:
        return do_request_approval(
            uow,
            actor_for(uow, user, desk.workspace.slug),
            case_id,
            text,
            request_key=key or f"ask-{next(_keys)}",
            now=desk.services.clock.now(),
            note=note,
        )


def approve(
    desk: Desk, user: User, request_id: int, reason: str = "Marco is her husband"
) -> tuple[ApprovalRequest, Reply]:
    with desk.services.uow() as uow:
        actor = actor_for(uow, user, desk.workspace.slug)
        return do_approve_request(uow, actor, request_id, reason, now=desk.services.clock.now())


def reject(
    desk: Desk, user: User, request_id: int, reason: str = "Use her name"
) -> ApprovalRequest:
    with desk.services.uow() as uow:
        actor = actor_for(uow, user, desk.workspace.slug)
        return do_reject_request(uow, actor, request_id, reason, now=desk.services.clock.now())


def audit_actions(desk: Desk, case_id: int) -> list[str]:
    with desk.services.uow() as uow:
        return [e.action for e in uow.audit.list(desk.workspace.id, subject=f"case:{case_id}")]


def test_an_agent_asks_an_owner_approves_and_the_reply_goes_out_as_the_agents(
    desk: Desk,
) -> None:
    case_id = desk.ingest_case()

    asked = ask(desk, desk.agent, case_id, note="It is her husband's account")
    assert asked.status is ApprovalStatus.PENDING and asked.blocking_checks == ["wrong_name"]
    with desk.services.uow() as uow:
        assert uow.replies.for_case(desk.workspace.id, case_id) == []

    decided, reply = approve(desk, desk.owner, asked.id)
    delivered = desk.deliver(reply)

    assert decided.status is ApprovalStatus.APPROVED and decided.reply_id == reply.id
    assert decided.decided_by == desk.owner.id and decided.decision_reason == "Marco is her husband"
    assert reply.user_id == desk.agent.id and reply.text == WRONG_NAME
    assert delivered.status is DeliveryStatus.SIMULATED
    with desk.services.uow() as uow:
        entries = uow.audit.list(desk.workspace.id, subject=f"case:{case_id}")
    requested = next(e for e in entries if e.action == "reply.approval_requested")
    assert requested.actor_user_id == desk.agent.id
    assert requested.reason == "It is her husband's account"
    approved = next(e for e in entries if e.action == "reply.approval_approved")
    assert approved.actor_user_id == desk.owner.id and approved.reason == "Marco is her husband"
    override = next(e for e in entries if e.action == "reply.guard_override")
    assert override.data["approved_by"] == desk.owner.id
    assert override.data["approval_request"] == asked.id


def test_a_rejection_sends_nothing_and_keeps_the_reason_for_the_agent(desk: Desk) -> None:
    case_id = desk.ingest_case()
    asked = ask(desk, desk.agent, case_id)

    rejected = reject(desk, desk.owner, asked.id, "Greet Anna, not Marco")

    assert rejected.status is ApprovalStatus.REJECTED
    assert rejected.decision_reason == "Greet Anna, not Marco"
    with desk.services.uow() as uow:
        assert uow.replies.for_case(desk.workspace.id, case_id) == []
    assert "reply.approval_rejected" in audit_actions(desk, case_id)


def test_agents_cannot_decide_and_nobody_approves_their_own_request(desk: Desk) -> None:
    case_id = desk.ingest_case()
    asked = ask(desk, desk.agent, case_id)
    with pytest.raises(PermissionDenied):
        approve(desk, desk.colleague, asked.id)
    with pytest.raises(PermissionDenied):
        reject(desk, desk.agent, asked.id)

    own = ask(desk, desk.owner, case_id)
    with pytest.raises(PermissionDenied):
        approve(desk, desk.owner, own.id)


def test_a_request_is_decided_once(desk: Desk) -> None:
    case_id = desk.ingest_case()
    asked = ask(desk, desk.agent, case_id)
    approve(desk, desk.owner, asked.id)

    with pytest.raises(InvalidTransition):
        approve(desk, desk.owner, asked.id)
    with pytest.raises(InvalidTransition):
        reject(desk, desk.owner, asked.id)
    with desk.services.uow() as uow:
        assert len(uow.replies.for_case(desk.workspace.id, case_id)) == 1


def test_a_decision_needs_a_reason(desk: Desk) -> None:
    case_id = desk.ingest_case()
    asked = ask(desk, desk.agent, case_id)
    with pytest.raises(InvalidInput):
        approve(desk, desk.owner, asked.id, "  ")


def test_a_clean_draft_is_not_asked_about_and_asking_twice_returns_the_first(desk: Desk) -> None:
    case_id = desk.ingest_case()
    with pytest.raises(InvalidInput, match="send it"):
        ask(desk, desk.agent, case_id, "Sorry about the parcel, we are checking it today.")

    first = ask(desk, desk.agent, case_id, key="same")
    again = ask(desk, desk.agent, case_id, key="same")

    assert again.id == first.id
    with desk.services.uow() as uow:
        actor = actor_for(uow, desk.owner, desk.workspace.slug)
        assert [r.id for r in list_requests(uow, actor)] == [first.id]


def test_requests_of_another_workspace_are_not_found(desk: Desk, other_desk: Desk) -> None:
    case_id = desk.ingest_case()
    asked = ask(desk, desk.agent, case_id)
    with other_desk.services.uow() as uow:
        actor = actor_for(uow, other_desk.owner, other_desk.workspace.slug)
        assert list_requests(uow, actor, status=None) == []
        assert uow.approvals.get(other_desk.workspace.id, asked.id) is None
