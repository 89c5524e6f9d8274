"""Sign-in throttling: after a few failures each new try must wait longer, then the door
locks for a while. Pure: the state is a small record that storage keeps per key (an account or
a client address), so every worker of the web app sees the same count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    """``free`` failures cost nothing; each later one doubles the wait before the next try
    (1 s, 2 s, 4 s …, at most ``max_delay``); at ``lock_at`` failures the key is locked for
    ``lock_for``. A key with no failure for ``forget_after`` starts again from zero."""

    free: int = 5
    lock_at: int = 10
    lock_for: timedelta = timedelta(minutes=15)
    max_delay: timedelta = timedelta(seconds=60)
    forget_after: timedelta = timedelta(minutes=15)

    def delay_after(self, failures: int) -> timedelta:
        if failures < self.free:
            return timedelta(0)
        return min(timedelta(seconds=2 ** (failures - self.free)), self.max_delay)


ACCOUNT_POLICY = ThrottlePolicy()
# One office behind one address must not lock itself out because of a few typos: the
# address allows more, and still stops one machine from trying thousands of accounts.
ADDRESS_POLICY = ThrottlePolicy(free=20, lock_at=50)


@dataclass(frozen=True, slots=True)
class ThrottleState:
    failures: int = 0
    last_failure_at: datetime | None = None
    locked_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """May a sign-in be tried now? If not, until when it must wait, and whether that is a
    lockout (shown with its end) or a short delay."""

    allowed: bool
    retry_at: datetime | None = None
    locked: bool = False


def current(state: ThrottleState, policy: ThrottlePolicy, now: datetime) -> ThrottleState:
    """The state with old failures forgotten and an expired lock lifted."""
    if state.locked_until is not None and state.locked_until > now:
        return state
    if state.last_failure_at is None or now - state.last_failure_at >= policy.forget_after:
        return ThrottleState()
    if state.locked_until is not None:  # the lock ran out: start again from zero
        return ThrottleState()
    return state


def verdict(state: ThrottleState, policy: ThrottlePolicy, now: datetime) -> Verdict:
    state = current(state, policy, now)
    if state.locked_until is not None:
        return Verdict(False, state.locked_until, locked=True)
    if state.last_failure_at is not None:
        retry_at = state.last_failure_at + policy.delay_after(state.failures)
        if retry_at > now:
            return Verdict(False, retry_at)
    return Verdict(True)


def after_failure(state: ThrottleState, policy: ThrottlePolicy, now: datetime) -> ThrottleState:
    """The state after one more wrong password; locked when it reaches ``lock_at``."""
    state = current(state, policy, now)
    failures = state.failures + 1
    locked_until = now + policy.lock_for if failures >= policy.lock_at else None
    return ThrottleState(failures, now, locked_until)
