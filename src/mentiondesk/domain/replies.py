"""Replies the brand sends, and their delivery state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class DeliveryStatus(StrEnum):
    """Where an outbound action stands. ``simulated`` is the development channel's: it records
    what it would have sent and delivers nothing, so it is never shown as ``sent``."""

    QUEUED = "queued"
    SENT = "sent"
    SIMULATED = "simulated"
    FAILED = "failed"
    UNSUPPORTED = "unsupported"  # the channel cannot do this (e.g. hide a post); nothing to retry

    @property
    def delivered(self) -> bool:
        """The platform has it (only ``sent``)."""
        return self is DeliveryStatus.SENT

    @property
    def label(self) -> str:
        """How the state is shown to people."""
        return _LABELS.get(self, self.value)


_LABELS = {
    DeliveryStatus.SIMULATED: "not delivered — development channel",
    DeliveryStatus.UNSUPPORTED: "not delivered — the channel cannot do this",
}


class ReplyVisibility(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"  # a DM / private reply on the same platform


# How long a public reply may be on each platform, in characters: what the platform itself
# refuses past. Platforms not listed (forums, blogs, the dev channel) take MAX_REPLY_CHARS.
PUBLIC_REPLY_LIMITS = {
    "x": 280,
    "bluesky": 300,
    "mastodon": 500,
    "instagram": 2200,
    "facebook": 8000,
    "reddit": 10_000,
}
PRIVATE_REPLY_LIMITS = {"x": 10_000, "bluesky": 1000, "mastodon": 500, "instagram": 1000}
MAX_REPLY_CHARS = 10_000


def reply_limit(platform: str, visibility: ReplyVisibility) -> int:
    """The most characters a reply may have on ``platform`` with this visibility."""
    limits = PUBLIC_REPLY_LIMITS if visibility is ReplyVisibility.PUBLIC else PRIVATE_REPLY_LIMITS
    return min(limits.get(platform, MAX_REPLY_CHARS), MAX_REPLY_CHARS)


@dataclass(slots=True)
class Reply:
    id: int
    workspace_id: int
    case_id: int
    user_id: int
    text: str
    created_at: datetime
    visibility: ReplyVisibility = ReplyVisibility.PUBLIC
    in_reply_to_post_id: int | None = None
    status: DeliveryStatus = DeliveryStatus.QUEUED
    platform_reply_id: str | None = None
    failure_reason: str | None = None
    idempotency_key: str = ""
    attempts: int = 0  # delivery attempts so far
    next_attempt_at: datetime | None = None  # when the outbox may try (again)
