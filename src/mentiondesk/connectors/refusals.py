"""What a failed platform call means, in the outbox's terms, for the open-network layers.

Each platform has exactly one ``classify(status, headers, body, now)`` (in its ``errors``
module) that reads the platform's own signals — status codes, error bodies, its rate-limit
headers — and returns a ``Failure``, or ``None`` when the answer is a success. The kinds::

    transient (retry later)     RATE_LIMITED  the platform asked to slow down; ``retry_after``
                                SERVER        5xx, timeouts, connection errors (``uncertain``
                                              when the request may have been carried out)
    the channel needs an admin  TOKEN_INVALID the credentials stopped working
    final, shown on the case    FORBIDDEN     the platform's policy refuses this action
                                NOT_FOUND     the post or account is gone
                                INVALID       the request was refused as malformed or too long
                                REFUSED       anything else, with the platform's words

Exceptions::

    connectors.base.DeliveryFailed
     └── PlatformRefused   raised by the clients and connectors; ``failure`` holds the Failure
          └── TokenInvalid mark the channel disconnected; nothing will succeed until reconnected
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum

from mentiondesk.connectors.base import DeliveryFailed

__all__ = [
    "Failure",
    "FailureKind",
    "PlatformRefused",
    "TokenInvalid",
    "header",
    "refusal",
    "retry_after_header",
    "seconds_until",
]

MAX_WAIT = 24 * 3600.0  # no platform's own wait is trusted beyond a day


class FailureKind(StrEnum):
    RATE_LIMITED = "rate_limited"
    SERVER = "server"
    TOKEN_INVALID = "token_invalid"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    INVALID = "invalid"
    REFUSED = "refused"


TRANSIENT = frozenset({FailureKind.RATE_LIMITED, FailureKind.SERVER})


@dataclass(frozen=True, slots=True)
class Failure:
    kind: FailureKind
    reason: str  # the platform's words where it gave any
    retry_after: float | None = None  # seconds
    status: int | None = None
    code: str | None = None  # the platform's error code or name
    uncertain: bool = False  # the request may have been carried out (timeouts, 5xx on writes)

    @property
    def transient(self) -> bool:
        return self.kind in TRANSIENT


class PlatformRefused(DeliveryFailed):
    """The platform did not do what was asked; ``failure`` says why and whether to retry."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(
            failure.reason, retry_after=failure.retry_after, transient=failure.transient
        )
        self.failure = failure


class TokenInvalid(PlatformRefused):
    """The channel's credentials no longer work (revoked, expired beyond refresh, wrong
    password): nothing sent on this channel will succeed until an admin reconnects it."""


def refusal(failure: Failure) -> PlatformRefused:
    """The exception for ``failure``: ``TokenInvalid`` for credentials, else ``PlatformRefused``."""
    if failure.kind is FailureKind.TOKEN_INVALID:
        return TokenInvalid(failure)
    return PlatformRefused(failure)


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header's value whatever the case of its name, or ``None``."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def seconds_until(at: datetime, now: datetime) -> float:
    """Seconds from ``now`` to ``at``, never negative and never beyond a day."""
    return min(max((at - now).total_seconds(), 0.0), MAX_WAIT)


def retry_after_header(headers: Mapping[str, str], now: datetime) -> float | None:
    """``Retry-After`` as seconds (it may be a number or an HTTP date); ``None`` when absent or
    unreadable."""
    value = header(headers, "retry-after")
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return min(max(float(value), 0.0), MAX_WAIT)
    except ValueError:
        pass
    try:
        at = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return seconds_until(at, now)
