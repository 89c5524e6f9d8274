"""Refuse queries that would flood the inbox or make matching slow, and say why.

A query must need at least one of its words to match: ``NOT spam`` or ``lang:pl`` alone
would pull in nearly every post. Wildcards need a literal start so that an index can serve
them, and sizes are capped so that every post is evaluated in bounded time.
"""

from __future__ import annotations

from mentiondesk.domain.posts import Platform
from mentiondesk.listening.queries.ast import And, Filter, Near, Node, Not, Or, Phrase, Word

MAX_QUERY_CHARS = 2_000
MAX_TERMS = 64
MAX_PATTERNS = 10
MAX_WILDCARDS_PER_WORD = 2
MAX_DEPTH = 12
MAX_NEAR = 30
MIN_PATTERN_PREFIX = 3


class QueryRejectedError(ValueError):
    """A query that parses but must not run; ``reason`` is shown to the user."""

    def __init__(self, reason: str, position: int | None = None) -> None:
        self.reason = reason
        self.position = position
        where = f" (at column {position + 1})" if position is not None else ""
        super().__init__(reason + where)


def anchored(node: Node) -> bool:
    """Whether every post the query matches must contain one of its words or phrases."""
    if isinstance(node, Word | Phrase | Near):
        return True
    if isinstance(node, And):
        return any(anchored(item) for item in node.items)
    if isinstance(node, Or):
        return all(anchored(item) for item in node.items)
    return False


def literal_prefix(word: str) -> str:
    """The part of a wildcard word before its first wildcard."""
    cut = min((i for i, c in enumerate(word) if c in "*?"), default=len(word))
    return word[:cut]


def validate(query: str, node: Node) -> None:
    """Raise ``QueryRejectedError`` unless ``node`` (parsed from ``query``) is safe to run."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryRejectedError(f"the query is longer than {MAX_QUERY_CHARS} characters")
    counts = {"terms": 0, "patterns": 0}
    _walk(node, 0, counts)
    if counts["terms"] > MAX_TERMS:
        raise QueryRejectedError(f"the query has more than {MAX_TERMS} words and phrases")
    if counts["patterns"] > MAX_PATTERNS:
        raise QueryRejectedError(f"the query has more than {MAX_PATTERNS} wildcard words")
    if not anchored(node):
        raise QueryRejectedError(
            "the query would match posts containing none of its words (only NOT or filters "
            "on some branch); add a word or phrase that every match must contain"
        )


def _walk(node: Node, depth: int, counts: dict[str, int]) -> None:
    if depth > MAX_DEPTH:
        raise QueryRejectedError(f"the query nests deeper than {MAX_DEPTH} levels")
    if isinstance(node, Word):
        counts["terms"] += 1
        _check_word(node, counts)
    elif isinstance(node, Phrase):
        counts["terms"] += 1
    elif isinstance(node, Near):
        if node.distance > MAX_NEAR:
            raise QueryRejectedError(
                f"NEAR/{node.distance} is wider than NEAR/{MAX_NEAR}", node.position
            )
        for side in (node.left, node.right):
            if not isinstance(side, Word | Phrase | Or) or not anchored(side):
                raise QueryRejectedError(
                    "NEAR joins words, phrases or OR-groups of them", node.position
                )
            _walk(side, depth + 1, counts)
    elif isinstance(node, And | Or):
        for item in node.items:
            _walk(item, depth + 1, counts)
    elif isinstance(node, Not):
        _walk(node.item, depth + 1, counts)
    elif isinstance(node, Filter):
        _check_filter(node)


def _check_word(word: Word, counts: dict[str, int]) -> None:
    text = word.text
    if not word.is_pattern:
        if len(text) == 1:
            raise QueryRejectedError(
                f"the one-letter word '{text}' matches almost every post", word.position
            )
        return
    counts["patterns"] += 1
    prefix = literal_prefix(text)
    if not prefix:
        raise QueryRejectedError(
            f"'{text}' starts with a wildcard and would match almost anything", word.position
        )
    if len(prefix) < MIN_PATTERN_PREFIX:
        raise QueryRejectedError(
            f"'{text}' needs at least {MIN_PATTERN_PREFIX} letters before its first wildcard",
            word.position,
        )
    if sum(text.count(c) for c in "*?") > MAX_WILDCARDS_PER_WORD + text.count("?"):
        raise QueryRejectedError(
            f"'{text}' has more than {MAX_WILDCARDS_PER_WORD} * wildcards", word.position
        )


def _check_filter(node: Filter) -> None:
    if node.field == "platform" and node.value not in {p.value for p in Platform}:
        known = ", ".join(p.value for p in Platform)
        raise QueryRejectedError(f"unknown platform '{node.value}' (known: {known})", node.position)
