"""What a failed Graph call means, decided in one place from Meta's error envelope and headers.

Meta answers errors with HTTP 400/403 (rarely 429) and a body like
``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id", "is_transient"}}``; how
long to wait is in the usage headers (``X-Business-Use-Case-Usage``, ``X-Page-Usage``:
``estimated_time_to_regain_access`` in minutes; ``X-App-Usage``: percentages only). ``classify``
turns that into a ``GraphFailure`` whose ``kind`` says what to do:

    transient (retry later)      RATE_LIMITED  codes 4, 17, 32, 341, 613, 80000-80006
                                 SERVER        codes 1, 2, ``is_transient``, HTTP 5xx, timeouts
    the channel needs an admin   TOKEN_INVALID code 190 (any subcode: 458-467 ...), 102
    final, shown on the case     WINDOW_CLOSED subcode 2018278 (sent outside the allowed
                                               messaging window)
                                 ALREADY_REPLIED 10900 (one private reply per comment)
                                 UNREACHABLE   551 (the person cannot be messaged)
                                 GONE          100 / 33 (the comment or post no longer exists)
                                 PERMISSION    3, 10, 200-299
                                 BLOCKED       368 (temporarily blocked for policy reasons)
                                 DUPLICATE     506
                                 REFUSED       anything else

Exceptions (the shared tree of ``connectors.refusals``; ``graph`` keeps Meta's own kind)::

    GraphError                   raised by ``GraphClient``; ``failure`` holds the ``GraphFailure``
    connectors.base.DeliveryFailed
     └── refusals.PlatformRefused   ``failure``: the shared ``Failure``
          ├── MetaRefused           what ``MetaConnector`` raises; ``graph``: the GraphFailure
          └── refusals.TokenInvalid the token is expired or revoked: mark the channel
                                    disconnected (``meta_refusal`` raises one carrying ``graph``)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mentiondesk.connectors.refusals import Failure, PlatformRefused, TokenInvalid
from mentiondesk.connectors.refusals import FailureKind as SharedKind

__all__ = [
    "DEFAULT_RATE_LIMIT_WAIT",
    "FailureKind",
    "GraphError",
    "GraphFailure",
    "MetaRefused",
    "TokenInvalid",
    "Usage",
    "classify",
    "meta_refusal",
    "parse_usage",
]

DEFAULT_RATE_LIMIT_WAIT = 300.0  # seconds, when Meta throttles without saying for how long

RATE_LIMIT_CODES = frozenset({4, 17, 32, 341, 613, *range(80000, 80007)})
SERVER_CODES = frozenset({1, 2})
TOKEN_CODES = frozenset({102, 190})
WINDOW_SUBCODES = frozenset({2018278})
PERMISSION_CODES = frozenset({3, 10, *range(200, 300)})
TOKEN_REASONS = {
    458: "the app is no longer installed for this account",
    459: "the account must log in to Facebook to fix a checkpoint",
    460: "the password was changed",
    463: "the token has expired",
    464: "the account is not confirmed",
    467: "the token is invalid",
    492: "the person lost their role on the Page",
}
USAGE_HEADERS = ("x-app-usage", "x-page-usage", "x-business-use-case-usage")


class FailureKind(StrEnum):
    RATE_LIMITED = "rate_limited"
    SERVER = "server"
    TOKEN_INVALID = "token_invalid"
    WINDOW_CLOSED = "window_closed"
    ALREADY_REPLIED = "already_replied"
    UNREACHABLE = "unreachable"
    GONE = "gone"
    PERMISSION = "permission"
    BLOCKED = "blocked"
    DUPLICATE = "duplicate"
    REFUSED = "refused"

    @property
    def transient(self) -> bool:
        return self in (FailureKind.RATE_LIMITED, FailureKind.SERVER)


@dataclass(frozen=True, slots=True)
class GraphFailure:
    kind: FailureKind
    message: str  # Meta's own words (``error_user_msg`` when it gave one for people)
    status: int | None = None  # HTTP status; None when no answer came
    code: int | None = None
    subcode: int | None = None
    fbtrace_id: str | None = None
    retry_after: float | None = None  # seconds, for RATE_LIMITED
    uncertain: bool = False  # the request may have been carried out (timeout, 5xx)

    @property
    def reason(self) -> str:
        """One line for the case and the log: Meta's message with its code."""
        if self.code is None:
            return self.message
        code = f"#{self.code}" + (f"/{self.subcode}" if self.subcode else "")
        return f"Meta refused ({code}): {self.message}"

    @property
    def transient(self) -> bool:
        return self.kind.transient

    def shared(self) -> Failure:
        """The same failure in the vocabulary every platform shares (``connectors.refusals``)."""
        code = None if self.code is None else str(self.code)
        return Failure(
            _SHARED_KIND[self.kind],
            self.reason,
            self.retry_after,
            self.status,
            code,
            uncertain=self.uncertain,
        )


class GraphError(Exception):
    def __init__(self, failure: GraphFailure) -> None:
        super().__init__(failure.reason)
        self.failure = failure


class MetaRefused(PlatformRefused):
    """Delivery failed on Meta's side; ``transient`` and ``retry_after`` say whether and when
    to try again, ``graph`` what exactly Meta said (window closed, already replied, ...)."""

    def __init__(self, failure: GraphFailure) -> None:
        super().__init__(failure.shared())
        self.graph = failure


class _MetaTokenInvalid(MetaRefused, TokenInvalid):
    """The shared ``TokenInvalid``, still carrying Meta's ``graph`` failure."""


def meta_refusal(failure: GraphFailure) -> MetaRefused:
    """The exception for ``failure``: a ``TokenInvalid`` for code 190/102, else ``MetaRefused``."""
    if failure.kind is FailureKind.TOKEN_INVALID:
        return _MetaTokenInvalid(failure)
    return MetaRefused(failure)


@dataclass(frozen=True, slots=True)
class Usage:
    """How much of Meta's quota the app has used (the highest percentage in any usage header)
    and, when Meta said so, how long until access is regained."""

    percent: int = 0
    regain_after: float | None = None  # seconds


def parse_usage(headers: Mapping[str, str]) -> Usage:
    """Read every usage header Meta sends; a malformed one counts as absent."""
    percent = 0
    regain: float | None = None
    lowered = {k.lower(): v for k, v in headers.items()}
    for name in USAGE_HEADERS:
        for record in _usage_records(lowered.get(name)):
            for key in ("call_count", "total_time", "total_cputime"):
                value = record.get(key)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    percent = max(percent, int(value))
            minutes = record.get("estimated_time_to_regain_access")
            if isinstance(minutes, int | float) and not isinstance(minutes, bool) and minutes > 0:
                regain = max(regain or 0.0, float(minutes) * 60.0)
    return Usage(percent, regain)


def _usage_records(raw: str | None) -> list[dict[str, Any]]:
    """The flat record of ``X-App-Usage``/``X-Page-Usage``, or every record in the
    ``{business id: [records]}`` map of ``X-Business-Use-Case-Usage``."""
    if not raw:
        return []
    try:
        data = json.loads(raw)
    except ValueError:
        return []
    if not isinstance(data, dict):
        return []
    nested = [r for v in data.values() if isinstance(v, list) for r in v if isinstance(r, dict)]
    return [*nested, data]


_SHARED_KIND = {
    FailureKind.RATE_LIMITED: SharedKind.RATE_LIMITED,
    FailureKind.SERVER: SharedKind.SERVER,
    FailureKind.TOKEN_INVALID: SharedKind.TOKEN_INVALID,
    FailureKind.WINDOW_CLOSED: SharedKind.FORBIDDEN,
    FailureKind.ALREADY_REPLIED: SharedKind.FORBIDDEN,
    FailureKind.UNREACHABLE: SharedKind.FORBIDDEN,
    FailureKind.GONE: SharedKind.NOT_FOUND,
    FailureKind.PERMISSION: SharedKind.FORBIDDEN,
    FailureKind.BLOCKED: SharedKind.FORBIDDEN,
    FailureKind.DUPLICATE: SharedKind.INVALID,
    FailureKind.REFUSED: SharedKind.REFUSED,
}


def classify(status: int, headers: Mapping[str, str], body: Any) -> GraphFailure | None:
    """The failure in a Graph answer, or ``None`` when it succeeded."""
    error = body.get("error") if isinstance(body, dict) else None
    if status < 400 and not isinstance(error, dict):
        return None
    if not isinstance(error, dict):
        if status >= 500 or status == 429:
            return _server_or_throttle(status, headers)
        return GraphFailure(FailureKind.REFUSED, f"HTTP {status} without an error", status)
    code = _int(error.get("code"))
    subcode = _int(error.get("error_subcode"))
    message = _text(error.get("error_user_msg")) or _text(error.get("message")) or "no message"
    trace = _text(error.get("fbtrace_id"))
    kind = _kind(status, code, subcode, error.get("is_transient") is True)
    retry_after = None
    if kind is FailureKind.RATE_LIMITED:
        retry_after = _wait(headers)
    if kind is FailureKind.TOKEN_INVALID and subcode in TOKEN_REASONS:
        message = f"{message} ({TOKEN_REASONS[subcode]})"
    return GraphFailure(
        kind,
        message,
        status=status,
        code=code,
        subcode=subcode,
        fbtrace_id=trace,
        retry_after=retry_after,
        uncertain=kind is FailureKind.SERVER,
    )


def _kind(status: int, code: int | None, subcode: int | None, is_transient: bool) -> FailureKind:
    if code in TOKEN_CODES:
        return FailureKind.TOKEN_INVALID
    if code in RATE_LIMIT_CODES or status == 429:
        return FailureKind.RATE_LIMITED
    if code in SERVER_CODES or is_transient or status >= 500:
        return FailureKind.SERVER
    if subcode in WINDOW_SUBCODES:
        return FailureKind.WINDOW_CLOSED
    table = {10900: FailureKind.ALREADY_REPLIED, 551: FailureKind.UNREACHABLE}
    table |= {368: FailureKind.BLOCKED, 506: FailureKind.DUPLICATE}
    if code in table:
        return table[code]
    if code == 100 and subcode == 33:
        return FailureKind.GONE
    if code in PERMISSION_CODES:
        return FailureKind.PERMISSION
    return FailureKind.REFUSED


def _server_or_throttle(status: int, headers: Mapping[str, str]) -> GraphFailure:
    if status == 429:
        return GraphFailure(
            FailureKind.RATE_LIMITED,
            "HTTP 429 Too Many Requests",
            status,
            retry_after=_wait(headers),
        )
    return GraphFailure(FailureKind.SERVER, f"HTTP {status} from Meta", status, uncertain=True)


def _wait(headers: Mapping[str, str]) -> float:
    """Seconds to wait: Meta's estimate, else a ``Retry-After`` header, else the default."""
    usage = parse_usage(headers)
    if usage.regain_after:
        return usage.regain_after
    lowered = {k.lower(): v for k, v in headers.items()}
    retry = lowered.get("retry-after", "")
    if retry.strip().isascii() and retry.strip().isdigit() and 0 < int(retry) <= 86_400:
        return float(retry)
    return DEFAULT_RATE_LIMIT_WAIT


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.strip().isdigit() and len(value) < 12:
        return int(value)
    return None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
