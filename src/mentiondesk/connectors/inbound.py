"""What the open-network platform layers (Bluesky, Mastodon, Reddit, RSS/Atom, X) hand on.

Every parser there turns what a platform sent into a list of results, never raising:

- ``InboundEvent``: something the desk acts on. ``post`` is the pipeline's raw post shape (the
  dict ``pipeline.payload.parse_payload`` accepts) when the event carries content; deletions
  have ``post=None``. ``dedupe_key`` is equal for every redelivery of the same thing (a replayed
  stream, overlapping polls), so ingesting twice stores once. ``ours`` marks the brand's own
  activity, which threads as the brand's and never opens a case.
- ``Ignored``: understood and deliberately not acted on, with the reason.
- ``Rejected``: not understood, with the reason and the fragment, for ``rejected_inputs``.

The helpers below read untrusted JSON without trusting its types: each returns ``None`` for
anything unusable, so a parser can turn it into a rejection that says what was wrong.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mentiondesk.domain.posts import Platform, PostKind

__all__ = [
    "FRAGMENT_CHARS",
    "Ignored",
    "InboundEvent",
    "ParseResult",
    "Rejected",
    "content_hash",
    "fragment",
    "ident",
    "iso",
    "moment",
    "obj",
    "raw_post",
    "text",
]

FRAGMENT_CHARS = 2000
_NAME_CHARS = 200  # the pipeline's limits
_ID_CHARS = 200
_EARLIEST = 946_684_800  # 2000-01-01
_LATEST = 4_102_444_800  # 2100-01-01


@dataclass(frozen=True, slots=True)
class InboundEvent:
    kind: str  # the platform layer's own vocabulary: mention, reply, quote, post, deleted, ...
    platform: Platform
    platform_post_id: str
    occurred_at: datetime
    dedupe_key: str
    post: dict[str, Any] | None = None
    ours: bool = False
    cursor: str | None = None  # where a reader resumes after this event, when the source has one


@dataclass(frozen=True, slots=True)
class Ignored:
    kind: str
    reason: str


@dataclass(frozen=True, slots=True)
class Rejected:
    reason: str
    fragment: str  # what the platform sent, cut to a readable length


ParseResult = InboundEvent | Ignored | Rejected


def raw_post(
    *,
    platform: Platform,
    post_id: str,
    text: str,
    created_at: datetime,
    author_handle: str,
    author_name: str = "",
    kind: PostKind = PostKind.POST,
    conversation_id: str | None = None,
    in_reply_to: str | None = None,
    url: str | None = None,
    lang: str | None = None,
    to_brand: bool = False,
    followers: int | None = None,
) -> dict[str, Any]:
    """The pipeline's raw post dict, with every field cut to the pipeline's limits."""
    post: dict[str, Any] = {
        "platform": platform.value,
        "platform_post_id": post_id[:_ID_CHARS],
        "text": text,
        "created_at": iso(created_at),
        "author_handle": author_handle[:_NAME_CHARS],
        "author_name": author_name[:_NAME_CHARS],
        "kind": kind.value,
        "conversation_id": conversation_id[:_ID_CHARS] if conversation_id else None,
        "in_reply_to": in_reply_to[:_ID_CHARS] if in_reply_to else None,
        "url": url[:2000] if url else None,
        "to_brand": to_brand,
    }
    if lang and len(lang) <= 8:
        post["lang"] = lang
    if followers is not None and followers >= 0:
        post["author_followers"] = followers
    return post


def fragment(value: Any) -> str:
    """What was received, as readable text of bounded length."""
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode("utf-8", "replace")
    if not isinstance(value, str):
        try:
            value = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError, RecursionError):
            value = repr(value)
    return value[:FRAGMENT_CHARS]


def content_hash(*parts: str | None) -> str:
    """A stable digest of the parts, for dedupe where a platform gives no id."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update((part or "").encode("utf-8", "replace"))
        digest.update(b"\x1f")
    return digest.hexdigest()[:32]


def obj(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def text(value: Any) -> str | None:
    """A non-blank string field, or ``None`` for anything else (numbers included)."""
    return value if isinstance(value, str) and value.strip() else None


def ident(value: Any) -> str | None:
    """An id as text: strings as they are, non-negative integers (not booleans) written out."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    return None


def moment(value: Any) -> datetime | None:
    """An aware UTC datetime from UNIX seconds (int or float) or an ISO 8601 string; ``None``
    when absent, naive or implausible."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not _EARLIEST <= value <= _LATEST:
            return None
        return datetime.fromtimestamp(float(value), UTC)
    if isinstance(value, str) and value.strip():
        raw = value.strip()
        if raw.endswith(("Z", "z")):
            raw = raw[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            return None
        if parsed.tzinfo is None:
            return None
        parsed = parsed.astimezone(UTC)
        return parsed if _EARLIEST <= parsed.timestamp() <= _LATEST else None
    return None


def iso(at: datetime) -> str:
    """The pipeline's time format: ISO 8601 with its offset."""
    return at.astimezone(UTC).isoformat()
