"""What an XRPC answer (PDS, AppView, chat proxy) means, decided in one place.

XRPC errors are ``{"error": "<Name>", "message": "…"}``; rate limits use the IETF draft headers
``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset`` (epoch seconds) and
``RateLimit-Policy``::

    429                     RATE_LIMITED until RateLimit-Reset (else Retry-After, else 5 min)
    5xx                     SERVER
    ExpiredToken            TOKEN_INVALID, code ``ExpiredToken``: refresh the session first
    InvalidToken, AuthenticationRequired, AccountTakedown, 401
                            TOKEN_INVALID: the app password or session no longer works
    NotFound, RecordNotFound, 404
                            NOT_FOUND
    chat refusals (MessagesDisabled, NotFollowedBySender, BlockedActor, ConvoLocked,
    RecipientNotFound), 403 FORBIDDEN
    InvalidRequest, InvalidSwap, 400
                            INVALID
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import orjson

from mentiondesk.connectors.inbound import obj, text
from mentiondesk.connectors.refusals import (
    Failure,
    FailureKind,
    header,
    retry_after_header,
)

__all__ = ["DEFAULT_WAIT", "EXPIRED", "classify"]

DEFAULT_WAIT = 300.0
EXPIRED = "ExpiredToken"
_TOKEN = frozenset(
    {
        "InvalidToken",
        "AuthenticationRequired",
        "AccountTakedown",
        "AuthFactorTokenRequired",
        "AccountDeactivated",
    }
)
_FORBIDDEN = frozenset(
    {
        "MessagesDisabled",
        "NotFollowedBySender",
        "BlockedActor",
        "ConvoLocked",
        "RecipientNotFound",
        "InvalidConvo",
    }
)
_NOT_FOUND = frozenset({"NotFound", "RecordNotFound", "ProfileNotFound"})


def classify(status: int, headers: Mapping[str, str], body: bytes, now: datetime) -> Failure | None:
    if status < 400:
        return None
    name, message = _error(body)
    reason = f"{name}: {message}" if name and message else name or message or f"HTTP {status}"
    if status == 429:
        return Failure(FailureKind.RATE_LIMITED, reason, _wait(headers, now), status, name)
    if status >= 500:
        return Failure(FailureKind.SERVER, reason, status=status, code=name)
    if name == EXPIRED or name in _TOKEN or status == 401:
        return Failure(FailureKind.TOKEN_INVALID, reason, status=status, code=name)
    if name in _FORBIDDEN or status == 403:
        return Failure(FailureKind.FORBIDDEN, reason, status=status, code=name)
    if name in _NOT_FOUND or status == 404:
        return Failure(FailureKind.NOT_FOUND, reason, status=status, code=name)
    if status == 400:
        return Failure(FailureKind.INVALID, reason, status=status, code=name)
    return Failure(FailureKind.REFUSED, reason, status=status, code=name)


def _wait(headers: Mapping[str, str], now: datetime) -> float:
    reset = header(headers, "ratelimit-reset")
    try:
        if reset is not None:
            return min(max(float(reset) - now.timestamp(), 0.0), 24 * 3600.0)
    except ValueError:
        pass
    wait = retry_after_header(headers, now)
    return wait if wait is not None else DEFAULT_WAIT


def _error(body: bytes) -> tuple[str | None, str | None]:
    try:
        data = obj(orjson.loads(body))
    except orjson.JSONDecodeError:
        return None, None
    return text(data.get("error")), text(data.get("message"))
