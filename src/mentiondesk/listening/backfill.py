"""Translate a parsed query into full-text prefilters, so a new or changed query can be run
over posts already stored without evaluating it on every one of them.

Each prefilter selects a superset of the posts the query matches, in terms of the index's
own words: NOT parts and filters are dropped (SQL ``WHERE`` clauses and the evaluator apply
them) and NEAR is relaxed to AND. The evaluator then confirms each candidate. The strings
assume an index of folded text: SQLite FTS5 with ``tokenize='unicode61 remove_diacritics 2'``
and PostgreSQL ``to_tsvector('simple', unaccent(lower(text)))``. Posts that hide a word with
look-alike or invisible characters are found by live matching, not by backfill.
"""

from __future__ import annotations

from mentiondesk.listening.queries.ast import And, Near, Node, Or, Phrase, Word
from mentiondesk.listening.queries.validate import literal_prefix

__all__ = ["to_fts5_match", "to_tsquery"]


def _fts_word(word: Word) -> str:
    if word.is_pattern:
        return '"' + literal_prefix(word.text).replace('"', '""') + '"*'
    return '"' + word.text.replace('"', '""') + '"'


def _ts_word(word: Word) -> str:
    if word.is_pattern:
        return "'" + literal_prefix(word.text).replace("'", "''") + "':*"
    return "'" + word.text.replace("'", "''") + "'"


def to_fts5_match(node: Node) -> str | None:
    """An FTS5 ``MATCH`` expression selecting a superset of the query's posts, or ``None``
    when the index cannot narrow them (validated queries always can)."""
    if isinstance(node, Word):
        return _fts_word(node)
    if isinstance(node, Phrase):
        return '"' + " ".join(w.replace('"', '""') for w in node.words) + '"'
    if isinstance(node, Near):
        return _combine([to_fts5_match(node.left), to_fts5_match(node.right)], " AND ", True)
    if isinstance(node, And):
        return _combine([to_fts5_match(i) for i in node.items], " AND ", True)
    if isinstance(node, Or):
        return _combine([to_fts5_match(i) for i in node.items], " OR ", False)
    return None


def to_tsquery(node: Node) -> str | None:
    """A PostgreSQL ``to_tsquery('simple', ...)`` string selecting a superset, or ``None``."""
    if isinstance(node, Word):
        return _ts_word(node)
    if isinstance(node, Phrase):
        return "(" + " <-> ".join("'" + w.replace("'", "''") + "'" for w in node.words) + ")"
    if isinstance(node, Near):
        return _combine([to_tsquery(node.left), to_tsquery(node.right)], " & ", True)
    if isinstance(node, And):
        return _combine([to_tsquery(i) for i in node.items], " & ", True)
    if isinstance(node, Or):
        return _combine([to_tsquery(i) for i in node.items], " | ", False)
    return None


def _combine(parts: list[str | None], joiner: str, conjunction: bool) -> str | None:
    """AND drops parts that cannot narrow; OR cannot narrow if any branch cannot."""
    if conjunction:
        known = [p for p in parts if p is not None]
    elif any(p is None for p in parts):
        return None
    else:
        known = [p for p in parts if p is not None]
    if not known:
        return None
    return known[0] if len(known) == 1 else "(" + joiner.join(known) + ")"
