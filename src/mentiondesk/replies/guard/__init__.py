"""The reply guard: checks a reply for self-inflicted mistakes before it is sent.

``check_reply(reply, ctx, history)`` returns ``Finding``s (``block`` or ``warn``, with the span,
an explanation and a suggestion) and what it ``Detected`` (apology, redirects, signature,
next step). ``batch.run_batch`` applies it to a JSON-lines file.
"""

from mentiondesk.replies.guard.core import check_reply
from mentiondesk.replies.guard.duplicates import (
    DuplicateMatch,
    IndexedReplyHistory,
    InMemoryReplyHistory,
    ReplyHistory,
    SentReply,
)
from mentiondesk.replies.guard.model import (
    CHECKS,
    REDIRECT_KINDS,
    Detected,
    Finding,
    GuardContext,
    GuardResult,
    GuardSettings,
    HotlineSchedule,
    Person,
    Severity,
)

__all__ = [
    "CHECKS",
    "REDIRECT_KINDS",
    "Detected",
    "DuplicateMatch",
    "Finding",
    "GuardContext",
    "GuardResult",
    "GuardSettings",
    "HotlineSchedule",
    "InMemoryReplyHistory",
    "IndexedReplyHistory",
    "Person",
    "ReplyHistory",
    "SentReply",
    "Severity",
    "check_reply",
]
