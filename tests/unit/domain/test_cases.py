"""The case state machine: new → open → waiting for customer → resolved (→ reopened), merged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mentiondesk.domain import events
from mentiondesk.domain.cases import Case, CaseStatus
from mentiondesk.domain.errors import InvalidTransition
from mentiondesk.domain.posts import Platform

OPENED = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
AGENT = 11
OTHER_AGENT = 12


def a_case(status: CaseStatus = CaseStatus.NEW, **fields: Any) -> Case:
    values: dict[str, Any] = {"opened_at": OPENED, "last_activity_at": OPENED, **fields}
    return Case(
        id=7,
        workspace_id=1,
        author_id=3,
        platform=Platform.X,
        thread_key="x-100",
        status=status,
        **values,
    )


def later(minutes: int) -> datetime:
    return OPENED + timedelta(minutes=minutes)


class TestReplying:
    def test_replying_moves_the_case_to_waiting_for_customer(self) -> None:
        case = a_case(CaseStatus.OPEN)

        case.record_reply(reply_id=1, by_user_id=AGENT, now=later(10))

        assert case.status is CaseStatus.WAITING
        assert case.status.label == "waiting for customer"
        assert case.last_activity_at == later(10)

    def test_the_first_reply_is_recorded_as_the_first_response(self) -> None:
        case = a_case()

        case.record_reply(reply_id=1, by_user_id=AGENT, now=later(10))

        assert case.first_response_at == later(10)

    def test_later_replies_do_not_move_the_first_response(self) -> None:
        case = a_case()
        case.record_reply(reply_id=1, by_user_id=AGENT, now=later(10))
        case.customer_wrote(post_id=2, now=later(20))

        case.record_reply(reply_id=2, by_user_id=OTHER_AGENT, now=later(30))

        assert case.first_response_at == later(10)
        assert case.status is CaseStatus.WAITING

    def test_replying_records_who_replied_with_which_reply(self) -> None:
        case = a_case()

        case.record_reply(reply_id=5, by_user_id=AGENT, now=later(10))

        assert case.events == [events.CaseReplied(7, 1, 5, AGENT, later(10))]

    def test_a_merged_case_cannot_be_replied_to(self) -> None:
        case = a_case(CaseStatus.MERGED)

        with pytest.raises(InvalidTransition, match="cannot reply to a merged case"):
            case.record_reply(reply_id=1, by_user_id=AGENT, now=later(10))

        assert case.first_response_at is None
        assert case.events == []

    def test_answering_a_resolved_case_reopens_it_until_it_is_resolved_again(self) -> None:
        case = a_case(CaseStatus.OPEN)
        case.resolve(by_user_id=AGENT, now=later(60))

        case.record_reply(reply_id=1, by_user_id=AGENT, now=later(90))

        assert case.status is CaseStatus.WAITING
        assert case.resolved_at is None
        assert case.resolution_seconds is None


class TestResolving:
    def test_resolving_records_when_and_how_long_the_case_took(self) -> None:
        case = a_case(CaseStatus.WAITING)

        case.resolve(by_user_id=AGENT, now=later(90))

        assert case.status is CaseStatus.RESOLVED
        assert case.resolved_at == later(90)
        assert case.resolution_seconds == 90 * 60
        assert case.events == [events.CaseResolved(7, 1, AGENT, later(90))]

    def test_an_unresolved_case_has_no_resolution_time(self) -> None:
        assert a_case(CaseStatus.OPEN).resolution_seconds is None

    def test_a_new_case_can_be_resolved_without_a_reply(self) -> None:
        case = a_case()

        case.resolve(by_user_id=AGENT, now=later(5))

        assert case.status is CaseStatus.RESOLVED
        assert case.first_response_at is None

    def test_a_resolved_case_cannot_be_resolved_again(self) -> None:
        case = a_case()
        case.resolve(by_user_id=AGENT, now=later(5))

        with pytest.raises(InvalidTransition, match="already resolved"):
            case.resolve(by_user_id=AGENT, now=later(6))

        assert case.resolved_at == later(5)

    def test_a_merged_case_cannot_be_resolved(self) -> None:
        case = a_case(CaseStatus.MERGED)

        with pytest.raises(InvalidTransition) as refused:
            case.resolve(by_user_id=AGENT, now=later(5))

        assert str(refused.value) == (
            "a merged case cannot be resolved; resolve the case it was merged into"
        )
        assert case.status is CaseStatus.MERGED
        assert case.resolved_at is None
        assert case.events == []


class TestCustomerFollowUp:
    def test_a_follow_up_reopens_a_resolved_case(self) -> None:
        case = a_case()
        case.resolve(by_user_id=AGENT, now=later(30))

        case.customer_wrote(post_id=2, now=later(45))

        assert case.status is CaseStatus.OPEN
        assert case.resolved_at is None
        assert case.resolution_seconds is None
        assert case.last_activity_at == later(45)

    def test_a_follow_up_wakes_a_case_waiting_for_the_customer(self) -> None:
        case = a_case()
        case.record_reply(reply_id=1, by_user_id=AGENT, now=later(10))

        case.customer_wrote(post_id=2, now=later(20))

        assert case.status is CaseStatus.OPEN
        assert case.first_response_at == later(10)

    def test_a_follow_up_leaves_a_new_case_new(self) -> None:
        case = a_case()

        case.customer_wrote(post_id=2, now=later(3))

        assert case.status is CaseStatus.NEW

    def test_a_late_delivered_older_post_does_not_move_activity_backwards(self) -> None:
        case = a_case(CaseStatus.OPEN, last_activity_at=later(60))

        case.customer_wrote(post_id=2, now=later(30))

        assert case.last_activity_at == later(60)

    def test_a_follow_up_is_recorded_as_the_customer_writing(self) -> None:
        case = a_case()

        case.customer_wrote(post_id=9, now=later(3))

        assert case.events == [events.CustomerWrote(7, 1, 9, later(3))]

    def test_a_merged_case_takes_no_new_posts(self) -> None:
        case = a_case(CaseStatus.MERGED)

        with pytest.raises(InvalidTransition, match="merged case takes no new posts"):
            case.customer_wrote(post_id=2, now=later(3))


class TestReopening:
    def test_an_agent_can_reopen_a_resolved_case(self) -> None:
        case = a_case()
        case.resolve(by_user_id=AGENT, now=later(30))

        case.reopen(by_user_id=AGENT, now=later(40))

        assert case.status is CaseStatus.OPEN
        assert case.resolved_at is None
        assert case.events[-1] == events.CaseReopened(7, 1, AGENT, later(40))

    def test_only_a_resolved_case_can_be_reopened_and_the_message_says_where_it_is(self) -> None:
        case = a_case(CaseStatus.WAITING)

        with pytest.raises(InvalidTransition, match=r"\(this one is waiting for customer\)"):
            case.reopen(by_user_id=AGENT, now=later(40))


class TestAssigning:
    def test_assigning_a_new_case_opens_it(self) -> None:
        case = a_case()

        case.assign(AGENT, by_user_id=OTHER_AGENT, now=later(1))

        assert case.assignee_id == AGENT
        assert case.status is CaseStatus.OPEN
        assert case.events == [events.CaseAssigned(7, 1, AGENT, OTHER_AGENT, later(1))]

    def test_assigning_a_waiting_case_keeps_it_waiting(self) -> None:
        case = a_case(CaseStatus.WAITING)

        case.assign(AGENT, by_user_id=AGENT, now=later(1))

        assert case.status is CaseStatus.WAITING

    def test_assigning_the_current_assignee_again_records_nothing(self) -> None:
        case = a_case(CaseStatus.OPEN, assignee_id=AGENT)

        case.assign(AGENT, by_user_id=AGENT, now=later(1))

        assert case.events == []

    def test_a_case_can_be_unassigned(self) -> None:
        case = a_case(CaseStatus.OPEN, assignee_id=AGENT)

        case.assign(None, by_user_id=AGENT, now=later(1))

        assert case.assignee_id is None

    def test_a_merged_case_cannot_be_assigned(self) -> None:
        case = a_case(CaseStatus.MERGED)

        with pytest.raises(InvalidTransition, match="cannot assign a merged case"):
            case.assign(AGENT, by_user_id=AGENT, now=later(1))

        assert case.assignee_id is None


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (CaseStatus.NEW, "new"),
        (CaseStatus.OPEN, "open"),
        (CaseStatus.WAITING, "waiting for customer"),
        (CaseStatus.RESOLVED, "resolved"),
        (CaseStatus.MERGED, "merged"),
    ],
)
def test_each_status_has_a_label_for_people(status: CaseStatus, label: str) -> None:
    assert status.label == label
