"""How urgent a post is, 0-100, for ordering the inbox.

What the author wants and how upset they are weigh most; reach (followers) and waiting time add
to it because a complaint that many people see, or that has waited long, costs the brand more.
Personal data posted in public is urgent too: it should be hidden soon. Posts that need no reply
stay low, except abuse, which a moderator should see.
"""

from __future__ import annotations

import math
from datetime import datetime

from mentiondesk.domain.triage import Intent

__all__ = ["priority"]

_BASE = {Intent.COMPLAINT: 45, Intent.QUESTION: 35, Intent.LEAD: 40, Intent.PRAISE: 10,
         Intent.OTHER: 5}  # fmt: skip


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
) -> int:
    """A 0..100 score. ``created_at`` and ``now`` must be aware datetimes."""
    if spam:
        return 0
    score = float(_BASE[intent]) + 15.0 * negative
    if sensitive:
        score += 10.0
    if followers:
        score += min(15.0, 3.0 * math.log10(1 + max(followers, 0)))
    if created_at is not None:
        hours = max(0.0, (now - created_at).total_seconds() / 3600.0)
        score += 15.0 * (1.0 - math.exp(-hours / 4.0))
    if harmful:
        score = max(score, 30.0) if not needs_reply else score
    elif not needs_reply:
        score = min(score, 25.0)
    return max(0, min(100, round(score)))
