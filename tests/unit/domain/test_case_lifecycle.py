"""The case state machine: every status change is remembered; snooze, merge and split rules."""

from __future__ import annotations

import contextlib
import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentiondesk.domain.cases import Case, CaseStatus, StatusChange
from mentiondesk.domain.errors import InvalidInput, InvalidTransition
from mentiondesk.domain.posts import Platform

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def case(case_id: int = 1, status: CaseStatus = CaseStatus.NEW, **kw: object) -> Case:
    return Case(
        id=case_id,
        workspace_id=1,
        author_id=1,
        platform=Platform.X,
        thread_key="t",
        status=status,
        opened_at=T0,
        last_activity_at=T0,
        **kw,  # type: ignore[arg-type]
    )


def test_each_status_change_is_remembered_with_its_moment() -> None:
    c = case()
    c.assign(7, by_user_id=7, now=T0 + timedelta(minutes=1))
    c.record_reply(1, by_user_id=7, now=T0 + timedelta(minutes=2))
    c.customer_wrote(2, T0 + timedelta(minutes=3))
    c.resolve(7, T0 + timedelta(minutes=4))
    assert [(s.status, (s.at - T0).seconds // 60) for s in c.status_changes] == [
        (CaseStatus.OPEN, 1),
        (CaseStatus.WAITING, 2),
        (CaseStatus.OPEN, 3),
        (CaseStatus.RESOLVED, 4),
    ]


ACTIONS = st.lists(st.sampled_from(["assign", "reply", "customer", "resolve", "reopen"]))


@given(ACTIONS)
def test_the_history_always_ends_in_the_current_status(actions: list[str]) -> None:
    c = case()
    for minute, action in enumerate(actions, start=1):
        now = T0 + timedelta(minutes=minute)
        with contextlib.suppress(InvalidTransition):
            if action == "assign":
                c.assign(minute, 1, now)
            elif action == "reply":
                c.record_reply(minute, 1, now)
            elif action == "customer":
                c.customer_wrote(minute, now)
            elif action == "resolve":
                c.resolve(1, now)
            else:
                c.reopen(1, now)
    statuses = [CaseStatus.NEW] + [s.status for s in c.status_changes]
    assert statuses[-1] is c.status
    assert all(a != b for a, b in itertools.pairwise(statuses))
    assert c.status_changes == sorted(c.status_changes, key=lambda s: s.at)


def test_snooze_needs_a_future_moment_and_a_customer_message_wakes_the_case() -> None:
    c = case(status=CaseStatus.OPEN)
    with pytest.raises(InvalidInput, match="future"):
        c.snooze(T0, 1, T0)
    c.snooze(T0 + timedelta(hours=2), 1, T0)
    assert c.is_snoozed(T0 + timedelta(hours=1))
    assert not c.is_snoozed(T0 + timedelta(hours=2))
    c.customer_wrote(5, T0 + timedelta(minutes=5))
    assert c.snoozed_until is None


def test_merging_makes_the_source_read_only_and_points_at_the_target() -> None:
    target = case(1, CaseStatus.RESOLVED, resolved_at=T0)
    source = case(2, CaseStatus.OPEN, first_response_at=T0 + timedelta(minutes=5))
    source.merge_into(target, 9, T0 + timedelta(hours=1))
    assert source.status is CaseStatus.MERGED and source.merged_into_id == 1
    assert target.status is CaseStatus.OPEN and target.resolved_at is None
    assert target.first_response_at == T0 + timedelta(minutes=5)
    assert source.status_changes == [StatusChange(CaseStatus.MERGED, T0 + timedelta(hours=1))]
    with pytest.raises(InvalidTransition, match=r"merged into \(case 1\)"):
        source.resolve(9, T0 + timedelta(hours=2))
    with pytest.raises(InvalidTransition, match="merged into case 1"):
        source.record_reply(3, 9, T0 + timedelta(hours=2))


@pytest.mark.parametrize(
    ("source_id", "target_status", "reason"),
    [(1, CaseStatus.OPEN, "into itself"), (2, CaseStatus.MERGED, "is itself merged")],
)
def test_merge_refuses_with_the_reason(
    source_id: int, target_status: CaseStatus, reason: str
) -> None:
    with pytest.raises(InvalidTransition, match=reason):
        case(source_id).merge_into(case(1, target_status), 9, T0)
