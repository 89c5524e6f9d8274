"""What a Reddit answer means, decided in one place — including the failures that arrive as
HTTP 200.

Reddit reports per-action throttles and refusals inside a 200: ``{"json": {"errors":
[["RATELIMIT", "Looks like you've been doing that a lot. Take a break for 5 minutes before
trying again.", "ratelimit"]]}}``; the token endpoint answers a wrong password with 200
``{"error": "invalid_grant"}``. So ``classify`` reads the body of every answer::

    429, or RATELIMIT in json.errors   RATELIMITED: the wait written in the message ("5 minutes",
                                       "9 seconds"), else X-Ratelimit-Reset (seconds until the
                                       window ends), else 10 minutes
    5xx                                SERVER
    401, invalid_grant, invalid_client TOKEN_INVALID (the client renews an expired token first)
    403, THREAD_LOCKED, SUBREDDIT_NOTALLOWED, USER_REQUIRED, NOT_WHITELISTED_BY_USER_MESSAGE
                                       FORBIDDEN
    404, DELETED_COMMENT, DELETED_LINK, TOO_OLD (archived)
                                       NOT_FOUND
    other json.errors (TOO_LONG, NO_TEXT, …), 400  INVALID
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from mentiondesk.connectors.inbound import obj, text
from mentiondesk.connectors.refusals import Failure, FailureKind, header

__all__ = ["DEFAULT_WAIT", "RateLimit", "classify", "rate_limit"]

DEFAULT_WAIT = 600.0  # Reddit's window is 10 minutes
_WAIT = re.compile(r"(\d+)\s*(second|minute|hour)", re.IGNORECASE)
_UNITS = {"second": 1, "minute": 60, "hour": 3600}
_FORBIDDEN = frozenset(
    {
        "THREAD_LOCKED",
        "SUBREDDIT_NOTALLOWED",
        "USER_REQUIRED",
        "NOT_WHITELISTED_BY_USER_MESSAGE",
        "BANNED_FROM_SUBREDDIT",
    }
)
_GONE = frozenset({"DELETED_COMMENT", "DELETED_LINK", "TOO_OLD", "NO_THING_ID"})


@dataclass(frozen=True, slots=True)
class RateLimit:
    used: float | None
    remaining: float | None
    reset_seconds: float | None


def rate_limit(headers: Mapping[str, str]) -> RateLimit:
    return RateLimit(
        *(_float(header(headers, f"x-ratelimit-{n}")) for n in ("used", "remaining", "reset"))
    )


def classify(status: int, headers: Mapping[str, str], body: bytes, now: datetime) -> Failure | None:
    data = _json(body)
    if status == 429:
        return Failure(
            FailureKind.RATE_LIMITED,
            "Reddit asked to slow down (429)",
            _header_wait(headers),
            status,
        )
    if status >= 500:
        return Failure(FailureKind.SERVER, f"Reddit failed ({status})", status=status)
    grant = text(obj(data).get("error"))
    if status == 401 or grant in ("invalid_grant", "invalid_client", "unauthorized_client"):
        return Failure(
            FailureKind.TOKEN_INVALID,
            grant or "the token was refused (401)",
            status=status,
            code=grant or "401",
        )
    if status == 403:
        return Failure(FailureKind.FORBIDDEN, "Reddit refused access (403)", status=status)
    if status == 404:
        return Failure(FailureKind.NOT_FOUND, "not found on Reddit (404)", status=status)
    if status >= 400:
        return Failure(FailureKind.INVALID, f"Reddit refused the request ({status})", status=status)
    errors = obj(obj(data).get("json")).get("errors")
    if not isinstance(errors, list) or not errors:
        return None
    first = errors[0] if isinstance(errors[0], list) else [errors[0]]
    code = str(first[0]) if first else "ERROR"
    message = str(first[1]) if len(first) > 1 else code
    reason = f"{code}: {message}"
    if code == "RATELIMIT":
        return Failure(
            FailureKind.RATE_LIMITED,
            reason,
            _message_wait(message) or _header_wait(headers),
            status,
            code,
        )
    if code in _FORBIDDEN:
        return Failure(FailureKind.FORBIDDEN, reason, status=status, code=code)
    if code in _GONE:
        return Failure(FailureKind.NOT_FOUND, reason, status=status, code=code)
    return Failure(FailureKind.INVALID, reason, status=status, code=code)


def _message_wait(message: str) -> float | None:
    found = _WAIT.search(message)
    if found is None:
        return None
    return float(int(found.group(1)) * _UNITS[found.group(2).lower()])


def _header_wait(headers: Mapping[str, str]) -> float:
    reset = rate_limit(headers).reset_seconds
    return min(reset, 24 * 3600.0) if reset is not None and reset >= 0 else DEFAULT_WAIT


def _json(body: bytes) -> Any:
    try:
        return orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        return None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
