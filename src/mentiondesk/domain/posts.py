"""Posts heard on a channel, their authors, and how they mention the brand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from mentiondesk.domain.triage import TriageResult


class Platform(StrEnum):
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    X = "x"
    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    REDDIT = "reddit"
    BLOG = "blog"
    FORUM = "forum"
    DEV = "dev"


class PostKind(StrEnum):
    """Where the post sits: a top-level post, a comment in a thread, or a private message."""

    POST = "post"
    COMMENT = "comment"
    DM = "dm"


class MentionKind(StrEnum):
    """How the brand was named. ``indirect`` means named without the @ tag."""

    DIRECT = "direct"
    INDIRECT = "indirect"
    FUZZY = "fuzzy"
    QUERY = "query"


@dataclass(frozen=True, slots=True)
class Mention:
    """Why a post matched: which term, where in the text, and how."""

    kind: MentionKind
    term: str
    start: int
    end: int
    matched_text: str
    source: str = "profile"  # the profile or saved query that matched
    reason: str = ""

    @property
    def tagged(self) -> bool:
        return self.kind is MentionKind.DIRECT

    def to_dict(self) -> dict[str, Any]:
        """The mention as plain JSON: how it is stored and how the API shows it."""
        return {
            "kind": self.kind.value,
            "term": self.term,
            "start": self.start,
            "end": self.end,
            "matched_text": self.matched_text,
            "source": self.source,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mention:
        return cls(
            kind=MentionKind(data["kind"]),
            term=data["term"],
            start=data["start"],
            end=data["end"],
            matched_text=data["matched_text"],
            source=data.get("source", "profile"),
            reason=data.get("reason", ""),
        )


@dataclass(frozen=True, slots=True)
class AuthorRef:
    """The author as the platform presents them."""

    platform: Platform
    handle: str
    name: str = ""
    followers: int | None = None

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else ""


@dataclass(slots=True)
class Author:
    id: int | None
    workspace_id: int
    ref: AuthorRef


@dataclass(frozen=True, slots=True)
class InboundPost:
    """A validated post as it enters the pipeline, before it is stored."""

    platform: Platform
    platform_post_id: str
    text: str
    created_at: datetime
    author: AuthorRef
    kind: PostKind = PostKind.POST
    conversation_id: str | None = None
    in_reply_to: str | None = None
    url: str | None = None
    language_hint: str | None = None
    country: str | None = None
    to_brand: bool = False  # a DM to the brand's page, or a comment under the brand's own post

    @property
    def thread_key(self) -> str:
        """Posts sharing this key belong to one conversation on one platform."""
        return self.conversation_id or self.in_reply_to or self.platform_post_id


@dataclass(slots=True)
class Post:
    """A stored post. Users' posts are never deleted; they may be hidden with a reason."""

    id: int
    workspace_id: int
    inbound: InboundPost
    author_id: int
    received_at: datetime
    case_id: int | None = None
    mentions: tuple[Mention, ...] = ()
    triage: TriageResult | None = None
    hidden: bool = False
    hidden_reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # the channel's notes: edits, ours

    @property
    def tagged(self) -> bool:
        return any(m.tagged for m in self.mentions) or self.inbound.to_brand
