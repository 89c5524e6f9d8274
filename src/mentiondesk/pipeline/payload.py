"""The inbound post shape shared by the importer, the webhook and the demo stream.

Validation names the offending field, so a rejected post says exactly what to fix."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.posts import AuthorRef, InboundPost, Platform, PostKind

MAX_TEXT_CHARS = 20_000
MAX_PAYLOAD_BYTES = 256 * 1024


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

    @field_validator("created_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("needs a time zone offset, e.g. 2026-11-14T17:07:00+01:00")
        return value.astimezone(UTC)

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
        field = ".".join(str(p) for p in error["loc"]) or "body"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "is not a known field"
        elif error["type"] == "missing":
            message = "is required"
        raise InvalidInput(field, message) from None
