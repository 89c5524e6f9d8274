"""How urgent a post is, 0-100: "answer this next" for ordering the inbox.

What the author wants and how upset they are weigh most; a post addressed to the brand (a tag,
a DM, a comment under its post) adds to it because the author is waiting for this brand's
answer; reach (followers) and waiting time add to it because a complaint that many people see,
or that has waited long, costs the brand more. Personal data posted in public is urgent too.

Posts nobody should answer sink: spam and hidden posts to zero, abuse and anything triage says
needs no reply below every post that does. Abuse belongs to the moderation queue, not to the top
of "Most urgent".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from mentiondesk.domain.triage import Intent

__all__ = ["NO_REPLY_CEILING", "PriorityPart", "priority", "priority_parts"]

_BASE = {Intent.COMPLAINT: 40, Intent.QUESTION: 32, Intent.LEAD: 34, Intent.PRAISE: 8,
         Intent.OTHER: 5}  # fmt: skip
# How much being upset adds: an angry complaint is the post to answer next; a gloomy remark
# addressed to the brand that asks for nothing is not.
_TONE = {Intent.COMPLAINT: 25, Intent.QUESTION: 14, Intent.LEAD: 8, Intent.PRAISE: 0,
         Intent.OTHER: 5}  # fmt: skip
NO_REPLY_CEILING = 20
"""No post that needs no reply scores above this; every complaint or question scores more."""
_HARMFUL_CEILING = 10


@dataclass(frozen=True, slots=True)
class PriorityPart:
    """One reason for the score, for the tooltip that explains it."""

    reason: str
    points: float


def priority_parts(
    *,
    intent: Intent,
    negative: float,
    harmful: bool,
    spam: bool,
    needs_reply: bool,
    sensitive: bool,
    followers: int | None,
    created_at: datetime | None,
    now: datetime,
    tagged: bool = False,
    hidden: bool = False,
) -> tuple[PriorityPart, ...]:
    """What adds to (or caps) the score; ``created_at`` and ``now`` are aware datetimes."""
    if spam or hidden:
        return (PriorityPart("spam" if spam else "hidden", 0.0),)
    parts = [PriorityPart(intent.value, float(_BASE[intent]))]
    if negative > 0.05 and _TONE[intent]:
        parts.append(PriorityPart("negative tone", _TONE[intent] * negative))
    if tagged:
        parts.append(PriorityPart("addressed to the brand", 12.0))
    if sensitive:
        parts.append(PriorityPart("personal data in public", 10.0))
    if followers:
        parts.append(PriorityPart("reach", min(13.0, 2.5 * math.log10(1 + max(followers, 0)))))
    if created_at is not None:
        hours = max(0.0, (now - created_at).total_seconds() / 3600.0)
        parts.append(PriorityPart("waiting", 12.0 * (1.0 - math.exp(-hours / 4.0))))
    return tuple(parts)


def priority(
    *,
    intent: Intent,
    negative: float,
    harmful: bool,
    spam: bool,
    needs_reply: bool,
    sensitive: bool,
    followers: int | None,
    created_at: datetime | None,
    now: datetime,
    tagged: bool = False,
    hidden: bool = False,
) -> int:
    """A 0..100 score: the sum of :func:`priority_parts`, capped for posts nobody answers."""
    parts = priority_parts(
        intent=intent,
        negative=negative,
        harmful=harmful,
        spam=spam,
        needs_reply=needs_reply,
        sensitive=sensitive,
        followers=followers,
        created_at=created_at,
        now=now,
        tagged=tagged,
        hidden=hidden,
    )
    if spam or hidden:
        return 0
    score = sum(p.points for p in parts)
    if harmful:
        score = min(score, _HARMFUL_CEILING)
    elif not needs_reply:
        score = min(score, NO_REPLY_CEILING)
    else:
        score = max(score, NO_REPLY_CEILING + 1)
    return max(0, min(100, round(score)))
