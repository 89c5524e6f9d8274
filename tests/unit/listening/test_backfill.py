"""Full-text prefilters for running a query over stored posts: a superset, never fewer."""

from __future__ import annotations

import sqlite3

import pytest

from mentiondesk.listening.backfill import to_fts5_match, to_tsquery
from mentiondesk.listening.queries import compile_query
from tests.unit.listening.helpers import a_post

POSTS = [
    "W Żabkach znowu kolejka",
    "ocado delivery late again",
    "late delivery, but not from ocado",
    "ocado jobs fair",
    "nothing relevant",
    "Ocado Retail czeka na kuriera",
]
QUERIES = [
    "zabk*",
    "ocado NOT jobs",
    '"ocado retail" OR (late NEAR/2 delivery)',
    "ocado NOT lang:it",
    "(ocado OR zabce) AND NOT (jobs OR fair)",
]


def test_the_fts5_string_for_a_mixed_query() -> None:
    ast = compile_query('(ocado OR "ocado retail") AND NOT job* biedr* NEAR/2 kolej*').ast
    assert to_fts5_match(ast) == '(("ocado" OR "ocado retail") AND ("biedr"* AND "kolej"*))'


def test_the_tsquery_string_for_a_mixed_query() -> None:
    ast = compile_query('(ocado OR "ocado retail") AND NOT job* biedr* NEAR/2 kolej*').ast
    assert to_tsquery(ast) == "(('ocado' | ('ocado' <-> 'retail')) & ('biedr':* & 'kolej':*))"


@pytest.mark.parametrize("query", QUERIES)
def test_the_fts5_prefilter_selects_a_superset_of_what_the_evaluator_matches(query: str) -> None:
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE posts USING fts5(body, tokenize='unicode61 remove_diacritics 2')"
    )
    db.executemany("INSERT INTO posts(rowid, body) VALUES (?, ?)", enumerate(POSTS))
    compiled = compile_query(query)
    prefilter = to_fts5_match(compiled.ast)
    assert prefilter is not None
    selected = {
        r for (r,) in db.execute("SELECT rowid FROM posts WHERE posts MATCH ?", (prefilter,))
    }
    matched = {i for i, text in enumerate(POSTS) if compiled.matches(a_post(text))}
    assert matched <= selected
    assert matched, "each example query should match something"
