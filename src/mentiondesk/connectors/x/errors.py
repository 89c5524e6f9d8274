"""What an X API v2 answer means, decided in one place.

Every answer carries ``x-rate-limit-limit``, ``x-rate-limit-remaining`` and
``x-rate-limit-reset`` (epoch seconds). Errors come as problem JSON (``{"title", "detail",
"type": "https://api.x.com/2/problems/…"}``) or the older ``{"errors": [{"code", "message"}]}``::

    429                       RATE_LIMITED until x-rate-limit-reset (else 15 minutes);
                              ``usage-capped`` (the account is out of credits) included
    5xx                       SERVER
    401                       TOKEN_INVALID (expired or revoked user token, bad bearer)
    403                       FORBIDDEN with X's words — among them the reply to an author who
                              did not mention or quote the brand, hiding a reply outside the
                              brand's own threads, DMs to people who do not accept them
    404, resource-not-found   NOT_FOUND (deleted posts)
    400                       INVALID
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import orjson

from mentiondesk.connectors.inbound import obj, text
from mentiondesk.connectors.refusals import Failure, FailureKind, header

__all__ = ["DEFAULT_WAIT", "RateLimit", "classify", "rate_limit"]

DEFAULT_WAIT = 900.0  # X's windows are 15 minutes


@dataclass(frozen=True, slots=True)
class RateLimit:
    limit: int | None
    remaining: int | None
    reset_epoch: int | None


def rate_limit(headers: Mapping[str, str]) -> RateLimit:
    return RateLimit(
        *(_int(header(headers, f"x-rate-limit-{n}")) for n in ("limit", "remaining", "reset"))
    )


def classify(status: int, headers: Mapping[str, str], body: bytes, now: datetime) -> Failure | None:
    if status < 400:
        return None
    reason, problem = _problem(body)
    reason = reason or f"HTTP {status}"
    if status == 429:
        reset = rate_limit(headers).reset_epoch
        wait = min(max(reset - now.timestamp(), 0.0), 86400.0) if reset else DEFAULT_WAIT
        return Failure(FailureKind.RATE_LIMITED, reason, wait, status, problem)
    if status >= 500:
        return Failure(FailureKind.SERVER, reason, status=status, code=problem)
    if status == 401:
        return Failure(FailureKind.TOKEN_INVALID, reason, status=status, code=problem)
    if status == 403:
        return Failure(FailureKind.FORBIDDEN, reason, status=status, code=problem)
    if status == 404 or problem == "resource-not-found":
        return Failure(FailureKind.NOT_FOUND, reason, status=status, code=problem)
    if status == 400:
        return Failure(FailureKind.INVALID, reason, status=status, code=problem)
    return Failure(FailureKind.REFUSED, reason, status=status, code=problem)


def _problem(body: bytes) -> tuple[str | None, str | None]:
    try:
        data = obj(orjson.loads(body))
    except orjson.JSONDecodeError:
        return None, None
    kind = text(data.get("type"))
    problem = kind.rsplit("/", 1)[-1] if kind else None
    detail = text(data.get("detail")) or text(data.get("title"))
    errors = data.get("errors")
    if detail is None and isinstance(errors, list) and errors:
        detail = text(obj(errors[0]).get("message")) or text(obj(errors[0]).get("detail"))
    return detail, problem


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
