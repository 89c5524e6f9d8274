"""Hostile post text and queries neither crash the listening code nor make it do unbounded work.

Time is not measured: work is bounded by construction (a character cap, a cap on words sent
to the fuzzy index, capped query sizes) and these tests check those caps hold and that every
call returns with offsets inside the text.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentiondesk.domain.profiles import BrandProfile
from mentiondesk.listening import matching
from mentiondesk.listening.fuzzy import FuzzyHit
from mentiondesk.listening.matching import ProfileMatcher
from mentiondesk.listening.normalise import normalise
from mentiondesk.listening.queries import QueryRejectedError, QuerySyntaxError, compile_query
from tests.unit.listening.helpers import BIEDRONKA, OCADO, PLAY, a_post

TRICKY = st.sampled_from(
    [
        "\u200b",
        "\u200d",
        "\ufeff",
        "\u00ad",
        "\u0301",
        "\u0307",
        "İ",
        "ß",
        "\x00",
        "\ud7ff",
        "О",
        "с",
        "а",
        "ℴ",
        "𝐎",
        "Ｏ",
        "#",
        "@",
        "'",
        "’",
        "Ocado",
        "ocdao",
        "Biedronce",
        " ",
        "\n",
        "😡",
        "\u202e",
        "ﷺ",
        "ǅ",
    ]
)
HOSTILE_TEXT = st.lists(st.one_of(st.text(max_size=40), TRICKY), max_size=60).map("".join)
MATCHERS = [ProfileMatcher(p) for p in (OCADO, BIEDRONKA, PLAY)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE_TEXT)
def test_hostile_text_returns_mentions_whose_offsets_lie_inside_the_text(text: str) -> None:
    for matcher in MATCHERS:
        for mention in matcher.match(a_post(text)):
            assert 0 <= mention.start <= mention.end <= len(text)
            assert mention.matched_text == text[mention.start : mention.end]


@settings(max_examples=300, deadline=None)
@given(HOSTILE_TEXT)
def test_folding_never_grows_the_text_and_maps_back_inside_it(text: str) -> None:
    norm = normalise(text)
    assert len(norm.text) <= len(text)
    if norm.text:
        start, end = norm.span(0, len(norm.text))
        assert 0 <= start <= end <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_query_text_parses_or_fails_with_one_of_the_two_query_errors(query: str) -> None:
    try:
        compiled = compile_query(query)
    except (QuerySyntaxError, QueryRejectedError):
        return
    compiled.match(a_post("ocado " + query))


def test_a_huge_post_is_read_only_up_to_the_character_cap() -> None:
    text = "x " * matching.MAX_CHARS + " Ocado"
    assert ProfileMatcher(OCADO).match(a_post(text)) == []
    assert ProfileMatcher(OCADO).match(a_post("Ocado " + "x " * matching.MAX_CHARS))


def test_the_fuzzy_index_sees_a_bounded_number_of_distinct_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[str] = []
    matcher = ProfileMatcher(BrandProfile("biedronka", ("Biedronka",)))
    real = matcher._fuzzy.lookup

    def spy(word: str) -> list[FuzzyHit]:
        seen.append(word)
        return real(word)

    monkeypatch.setattr(matcher._fuzzy, "lookup", spy)
    # 1,296 distinct words two edits from "biedronka", each worth a probe
    letters = "abcdefghijklmnopqrstuvwxyz0123456789"
    words = " ".join(f"bi{x}dr{y}nka" for x in letters for y in letters)
    matcher.match(a_post(words))
    assert 0 < len(seen) <= matching.MAX_FUZZY_WORDS


def test_binary_and_mixed_script_text_is_matched_like_any_other() -> None:
    text = "\x00\x01\xff🙂 Ocado Ωμέγα Москва 東京 \udcff"
    [mention] = ProfileMatcher(OCADO).match(a_post(text))
    assert mention.matched_text == "Ocado"


def test_homoglyph_brand_names_are_still_caught() -> None:
    for disguised in ("Ｏｃａｄｏ", "𝐎𝐜𝐚𝐝𝐨", "Оcаdо"):
        [mention] = ProfileMatcher(OCADO).match(a_post(f"I hate {disguised}"))
        assert mention.matched_text == disguised
