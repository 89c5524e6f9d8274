"""Reading untrusted JSON from Meta without trusting its types.

Meta sends the same field as a string in one payload and a number in another (``from.id``,
``sender_id``), times as UNIX seconds, milliseconds or ISO strings, and sometimes a field with
no value at all. These helpers return ``None`` for anything unusable instead of raising, so the
parser can turn it into a rejection with a reason."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

_EARLIEST = 946_684_800  # 2000-01-01: Graph has no earlier objects
_LATEST = 4_102_444_800  # 2100-01-01
_MILLIS_FROM = 100_000_000_000  # above this a UNIX time is in milliseconds


def obj(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def text(value: Any) -> str | None:
    """A string field, or ``None`` for anything else (numbers included)."""
    return value if isinstance(value, str) else None


def ident(value: Any) -> str | None:
    """A Graph id as text: strings as they are, integers (not booleans) written out."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    return None


def moment(value: Any) -> datetime | None:
    """An aware UTC datetime from UNIX seconds, UNIX milliseconds or an ISO 8601 string
    (Graph writes ``2026-09-10T10:00:00+0000``); ``None`` when absent or implausible."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = float(value)
        if seconds >= _MILLIS_FROM:
            seconds /= 1000.0
        if not _EARLIEST <= seconds <= _LATEST:
            return None
        return datetime.fromtimestamp(seconds, UTC)
    if isinstance(value, str) and value.strip():
        raw = value.strip()
        if raw.isascii() and raw.isdigit():
            return moment(int(raw)) if len(raw) <= 16 else None
        for parse in (_graph_iso, datetime.fromisoformat):
            try:
                parsed = parse(raw)
            except ValueError:
                continue
            if parsed.tzinfo is not None:
                return parsed.astimezone(UTC)
    return None


def _graph_iso(raw: str) -> datetime:
    return datetime.strptime(raw, "%Y-%m-%dT%H:%M:%S%z")


def iso(at: datetime) -> str:
    """The pipeline's time format: ISO 8601 with its offset."""
    return at.astimezone(UTC).isoformat()
