"""Tenants are isolated, and each role may do only what it is for."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mentiondesk.desk.access import actor_for
from mentiondesk.desk.case_actions import (
    do_assign_case,
    do_reopen_case,
    do_resolve_case,
    do_send_reply,
)
from mentiondesk.desk.inbox import case_view
from mentiondesk.domain.cases import CaseStatus
from mentiondesk.domain.errors import InvalidInput, NotFound, PermissionDenied
from mentiondesk.domain.workspaces import Role
from tests.conftest import START
from tests.factories import Desk, grant

CaseAction = Callable[[Desk, int], object]

ACTIONS: dict[str, CaseAction] = {
    "assign": lambda d, case_id: d.assign(d.agent, case_id, d.agent),
    "reply": lambda d, case_id: d.reply(d.agent, case_id, "hello from the wrong desk"),
    "resolve": lambda d, case_id: d.resolve(d.agent, case_id),
}


class TestWorkspaceIsolation:
    def test_another_workspace_looks_exactly_like_a_missing_one(
        self, desk: Desk, other_desk: Desk
    ) -> None:
        with desk.services.uow() as uow:
            with pytest.raises(NotFound) as theirs:
                actor_for(uow, desk.agent, "globex")
            with pytest.raises(NotFound) as missing:
                actor_for(uow, desk.agent, "no-such-brand")

        assert str(theirs.value) == "no workspace 'globex'"
        assert str(missing.value) == "no workspace 'no-such-brand'"

    def test_an_agent_cannot_read_another_workspaces_case_by_its_id(
        self, desk: Desk, other_desk: Desk
    ) -> None:
        theirs = other_desk.ingest_case()

        with pytest.raises(NotFound):
            desk.view(desk.agent, theirs)

    @pytest.mark.parametrize("action", sorted(ACTIONS))
    def test_an_agent_cannot_act_on_another_workspaces_case(
        self, desk: Desk, other_desk: Desk, action: str
    ) -> None:
        theirs = other_desk.ingest_case()
        desk.ingest_case()  # so that the id is not simply missing on both sides

        with pytest.raises(NotFound):
            ACTIONS[action](desk, theirs)

        case = other_desk.case(theirs)
        assert (case.status, case.assignee_id, case.version) == (CaseStatus.NEW, None, 1)
        with other_desk.services.uow() as uow:
            assert uow.replies.for_case(other_desk.workspace.id, theirs) == []
            assert uow.audit.list(desk.workspace.id) == []

    def test_an_agent_cannot_reopen_another_workspaces_case(
        self, desk: Desk, other_desk: Desk
    ) -> None:
        theirs = other_desk.ingest_case()
        other_desk.resolve(other_desk.agent, theirs)

        with pytest.raises(NotFound):
            desk.reopen(desk.agent, theirs)

        assert other_desk.case(theirs).status is CaseStatus.RESOLVED

    def test_acting_through_a_workspace_does_not_reach_another_even_with_its_actor(
        self, desk: Desk, other_desk: Desk
    ) -> None:
        theirs = other_desk.ingest_case()
        with desk.services.uow() as uow:
            mine = actor_for(uow, desk.owner, "acme")
            with pytest.raises(NotFound):
                case_view(uow, mine, theirs)
            with pytest.raises(NotFound):
                do_assign_case(uow, mine, theirs, desk.owner.id, now=START)
            with pytest.raises(NotFound):
                do_send_reply(uow, mine, theirs, "hi", idempotency_key="cross-1", now=START)
            with pytest.raises(NotFound):
                do_resolve_case(uow, mine, theirs, now=START)
            with pytest.raises(NotFound):
                do_reopen_case(uow, mine, theirs, now=START)

    def test_a_case_cannot_be_assigned_to_someone_from_another_workspace(
        self, desk: Desk, other_desk: Desk
    ) -> None:
        mine = desk.ingest_case()

        with pytest.raises(InvalidInput) as refused:
            desk.assign(desk.owner, mine, other_desk.agent)

        assert refused.value.field == "assignee"
        assert desk.case(mine).assignee_id is None

    def test_a_case_cannot_be_assigned_to_a_viewer(self, desk: Desk) -> None:
        mine = desk.ingest_case()

        with pytest.raises(InvalidInput):
            desk.assign(desk.owner, mine, desk.viewer)

    def test_idempotency_keys_are_per_workspace_and_never_reveal_another_reply(
        self, desk: Desk, other_desk: Desk
    ) -> None:
        theirs = other_desk.ingest_case()
        other_desk.reply(other_desk.agent, theirs, "Globex private answer", key="shared-key")
        mine = desk.ingest_case()

        reply = desk.reply(desk.agent, mine, "Acme answer", key="shared-key")

        assert reply.text == "Acme answer"
        assert reply.case_id == mine
        with pytest.raises(NotFound):
            desk.reply(desk.agent, theirs, "Acme answer", key="another-key")

    def test_each_workspace_sees_only_its_own_inbox(self, desk: Desk, other_desk: Desk) -> None:
        mine = desk.ingest_case(text="@acme help")
        theirs = other_desk.ingest_case(text="@acme help")

        assert [r.case_id for r in desk.inbox(desk.agent).rows] == [mine]
        assert [r.case_id for r in other_desk.inbox(other_desk.agent).rows] == [theirs]

    def test_the_same_post_heard_by_two_workspaces_is_stored_for_each(
        self, desk: Desk, other_desk: Desk
    ) -> None:
        mine = desk.ingest(platform_post_id="x-shared", author_handle="anna_k")
        theirs = other_desk.ingest(platform_post_id="x-shared", author_handle="anna_k")

        assert (mine.status, theirs.status) == ("created", "created")
        assert mine.case_id != theirs.case_id
        assert desk.view(desk.agent, mine.case_id or 0).earlier_cases == ()
        assert (
            desk.view(desk.agent, mine.case_id or 0).author.id
            != other_desk.view(other_desk.agent, theirs.case_id or 0).author.id
        )

    def test_a_member_of_both_workspaces_works_in_each_through_its_own_role(
        self, desk: Desk, other_desk: Desk
    ) -> None:
        grant(desk.services, desk.agent, other_desk.workspace, Role.VIEWER)
        theirs = other_desk.ingest_case()

        assert other_desk.actor(desk.agent).role is Role.VIEWER
        assert desk.actor(desk.agent).role is Role.AGENT
        with pytest.raises(PermissionDenied):
            other_desk.resolve(desk.agent, theirs)


class TestViewer:
    @pytest.mark.parametrize("action", ["assign", "reply", "resolve", "reopen"])
    def test_a_viewer_cannot_act_on_cases(self, desk: Desk, action: str) -> None:
        case_id = desk.ingest_case()
        if action == "reopen":
            desk.resolve(desk.agent, case_id)
        before = desk.case(case_id)
        attempts: dict[str, Callable[[], object]] = {
            "assign": lambda: desk.assign(desk.viewer, case_id, desk.agent),
            "reply": lambda: desk.reply(desk.viewer, case_id, "I am only watching"),
            "resolve": lambda: desk.resolve(desk.viewer, case_id),
            "reopen": lambda: desk.reopen(desk.viewer, case_id),
        }

        with pytest.raises(PermissionDenied, match="viewer cannot act on cases in Acme"):
            attempts[action]()

        after = desk.case(case_id)
        assert (after.status, after.assignee_id, after.version) == (
            before.status,
            before.assignee_id,
            before.version,
        )
        with desk.services.uow() as uow:
            assert uow.replies.for_case(desk.workspace.id, case_id) == []

    def test_a_viewer_can_read_the_inbox_and_a_case(self, desk: Desk) -> None:
        case_id = desk.ingest_case(text="@acme where is my parcel?")

        page = desk.inbox(desk.viewer)
        view = desk.view(desk.viewer, case_id)

        assert [r.case_id for r in page.rows] == [case_id]
        assert view.first_post is not None
        assert view.first_post.inbound.text == "@acme where is my parcel?"

    def test_a_viewer_is_not_offered_as_an_agent(self, desk: Desk) -> None:
        case_id = desk.ingest_case()

        agents = {user.email for user, _ in desk.view(desk.owner, case_id).agents}

        assert agents == {"owner@acme.test", "agent@acme.test", "colleague@acme.test"}
