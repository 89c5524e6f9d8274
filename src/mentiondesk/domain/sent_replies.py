"""Replies already sent, as the duplicate-reply check compares against them.

A plain value shared by the reply guard (``replies.guard.duplicates``) and the repository that
reads the history, so storage need not import the reply services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["SentReply"]


@dataclass(frozen=True, slots=True)
class SentReply:
    """A reply already sent: its text, to whom (a handle or a name), and when."""

    text: str
    author: str
    sent_at: datetime
