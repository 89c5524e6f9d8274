"""Sign-in throttling: free tries, then a doubling wait, then a 15-minute lock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mentiondesk.domain.throttle import (
    ACCOUNT_POLICY,
    ThrottleState,
    after_failure,
    verdict,
)

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def _fail(times: int) -> tuple[ThrottleState, datetime]:
    """Fail ``times`` times, each as soon as the throttle allows; the last failure's time."""
    state, now = ThrottleState(), T0
    for _ in range(times):
        v = verdict(state, ACCOUNT_POLICY, now)
        if not v.allowed:
            assert v.retry_at is not None
            now = v.retry_at
        state = after_failure(state, ACCOUNT_POLICY, now)
    return state, now


def test_four_failures_cost_nothing() -> None:
    state, now = _fail(4)
    assert verdict(state, ACCOUNT_POLICY, now).allowed


def test_from_the_fifth_failure_each_wait_doubles() -> None:
    waits = []
    for failures in range(5, 10):
        state, now = _fail(failures)
        v = verdict(state, ACCOUNT_POLICY, now)
        assert not v.allowed and not v.locked and v.retry_at is not None
        waits.append((v.retry_at - now).total_seconds())
    assert waits == [1, 2, 4, 8, 16]


def test_the_tenth_failure_locks_for_fifteen_minutes_then_starts_over() -> None:
    state, now = _fail(10)
    locked = verdict(state, ACCOUNT_POLICY, now + timedelta(minutes=14))
    assert not locked.allowed and locked.locked
    assert locked.retry_at == now + timedelta(minutes=15)
    later = now + timedelta(minutes=15)
    assert verdict(state, ACCOUNT_POLICY, later).allowed
    assert after_failure(state, ACCOUNT_POLICY, later).failures == 1


def test_failures_are_forgotten_after_a_quiet_quarter_hour() -> None:
    state, now = _fail(7)
    assert after_failure(state, ACCOUNT_POLICY, now + timedelta(minutes=16)).failures == 1
