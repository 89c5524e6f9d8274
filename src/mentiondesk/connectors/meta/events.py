"""What a Meta webhook can tell mentiondesk: the typed results of ``parser.parse_webhook``.

Each part of a webhook body becomes exactly one of:

- ``MetaEvent``: something a care desk acts on. ``post`` is the pipeline's raw post shape (the
  dict ``pipeline.payload.parse_payload`` accepts) when the event carries content; removals and
  hides have ``post=None``, and so do mentions Meta sends without their text (those have
  ``fetch_needed``: read the object from Graph, then ``parser.event_from_graph_node``).
- ``Ignored`` (shared with the open-network layers, ``connectors.inbound``; ``kind`` is the
  webhook field): understood and deliberately not acted on; every reason is in ``IGNORED``.
- ``Rejected`` (shared too): not understood (unknown object, field, item or verb, a malformed
  entry), with the reason and the fragment, to be kept in ``rejected_inputs``.

The Page's or account's own activity comes back as events too (its replies on
``feed``/``comments`` with ``from.id`` equal to the entry id, Messenger ``is_echo``): those have
``ours=True`` so they thread as the brand's and never open a case.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from mentiondesk.connectors.inbound import Ignored, Rejected
from mentiondesk.connectors.meta._json import iso
from mentiondesk.domain.posts import Platform, PostKind

__all__ = [
    "IGNORED",
    "UNKNOWN_AUTHOR",
    "EventKind",
    "Ignored",
    "MetaEvent",
    "ParseResult",
    "Rejected",
]

UNKNOWN_AUTHOR = "unknown"  # Meta omits ``from`` when the app may not see the person
_FRAGMENT_CHARS = 2000
_NAME_CHARS = 200  # the pipeline's limit for a display name


class EventKind(StrEnum):
    COMMENT_ADDED = "comment_added"  # a comment, or a reply to one (Facebook or Instagram)
    COMMENT_EDITED = "comment_edited"
    COMMENT_REMOVED = "comment_removed"  # deleted on the platform, normally by its author
    COMMENT_HIDDEN = "comment_hidden"
    COMMENT_UNHIDDEN = "comment_unhidden"
    POST_ADDED = "post_added"  # a visitor post on the Page, or the Page's own (``ours``)
    POST_EDITED = "post_edited"
    POST_REMOVED = "post_removed"
    POST_HIDDEN = "post_hidden"
    POST_UNHIDDEN = "post_unhidden"
    MENTION = "mention"  # the Page or account @-named in a post or comment
    MESSAGE = "message"  # Messenger or Instagram Direct; an echo of ours has ``echo=True``
    MESSAGE_EDITED = "message_edited"
    MESSAGE_DELETED = "message_deleted"  # unsent by the customer


@dataclass(frozen=True, slots=True)
class MetaEvent:
    kind: EventKind
    platform: Platform
    account_id: str  # the Page or Instagram account the entry is for
    platform_post_id: str
    verb: str  # Meta's verb, normalised: add, edited, remove, hide, unhide
    field: str  # the webhook field (or ``messaging``)
    occurred_at: datetime
    dedupe_key: str  # equal for redeliveries of the same notification
    post: dict[str, Any] | None = None
    conversation_id: str | None = None
    in_reply_to: str | None = None
    ours: bool = False  # written by the Page/account itself
    echo: bool = False  # a Messenger/Instagram echo of a message the Page sent
    app_id: str | None = None  # on echoes: which app sent it (absent: Meta's own inbox)
    fetch_needed: bool = False  # content must be read from Graph before it becomes a post


ParseResult = MetaEvent | Ignored | Rejected

IGNORED: dict[str, str] = {
    "feed:reaction": "reactions on posts and comments are not care items",
    "feed:like": "likes on posts and comments are not care items",
    "messaging:reaction": "a reaction to a message is not a message",
    "messaging:read": "read receipts",
    "messaging:delivery": "delivery receipts",
    "messaging:postback": "button taps: mentiondesk sends no buttons",
    "messaging:optin": "marketing opt-ins",
    "messaging:referral": "ad and link referrals",
    "standby": "another app holds the conversation (handover protocol)",
}


class EventBuilder:
    """Builds the results of one change or message, which share platform, account, field and
    time (``at``: when it happened, else when Meta sent the entry)."""

    __slots__ = ("account_id", "at", "field", "platform", "sent_at")

    def __init__(
        self, platform: Platform, account_id: str, field: str, sent_at: datetime | None
    ) -> None:
        self.platform = platform
        self.account_id = account_id
        self.field = field
        self.sent_at = sent_at
        self.at = sent_at

    def post(
        self,
        *,
        post_id: str,
        message: str | None,
        fallback: str | None,
        author_id: str | None,
        author_name: str,
        handle: str | None,
        kind: PostKind,
        conversation_id: str | None,
        in_reply_to: str | None,
        url: str | None,
    ) -> dict[str, Any]:
        assert self.at is not None
        body = message if message and _readable(message) else (fallback or "[no text]")
        return {
            "platform": self.platform.value,
            "platform_post_id": post_id,
            "text": body,
            "created_at": iso(self.at),
            "author_handle": handle or author_id or UNKNOWN_AUTHOR,
            "author_name": author_name[:_NAME_CHARS],
            "kind": kind.value,
            "conversation_id": conversation_id,
            "in_reply_to": in_reply_to,
            "url": url,
            "to_brand": True,
        }

    def dm(
        self,
        mid: str,
        body: str | None,
        fallback: str | None,
        sender: str,
        conversation: str,
        reply_to: str | None,
    ) -> dict[str, Any]:
        return self.post(
            post_id=mid,
            message=body,
            fallback=fallback,
            author_id=sender,
            author_name="",
            handle=None,
            kind=PostKind.DM,
            conversation_id=conversation,
            in_reply_to=reply_to,
            url=None,
        )

    def event(
        self,
        kind: EventKind,
        object_id: str,
        verb: str,
        post: dict[str, Any] | None,
        author_id: str | None,
        *,
        conversation_id: str | None = None,
        in_reply_to: str | None = None,
        echo: bool = False,
        app_id: str | None = None,
        fetch_needed: bool = False,
        dedupe: str | None = None,
    ) -> MetaEvent:
        assert self.at is not None
        ours = echo or (author_id is not None and author_id == self.account_id)
        key = dedupe or f"{self.field}:{verb}:{object_id}:{int(self.at.timestamp())}"
        return MetaEvent(
            kind=kind,
            platform=self.platform,
            account_id=self.account_id,
            platform_post_id=object_id,
            verb=verb,
            field=self.field,
            occurred_at=self.at,
            dedupe_key=f"{self.platform.value}:{key}",
            post=post,
            conversation_id=conversation_id,
            in_reply_to=in_reply_to,
            ours=ours,
            echo=echo,
            app_id=app_id,
            fetch_needed=fetch_needed,
        )


def _readable(value: str) -> bool:
    """Whether anything would be left once control characters and spaces are gone."""
    return any(not ch.isspace() and unicodedata.category(ch) != "Cc" for ch in value)


def fragment(value: Any) -> str:
    """The part of a body a rejection is about, as JSON a person can read in the admin."""
    try:
        rendered = json.dumps(value, ensure_ascii=False, default=repr)
    except (TypeError, ValueError, RecursionError):
        rendered = repr(value)
    return rendered[:_FRAGMENT_CHARS]
