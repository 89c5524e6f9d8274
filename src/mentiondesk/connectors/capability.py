"""What an agent may do with an item on an open network, and why not: the shared vocabulary.

Each platform's ``capabilities`` module holds its rules as data and answers ``check(action,
item)`` with a ``Verdict``; the composer greys out what is refused and shows the reason, and
the outbox can ask the same before sending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["Action", "Verdict", "allowed", "refused"]


class Action(StrEnum):
    PUBLIC_REPLY = "public_reply"
    DM = "dm"  # a private answer: a direct message (Mastodon: a ``direct`` status)
    LIKE = "like"  # favourite (Mastodon), like (Bluesky); Reddit and X forbid it here
    HIDE = "hide"  # hide a reply under the brand's own thread
    UNHIDE = "unhide"
    PUBLISH = "publish"


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    reason: str = ""  # why not, in words an agent understands
    tag: str | None = None  # a tag the send must carry (Meta's ``HUMAN_AGENT``)
    until: datetime | None = None  # when the permission lapses, where a platform says

    def __bool__(self) -> bool:
        return self.allowed


def allowed() -> Verdict:
    return Verdict(True)


def refused(reason: str) -> Verdict:
    return Verdict(False, reason)
