"""Boolean listening queries: syntax, errors that point at a column, refusals, evaluation."""

from __future__ import annotations

from typing import Any

import pytest

from mentiondesk.domain.posts import AuthorRef, MentionKind, Platform
from mentiondesk.listening.queries import (
    QueryRejectedError,
    QuerySyntaxError,
    compile_query,
    parse_query,
)
from mentiondesk.listening.queries.ast import And, Near, Not, Or, Phrase, Word
from tests.unit.listening.helpers import a_post


def matches(query: str, text: str, **fields: Any) -> bool:
    return compile_query(query).matches(a_post(text, **fields))


def test_and_binds_tighter_than_or_and_juxtaposition_means_and() -> None:
    assert parse_query("a1 b2 OR c3") == Or((And((Word("a1", 0), Word("b2", 3))), Word("c3", 9)))


def test_not_near_and_phrases_parse_with_positions() -> None:
    node = parse_query('"ocado retail" NEAR/3 late AND NOT jobs')
    assert node == And(
        (
            Near(Phrase(("ocado", "retail"), 0), Word("late", 22), 3, 15),
            Not(Word("jobs", 35), 31),
        )
    )


def test_a_syntax_error_points_at_column_12() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query("ocado AND (late OR")
    assert caught.value.column == 19
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query("ocado AND (OR late)")
    assert caught.value.column == 12
    assert caught.value.pointer().splitlines()[1] == " " * 11 + "^"
    assert str(caught.value) == "OR needs a term on its left at column 12"


@pytest.mark.parametrize(
    ("query", "column", "message"),
    [
        ('ocado "late', 7, "unclosed quotation mark"),
        ("ocado)", 6, "closing parenthesis without an opening one"),
        ("(ocado", 1, "missing closing parenthesis"),
        ("ocado NEAR/x late", 7, "NEAR needs a distance"),
        ("ocado mood:angry", 7, "unknown filter 'mood'"),
        ("ocado followers:many", 7, "followers needs a number"),
        ("", 1, "the query is empty"),
        ("ocado AND", 10, "expected a term here"),
    ],
)
def test_syntax_errors_say_what_and_where(query: str, column: int, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message) as caught:
        parse_query(query)
    assert caught.value.column == column


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("*", "starts with a wildcard"),
        ("ocado OR a", "one-letter word 'a'"),
        ("oc*", "at least 3 letters before"),
        ("NOT ocado", "none of its words"),
        ("lang:pl", "none of its words"),
        ("ocado OR NOT late", "none of its words"),
        ("ocado NEAR/99 late", "wider than NEAR/30"),
        ("abc*d*e*f", r"more than 2 \* wildcards"),
        ("ocado platform:myspace", "unknown platform"),
        (" OR ".join(f"w{i}x" for i in range(70)), "more than 64 words"),
        ("ocado " * 500, "longer than 2000 characters"),
    ],
)
def test_queries_that_match_everything_or_run_slowly_are_rejected(query: str, reason: str) -> None:
    with pytest.raises(QueryRejectedError, match=reason):
        compile_query(query)


def test_deep_nesting_is_refused_before_it_exhausts_the_stack() -> None:
    with pytest.raises(QuerySyntaxError, match="nested deeper"):
        parse_query("(" * 200 + "ocado" + ")" * 200)


def test_words_match_folded_post_words() -> None:
    assert matches("zabka", "Byłem w Żabce i w Żabka")
    assert not matches("zabka", "Żabce")
    assert matches("zabk*", "Byłem w Żabkach")
    assert not matches("zabk*", "Byłem w Żabce")


def test_wildcard_question_mark_is_one_letter() -> None:
    assert matches("ocad?", "ocado")
    assert not matches("ocad?", "ocadoo")


def test_phrases_need_consecutive_words() -> None:
    assert matches('"late delivery"', "a LATE delivery again")
    assert not matches('"late delivery"', "late, very slow delivery")


def test_near_counts_words_between_in_either_order() -> None:
    assert matches("ocado NEAR/2 late", "ocado is very late")
    assert matches("late NEAR/2 ocado", "ocado is very late")
    assert not matches("ocado NEAR/1 late", "ocado is very late")


def test_not_excludes() -> None:
    assert matches("ocado NOT jobs", "ocado delivery")
    assert not matches("ocado NOT jobs", "ocado jobs fair")


def test_filters_check_the_posts_facts() -> None:
    author = AuthorRef(Platform.X, "Jan_K", "Jan", followers=5_000)
    post = {"author": author, "language_hint": "pl", "country": "PL"}
    assert matches(
        "ocado lang:pl country:pl platform:x author:@jan_k followers:>1000", "ocado", **post
    )
    assert not matches("ocado followers:<1000", "ocado", **post)
    assert not matches("ocado lang:it", "ocado", **post)
    assert not matches("ocado platform:facebook", "ocado", **post)
    unknown = AuthorRef(Platform.X, "anon")
    assert not matches("ocado followers:>=1", "ocado", author=unknown)


def test_a_query_mention_carries_the_span_the_source_and_a_reason() -> None:
    [mention] = compile_query("zabka").match(a_post("w Żabka dziś"), source="stores")
    assert (mention.kind, mention.start, mention.end) == (MentionKind.QUERY, 2, 7)
    assert (mention.matched_text, mention.source) == ("Żabka", "stores")
    assert mention.reason == "query 'stores' matched 'zabka'"
