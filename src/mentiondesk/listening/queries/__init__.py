"""Boolean listening queries: parse, validate, evaluate against a post.

``compile_query`` is the entry point: it parses (``QuerySyntaxError`` points at the column),
validates (``QueryRejectedError`` says why a query may not run) and returns a reusable
``CompiledQuery``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from mentiondesk.domain.posts import InboundPost, Mention, MentionKind
from mentiondesk.listening.queries.ast import Node
from mentiondesk.listening.queries.evaluate import QueryDoc, evaluate
from mentiondesk.listening.queries.parser import QuerySyntaxError, parse_query
from mentiondesk.listening.queries.validate import MAX_QUERY_CHARS, QueryRejectedError, validate

__all__ = [
    "CompiledQuery",
    "QueryRejectedError",
    "QuerySyntaxError",
    "compile_query",
    "parse_query",
    "validate",
]


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    text: str
    ast: Node

    def matches(self, post: InboundPost) -> bool:
        return evaluate(self.ast, QueryDoc.of(post)) is not None

    def match(self, post: InboundPost, source: str = "query") -> list[Mention]:
        """One ``query`` mention per matched word span; a match made only of filters and
        NOTs cannot happen, because validation requires a word."""
        doc = QueryDoc.of(post)
        spans = evaluate(self.ast, doc)
        if spans is None:
            return []
        mentions: dict[tuple[int, int], Mention] = {}
        for span in spans:
            start, end = doc.char_span(span)
            reason = f"query '{source}' matched '{span[2]}'"
            mentions.setdefault(
                (start, end),
                Mention(
                    MentionKind.QUERY, span[2], start, end, post.text[start:end], source, reason
                ),
            )
        return [mentions[k] for k in sorted(mentions)]


@lru_cache(maxsize=1024)
def compile_query(text: str) -> CompiledQuery:
    """Parse and validate ``text``; compiled queries are cached by their text."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryRejectedError(f"the query is longer than {MAX_QUERY_CHARS} characters")
    ast = parse_query(text)
    validate(text, ast)
    return CompiledQuery(text, ast)
