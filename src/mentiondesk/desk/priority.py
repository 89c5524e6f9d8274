"""A case's priority from what is known about its posts now, not only when they arrived.

Triage scores a post once, as it comes in; afterwards an agent may correct a label or hide the
post, and either must move the case at once (a hidden abusive post must not stay on top of
"Most urgent"). A case scores as its most urgent visible post.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mentiondesk.domain.posts import InboundPost, Post
from mentiondesk.domain.triage import Sentiment, TriageResult
from mentiondesk.storage.unit_of_work import UnitOfWork
from mentiondesk.triage.priority import PriorityPart, priority, priority_parts

__all__ = ["case_priority_parts", "do_rescore_case", "post_priority"]


def _negative(triage: TriageResult) -> float:
    """How negative the post reads: stored triage keeps the winning sentiment's calibrated
    strength, the same number triage scored the post with."""
    return triage.sentiment_score if triage.sentiment is Sentiment.NEGATIVE else 0.0


def _inputs(post: Post, triage: TriageResult, now: datetime) -> dict[str, Any]:
    return _inbound_inputs(post.inbound, triage, tagged=post.tagged, now=now) | {
        "hidden": post.hidden
    }


def _inbound_inputs(
    post: InboundPost, triage: TriageResult, *, tagged: bool, now: datetime
) -> dict[str, Any]:
    return dict(
        intent=triage.intent,
        negative=_negative(triage),
        harmful=triage.harmful_sure,
        spam=triage.spam,
        needs_reply=triage.needs_reply,
        sensitive=bool(triage.sensitive),
        followers=post.author.followers,
        created_at=post.created_at,
        now=now,
        tagged=tagged,
    )


def post_priority(post: Post, now: datetime) -> int:
    """The post's score with its labels and moderation state as they are now."""
    if post.triage is None:
        return 0
    return priority(**_inputs(post, post.triage, now))


def case_priority_parts(posts: list[Post], now: datetime) -> tuple[PriorityPart, ...]:
    """Why the case scores what it does: the parts of its most urgent post, measured as
    :func:`do_rescore_case` measures them (waiting time up to each post's arrival)."""
    scored = [(post_priority(p, p.received_at or now), p) for p in posts if p.triage is not None]
    if not scored:
        return ()
    _, top = max(scored, key=lambda sp: sp[0])
    assert top.triage is not None
    return priority_parts(**_inputs(top, top.triage, top.received_at or now))


def do_rescore_case(uow: UnitOfWork, workspace_id: int, case_id: int, now: datetime) -> int:
    """Store the case's priority from its posts as they are now; the caller commits.

    The waiting-time part is measured at each post's arrival (``received_at``) as triage did,
    so a correction changes what the correction changes and nothing else."""
    posts = uow.posts.for_case(workspace_id, case_id)
    scores = [post_priority(p, p.received_at or now) for p in posts]
    score = max(scores, default=0)
    uow.cases.set_priority(workspace_id, case_id, score)
    return score
