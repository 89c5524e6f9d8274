"""Signing in with throttling: per account and per client address, failures make the next try
wait (1 s, 2 s, 4 s … after the fifth) and the tenth locks the account for 15 minutes. A
refused try does not even check the password, so a locked account cannot be guessed at.
Lockouts are audited in every workspace of the locked account."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from mentiondesk.desk.accounts import authenticate, normalise_email
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.throttle import (
    ACCOUNT_POLICY,
    ADDRESS_POLICY,
    ThrottlePolicy,
    Verdict,
    after_failure,
    verdict,
)
from mentiondesk.domain.workspaces import User
from mentiondesk.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SignInResult:
    """The user when signed in; otherwise until when a new try is refused (after a wrong
    password too, once the free tries are spent), whether that is a lockout, and whether this
    try was refused without looking at the password."""

    user: User | None
    retry_at: datetime | None = None
    locked: bool = False
    refused: bool = False

    @property
    def throttled(self) -> bool:
        return self.user is None and self.retry_at is not None


def _keys(email: str, address: str) -> list[tuple[str, ThrottlePolicy]]:
    try:
        account = normalise_email(email)
    except InvalidInput:
        account = email.strip().lower()
    keys = [(f"account:{account[:300]}", ACCOUNT_POLICY)]
    if address:
        keys.append((f"address:{address[:64]}", ADDRESS_POLICY))
    return keys


def _strictest(verdicts: list[Verdict]) -> Verdict | None:
    refused = [v for v in verdicts if not v.allowed]
    if not refused:
        return None
    return max(refused, key=lambda v: (v.locked, v.retry_at))


def do_sign_in(
    uow: UnitOfWork, email: str, password: str, *, address: str, now: datetime
) -> SignInResult:
    keys = _keys(email, address)
    refused = _strictest([verdict(uow.throttles.get(k), p, now) for k, p in keys])
    if refused is not None:
        return SignInResult(None, refused.retry_at, refused.locked, refused=True)
    user = authenticate(uow, email, password)
    if user is not None:
        uow.throttles.clear(keys[0][0])  # the address keeps its count: it may be guessing
        uow.commit()
        return SignInResult(user)
    newly_locked: list[tuple[str, datetime]] = []
    for key, policy in keys:
        before = uow.throttles.get(key)
        state = after_failure(before, policy, now)
        uow.throttles.save(key, state)
        if state.locked_until is not None and before.locked_until != state.locked_until:
            newly_locked.append((key, state.locked_until))
    for key, until in newly_locked:
        _record_lockout(uow, key, until, address=address, now=now)
    uow.commit()
    after = _strictest([verdict(uow.throttles.get(k), p, now) for k, p in keys])
    if after is None:
        return SignInResult(None)
    return SignInResult(None, after.retry_at, after.locked)


def _record_lockout(
    uow: UnitOfWork, key: str, until: datetime, *, address: str, now: datetime
) -> None:
    log.warning("sign-in locked for %s until %s", key, until.isoformat())
    kind, _, value = key.partition(":")
    if kind != "account":
        return
    user = uow.users.get_by_email(value)
    if user is None:
        return
    for workspace_id in uow.users.workspace_ids(user.id):
        uow.audit.append(
            AuditEntry.by_rule(
                workspace_id,
                "sign-in throttling",
                "account.locked",
                f"user:{user.id}",
                at=now,
                reason=f"{ACCOUNT_POLICY.lock_at} wrong passwords",
                data={"locked_until": until.isoformat(), "address": address},
            )
        )
