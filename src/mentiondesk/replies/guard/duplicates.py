"""``duplicate_reply``: the same text already sent to other customers today.

A reply pasted to dozens of people in one day reads as a bot in a public thread, and an
identical apology under every angry comment is how a brand's crisis becomes a meme. Texts are
compared after masking greetings, names, handles and digits, so "Hi Anna, ..." and
"Hi Marco, ..." with the same body count as one text. Candidates come from an inverted index
of word 3-gram shingles (bounded work per query); only the best few are compared exactly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Protocol, runtime_checkable

from rapidfuzz import fuzz

from mentiondesk.domain.sent_replies import SentReply
from mentiondesk.replies.guard.phrases import words
from mentiondesk.replies.guard.text import fold

__all__ = [
    "DuplicateMatch",
    "InMemoryReplyHistory",
    "IndexedReplyHistory",
    "ReplyHistory",
    "SentReply",
    "ShingleIndex",
    "author_key",
    "normalise_for_duplicates",
]

_HANDLE = re.compile(r"@\w+")
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"\w+")
_POSTING_SCAN = 200  # per shingle: bounds the work on very common phrases
_VERIFY = 12  # candidates compared exactly


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    reply: SentReply
    similarity: float


class ReplyHistory(Protocol):
    """The workspace's replies already sent; implementations read them from storage."""

    def sent_since(self, since: datetime) -> Iterable[SentReply]:
        """Every reply sent at or after ``since`` (to anyone)."""
        ...


@runtime_checkable
class IndexedReplyHistory(Protocol):
    """A history that keeps its own index, so the guard need not rebuild one per reply."""

    def near_duplicates(
        self, text: str, *, since: datetime, exclude_authors: Collection[str], threshold: float
    ) -> list[DuplicateMatch]:
        """Replies sent since ``since`` to other authors, at least ``threshold`` similar."""
        ...


def author_key(value: str) -> str:
    """How authors are compared: handle or name, folded, without the leading @."""
    return fold(value.strip().lstrip("@"))


@cache
def _greeting_clause() -> re.Pattern[str]:
    greetings = "|".join(sorted(words("greetings"), key=len, reverse=True))
    return re.compile(rf"^\s*(?:{greetings})\b[^,!.\n]{{0,40}}[,!.\n]", re.IGNORECASE)


def normalise_for_duplicates(text: str) -> str:
    """The text without its opening greeting and name, handles and digits, folded."""
    body = _greeting_clause().sub("", text, count=1)
    body = _DIGITS.sub("0", _HANDLE.sub("@", body))
    return " ".join(_WORD.findall(fold(body)))


def _shingles(normalised: str) -> set[int]:
    tokens = normalised.split()
    if len(tokens) < 3:
        return {hash(normalised)} if normalised else set()
    return {hash((tokens[i], tokens[i + 1], tokens[i + 2])) for i in range(len(tokens) - 2)}


class ShingleIndex:
    """An append-only index of sent replies for near-duplicate lookups."""

    def __init__(self) -> None:
        self._replies: list[SentReply] = []
        self._normalised: list[str] = []
        self._postings: dict[int, list[int]] = {}
        self._exact: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self._replies)

    def add(self, reply: SentReply) -> None:
        doc = len(self._replies)
        normalised = normalise_for_duplicates(reply.text)
        self._replies.append(reply)
        self._normalised.append(normalised)
        self._exact.setdefault(normalised, []).append(doc)
        for shingle in _shingles(normalised):
            self._postings.setdefault(shingle, []).append(doc)

    def near_duplicates(
        self, text: str, *, since: datetime, exclude_authors: Collection[str], threshold: float
    ) -> list[DuplicateMatch]:
        """Best matches first; exact copies (after masking) always qualify."""
        query = normalise_for_duplicates(text)
        if not query:
            return []
        excluded = {author_key(a) for a in exclude_authors}

        def eligible(doc: int) -> bool:
            reply = self._replies[doc]
            return reply.sent_at >= since and author_key(reply.author) not in excluded

        matches = [
            DuplicateMatch(self._replies[d], 1.0) for d in self._exact.get(query, ()) if eligible(d)
        ]
        if matches:
            return matches
        counts: Counter[int] = Counter()
        for shingle in _shingles(query):
            posting = self._postings.get(shingle)
            if posting:
                counts.update(posting[-_POSTING_SCAN:])
        cutoff = threshold * 100
        for doc, _shared in counts.most_common(_VERIFY * 4):
            if not eligible(doc):
                continue
            score = fuzz.ratio(query, self._normalised[doc], score_cutoff=cutoff)
            if score:
                matches.append(DuplicateMatch(self._replies[doc], score / 100))
            if len(matches) >= _VERIFY:
                break
        return sorted(matches, key=lambda m: m.similarity, reverse=True)


class InMemoryReplyHistory:
    """The shipped history: keeps sent replies and their index in memory (tests, demo, batch)."""

    def __init__(self, replies: Iterable[SentReply] = ()) -> None:
        self._index = ShingleIndex()
        self._all: list[SentReply] = []
        for reply in replies:
            self.record(reply)

    def record(self, reply: SentReply) -> None:
        self._all.append(reply)
        self._index.add(reply)

    def sent_since(self, since: datetime) -> Iterable[SentReply]:
        return [r for r in self._all if r.sent_at >= since]

    def near_duplicates(
        self, text: str, *, since: datetime, exclude_authors: Collection[str], threshold: float
    ) -> list[DuplicateMatch]:
        return self._index.near_duplicates(
            text, since=since, exclude_authors=exclude_authors, threshold=threshold
        )


def find_duplicates(
    text: str,
    history: ReplyHistory,
    *,
    since: datetime,
    exclude_authors: Collection[str],
    threshold: float,
) -> list[DuplicateMatch]:
    """Near-duplicates from any history: its own index when it has one, else a fresh one."""
    if isinstance(history, IndexedReplyHistory):
        return history.near_duplicates(
            text, since=since, exclude_authors=exclude_authors, threshold=threshold
        )
    index = ShingleIndex()
    for reply in history.sent_since(since):
        index.add(reply)
    return index.near_duplicates(
        text, since=since, exclude_authors=exclude_authors, threshold=threshold
    )
