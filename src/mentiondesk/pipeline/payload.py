"""The inbound post shape shared by the importer, the webhook and the demo stream.

Validation names the offending field, so a rejected post says exactly what to fix. Everything
a channel can send is bounded here, where it enters: bytes that are not UTF-8, JSON nested
too deep or holding NaN, dates outside 1970-2100, follower counts past 10^12 (clamped), lone
surrogates (replaced by U+FFFD, so the post still arrives). ``storable`` turns any input,
however broken, into text every database accepts plus the hash that keeps it once.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import UTC, datetime
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.posts import AuthorRef, InboundPost, Platform, PostKind

MAX_TEXT_CHARS = 20_000
MAX_PAYLOAD_BYTES = 256 * 1024
MAX_FOLLOWERS = 10**12
MAX_JSON_DEPTH = 20
EARLIEST_YEAR, LATEST_YEAR = 1970, 2100

_SURROGATE = re.compile("[\ud800-\udfff]")


def loads_json(raw: bytes | str) -> Any:
    """Parse one JSON document, or raise ``InvalidInput("body", reason)``: not UTF-8 (with the
    byte offset), not JSON, ``NaN``/``Infinity`` (no database stores them), or nested deeper
    than ``MAX_JSON_DEPTH``."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput("body", f"not UTF-8: bad byte at offset {exc.start}") from None
    try:
        value = json.loads(raw, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise InvalidInput("body", f"invalid JSON: {exc}") from None
    except RecursionError:
        raise InvalidInput("body", f"invalid JSON: nested deeper than {MAX_JSON_DEPTH}") from None
    if _depth(value) > MAX_JSON_DEPTH:
        raise InvalidInput("body", f"invalid JSON: nested deeper than {MAX_JSON_DEPTH}")
    return value


def _refuse_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not a number JSON allows", name, 0)


def _depth(value: Any) -> int:
    """How deeply lists and objects nest, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def storable(raw: Any) -> tuple[str, str]:
    """Any input as text that SQLite and PostgreSQL both store (bytes that are not UTF-8 and
    lone surrogates become ``\\x..`` escapes, NUL becomes ``\\x00``), and the SHA-256 of the
    raw bytes, which keeps a re-sent or re-imported bad input from being stored twice."""
    if isinstance(raw, bytes):
        data = raw
    elif isinstance(raw, str):
        data = raw.encode("utf-8", "surrogatepass")
    else:
        try:
            text = json.dumps(raw, ensure_ascii=False, default=str, sort_keys=True)
        except (RecursionError, TypeError, ValueError):
            text = repr(raw)
        data = text.encode("utf-8", "surrogatepass")
    text = data.decode("utf-8", "backslashreplace").replace("\x00", "\\x00")
    return text, hashlib.sha256(data).hexdigest()


def _replace_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_surrogates(v) for v in value]
    return value


class InboundPostPayload(BaseModel):
    """One post as a channel delivers it. Unknown keys are refused rather than dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    platform: Platform
    platform_post_id: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    created_at: datetime
    author_handle: str = Field(min_length=1, max_length=200)
    author_name: str = Field(default="", max_length=200)
    author_followers: int | None = Field(default=None, ge=0)
    kind: PostKind = PostKind.POST
    conversation_id: str | None = Field(default=None, max_length=200)
    in_reply_to: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=2000)
    lang: str | None = Field(default=None, max_length=8)
    country: str | None = Field(default=None, max_length=8)
    to_brand: bool = False
    meta: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _sound_text(cls, data: Any) -> Any:
        """A lone surrogate (half an emoji) cannot be stored; the post still can, with U+FFFD
        where the broken character was. Nesting is bounded before anything walks it."""
        if isinstance(data, dict):
            if _depth(data) > MAX_JSON_DEPTH + 1:
                raise ValueError(f"nested deeper than {MAX_JSON_DEPTH}")
            return _replace_surrogates(data)
        return data

    @field_validator("created_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("needs a time zone offset, e.g. 2026-11-14T17:07:00+01:00")
        if not EARLIEST_YEAR - 1 <= value.year <= LATEST_YEAR:
            raise ValueError(f"must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
        value = value.astimezone(UTC)
        if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise ValueError(f"must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
        return value

    @field_validator("author_followers")
    @classmethod
    def _clamp_followers(cls, value: int | None) -> int | None:
        """Reach is a ranking hint: an absurd count is capped rather than losing the post."""
        return None if value is None else min(value, MAX_FOLLOWERS)

    @field_validator("text")
    @classmethod
    def _clean_text(cls, value: str) -> str:
        value = unicodedata.normalize("NFC", value)
        cleaned = "".join(
            ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc"
        ).strip()
        if not cleaned:
            raise ValueError("is empty")
        return cleaned

    @field_validator(
        "platform_post_id",
        "author_handle",
        "author_name",
        "conversation_id",
        "in_reply_to",
        "url",
        "lang",
        "country",
    )
    @classmethod
    def _no_control_characters(cls, value: str | None) -> str | None:
        """NUL and other control characters break databases and screens; names never need them."""
        if value is None:
            return None
        cleaned = "".join(ch for ch in value if unicodedata.category(ch) != "Cc").strip()
        if not cleaned and value:
            raise ValueError("is only control characters")
        return cleaned

    @field_validator("conversation_id", "in_reply_to", "url", "lang", "country", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    def to_inbound(self) -> InboundPost:
        return InboundPost(
            platform=self.platform,
            platform_post_id=self.platform_post_id,
            text=self.text,
            created_at=self.created_at,
            author=AuthorRef(
                self.platform, self.author_handle, self.author_name, self.author_followers
            ),
            kind=self.kind,
            conversation_id=self.conversation_id,
            in_reply_to=self.in_reply_to,
            url=self.url,
            language_hint=self.lang.lower() if self.lang else None,
            country=self.country.upper() if self.country else None,
            to_brand=self.to_brand or self.kind is PostKind.DM,
        )


def parse_payload(raw: Any) -> InboundPostPayload:
    """Validate ``raw`` (a mapping) or raise ``InvalidInput`` naming the first bad field."""
    if not isinstance(raw, dict):
        raise InvalidInput("body", f"must be a JSON object, not {type(raw).__name__}")
    try:
        return InboundPostPayload.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(p) for p in error["loc"])[:100] or "body"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "is not a known field"
        elif error["type"] == "missing":
            message = "is required"
        raise InvalidInput(field, message) from None
