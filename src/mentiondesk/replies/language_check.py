"""Warn when a reply is written in another language than the post it answers.

The reply's language is picked by the same triage that labelled the post (``Triager``), among
the workspace's languages. It is a warning, never a block: an agent may answer a Polish
customer in English on purpose. Replies too short to tell ("OK!", a link) are not judged."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from mentiondesk.domain.ports import Triager
from mentiondesk.domain.posts import AuthorRef, InboundPost, Platform
from mentiondesk.replies.guard.model import Finding, Severity

__all__ = ["LANGUAGE_NAMES", "MIN_LETTERS", "language_mismatch"]

MIN_LETTERS = 20
LANGUAGE_NAMES = {"pl": "Polish", "it": "Italian", "en": "English", "de": "German", "fr": "French"}


def _name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def language_mismatch(
    triager: Triager,
    reply: str,
    post_language: str | None,
    *,
    languages: Sequence[str],
    now: datetime,
) -> Finding | None:
    """A warning when ``reply`` reads as another of ``languages`` than ``post_language``."""
    if not post_language or len(languages) < 2:
        return None
    if sum(ch.isalpha() for ch in reply) < MIN_LETTERS:
        return None
    draft = InboundPost(Platform.DEV, "draft", reply, now, AuthorRef(Platform.DEV, "draft"))
    found = triager.triage(draft, mentioned=False, languages=languages, now=now).language
    if not found or found == post_language:
        return None
    return Finding(
        "language_mismatch",
        Severity.WARN,
        0,
        0,  # about the whole reply: no excerpt to mark
        f"This reply reads as {_name(found)}; the customer wrote in {_name(post_language)}.",
        f"Answer in {_name(post_language)} unless the customer asked otherwise.",
    )
