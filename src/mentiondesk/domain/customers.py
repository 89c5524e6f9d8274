"""The customer behind the posts: notes, tags, free fields, and who is the same person.

An author is one handle on one platform in one workspace. Agents link authors who are the same
person on different platforms ("same person"); identical handles on different platforms are only
suggested, because ``@anna`` on X and ``anna`` on Instagram may well be two people."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from mentiondesk.domain.errors import InvalidInput

MAX_NOTE_CHARS = 5_000
MAX_TAGS = 30
MAX_FIELDS = 30


def handle_key(handle: str) -> str:
    """What identical handles share across platforms: no leading @, case-folded."""
    return handle.strip().lstrip("@").casefold()


def clean_note(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput("text", "is empty")
    if len(text) > MAX_NOTE_CHARS:
        raise InvalidInput("text", f"is longer than {MAX_NOTE_CHARS} characters")
    return text


def clean_tags(tags: list[str]) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(t.strip().lower() for t in tags if t.strip()))
    if len(cleaned) > MAX_TAGS or any(len(t) > 50 for t in cleaned):
        raise InvalidInput("tags", f"at most {MAX_TAGS} tags of up to 50 characters")
    return cleaned


def clean_fields(fields: dict[str, str]) -> dict[str, str]:
    cleaned = {k.strip(): v.strip() for k, v in fields.items() if k.strip()}
    cleaned = {k: v for k, v in cleaned.items() if v}
    if len(cleaned) > MAX_FIELDS or any(len(k) > 50 or len(v) > 500 for k, v in cleaned.items()):
        raise InvalidInput("fields", f"at most {MAX_FIELDS} fields (names ≤ 50, values ≤ 500)")
    return cleaned


@dataclass(frozen=True, slots=True)
class Note:
    """A private note by a colleague, on a case or on a customer; never sent anywhere."""

    id: int
    user_id: int
    author_name: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CustomerProfile:
    tags: tuple[str, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuthorIdentity:
    id: int
    workspace_id: int
    platform: str
    handle: str
    name: str


@dataclass(frozen=True, slots=True)
class CustomerCase:
    """One case of the customer, possibly in another workspace of the agency."""

    workspace_slug: str
    workspace_name: str
    case_id: int
    platform: str
    handle: str
    status: str
    summary: str
    opened_at: datetime
    last_activity_at: datetime
