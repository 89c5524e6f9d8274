"""What a Mastodon answer means, decided in one place.

Every response carries ``X-RateLimit-Limit``, ``X-RateLimit-Remaining`` and
``X-RateLimit-Reset`` — the reset is an ISO 8601 timestamp (with microseconds), not a number of
seconds. Errors are ``{"error": "…"}``::

    429          RATE_LIMITED until X-RateLimit-Reset (else Retry-After, else the 5-minute window)
    5xx          SERVER (503 with Retry-After: RATE_LIMITED)
    401          TOKEN_INVALID ("The access token is invalid")
    403          FORBIDDEN (scope missing, account suspended, blocked by the author)
    404          NOT_FOUND (the status was deleted, or is not visible to the brand)
    422          INVALID (validation failed: blank or too long text, bad visibility)
    other 4xx    REFUSED
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import orjson

from mentiondesk.connectors.inbound import moment, obj, text
from mentiondesk.connectors.refusals import (
    Failure,
    FailureKind,
    header,
    retry_after_header,
    seconds_until,
)

__all__ = ["WINDOW_SECONDS", "RateLimit", "classify", "rate_limit"]

WINDOW_SECONDS = 300.0  # Mastodon's default: 300 calls per 5 minutes


@dataclass(frozen=True, slots=True)
class RateLimit:
    limit: int | None
    remaining: int | None
    reset_at: datetime | None


def rate_limit(headers: Mapping[str, str]) -> RateLimit:
    """The rate-limit headers of any answer; unreadable values count as absent."""
    return RateLimit(
        _int(header(headers, "x-ratelimit-limit")),
        _int(header(headers, "x-ratelimit-remaining")),
        moment(header(headers, "x-ratelimit-reset")),
    )


def classify(status: int, headers: Mapping[str, str], body: bytes, now: datetime) -> Failure | None:
    if status < 400:
        return None
    message = _message(body) or f"HTTP {status}"
    if status == 429:
        reset = rate_limit(headers).reset_at
        wait = seconds_until(reset, now) if reset else retry_after_header(headers, now)
        return Failure(
            FailureKind.RATE_LIMITED, message, wait if wait is not None else WINDOW_SECONDS, status
        )
    if status == 503 and (wait := retry_after_header(headers, now)) is not None:
        return Failure(FailureKind.RATE_LIMITED, message, wait, status)
    if status >= 500:
        return Failure(FailureKind.SERVER, message, status=status)
    kind = {
        401: FailureKind.TOKEN_INVALID,
        403: FailureKind.FORBIDDEN,
        404: FailureKind.NOT_FOUND,
        410: FailureKind.NOT_FOUND,
        422: FailureKind.INVALID,
    }.get(status, FailureKind.REFUSED)
    return Failure(kind, message, status=status)


def _message(body: bytes) -> str | None:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    found = obj(data)
    return text(found.get("error_description")) or text(found.get("error"))


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None
