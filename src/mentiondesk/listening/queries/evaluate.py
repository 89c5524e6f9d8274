"""Run a parsed query against one post and report where it matched.

Words are compared with the post's folded words, so ``zabka`` finds "Żabka"; ``*`` and
``?`` stand for any letters. NEAR/n allows at most n words between its two sides, in either
order. Work per post is bounded: only the first ``MAX_WORDS`` words are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mentiondesk.domain.posts import InboundPost
from mentiondesk.listening.normalise import Normalised, normalise
from mentiondesk.listening.queries.ast import And, Filter, Near, Node, Not, Or, Phrase, Word

MAX_WORDS = 5_000
_WORD = re.compile(r"[^\W_]+")

Span = tuple[int, int, str]  # first word, word after the last, what matched


@dataclass(slots=True)
class QueryDoc:
    """A post as queries see it: its folded words with offsets, and its facts."""

    norm: Normalised
    words: list[str]
    offsets: list[tuple[int, int]]
    positions: dict[str, list[int]]
    post: InboundPost

    @classmethod
    def of(cls, post: InboundPost) -> QueryDoc:
        norm = normalise(post.text)
        words: list[str] = []
        offsets: list[tuple[int, int]] = []
        positions: dict[str, list[int]] = {}
        for found in _WORD.finditer(norm.text):
            if len(words) >= MAX_WORDS:
                break
            positions.setdefault(found.group(), []).append(len(words))
            words.append(found.group())
            offsets.append(found.span())
        return cls(norm, words, offsets, positions, post)

    def char_span(self, span: Span) -> tuple[int, int]:
        """Offsets in the original post text of a word span."""
        first, after, _ = span
        return self.norm.span(self.offsets[first][0], self.offsets[after - 1][1])


@lru_cache(maxsize=4096)
def _pattern(word: str) -> re.Pattern[str]:
    body = "".join(
        r"[^\W_]*" if c == "*" else r"[^\W_]" if c == "?" else re.escape(c) for c in word
    )
    return re.compile(body)


def evaluate(node: Node, doc: QueryDoc) -> list[Span] | None:
    """``None`` when the post does not satisfy ``node``; otherwise the word spans that
    made it match (empty for parts such as NOT and filters that match no words)."""
    if isinstance(node, Word):
        return _word(node, doc) or None
    if isinstance(node, Phrase):
        return _phrase(node, doc) or None
    if isinstance(node, And):
        spans: list[Span] = []
        for item in node.items:
            found = evaluate(item, doc)
            if found is None:
                return None
            spans += found
        return spans
    if isinstance(node, Or):
        results = [evaluate(item, doc) for item in node.items]
        hits = [r for r in results if r is not None]
        return [s for r in hits for s in r] if hits else None
    if isinstance(node, Not):
        return [] if evaluate(node.item, doc) is None else None
    if isinstance(node, Near):
        return _near(node, doc) or None
    return [] if _filter(node, doc.post) else None


def _word(node: Word, doc: QueryDoc) -> list[Span]:
    if not node.is_pattern:
        return [(i, i + 1, node.text) for i in doc.positions.get(node.text, ())]
    pattern = _pattern(node.text)
    return [
        (i, i + 1, node.text)
        for word, places in doc.positions.items()
        if pattern.fullmatch(word)
        for i in places
    ]


def _phrase(node: Phrase, doc: QueryDoc) -> list[Span]:
    size = len(node.words)
    label = " ".join(node.words)
    return [
        (i, i + size, label)
        for i in doc.positions.get(node.words[0], ())
        if doc.words[i : i + size] == list(node.words)
    ]


def _near(node: Near, doc: QueryDoc) -> list[Span]:
    left = evaluate(node.left, doc) or []
    right = evaluate(node.right, doc) or []
    found: list[Span] = []
    for a in left[:256]:
        for b in right[:256]:
            gap = max(b[0] - a[1], a[0] - b[1])
            if gap <= node.distance:
                found += [a, b]
    return found


def _filter(node: Filter, post: InboundPost) -> bool:
    value = node.value
    if node.field == "lang":
        return (post.language_hint or "").lower() == value
    if node.field == "country":
        return (post.country or "").lower() == value
    if node.field == "platform":
        return post.platform.value == value
    if node.field == "author":
        return post.author.handle.lower().lstrip("@") == value
    followers = post.author.followers
    if followers is None:
        return False
    limit = int(value)
    return {
        "=": followers == limit,
        ">": followers > limit,
        ">=": followers >= limit,
        "<": followers < limit,
        "<=": followers <= limit,
    }[node.op]
