"""The compiled scanner and folder answer exactly as their pure-Python twins do.

An install without a C compiler runs the Python versions, so each compiled answer is checked
against them on generated text, and against the fuzzy index it stands in front of.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mentiondesk.listening import wordscan
from mentiondesk.listening.fuzzy import FuzzyIndex
from mentiondesk.listening.normalise import text_folder
from mentiondesk.listening.wordscan import MAX_PROBES, Scanner, build_scanner

if not wordscan.COMPILED:  # under CI a skip fails the run
    pytest.skip("the C extension was not built (no compiler at install)", allow_module_level=True)

from mentiondesk.listening._compiled import TextFolder, WordScanner

TERMS = ("biedronka", "ocado", "rossmann", "mediamarkt", "esselunga", "usairways", "jetblue")
INDEX = FuzzyIndex(((t, i) for i, t in enumerate(TERMS)), stems=True)
SKIP = frozenset({"the", "and", "ocado", "biedronka", "play"})
MARKED = frozenset({"media", "markt", "us", "airways", "jet", "blue"})
PIECES = st.sampled_from(
    (
        "Biedronka", "biedronce", "Bideronka", "Ocdao", "OcadoFail", "media", "Markt",
        "Rossman", "Rosmannie", "JetBlu", "jet", "blu", "US", "Airwasy", "usairway",
        "JFKAirport", "iPhone", "the", "żabka", "über", "#", "@", " ", ", ", "-", "\u200b",
        "1234", "x" * 70 + "OcdaoFail", "ǅ", "Ⅻ", "٣",
    )
)  # fmt: skip
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=20).map(" ".join)


def scanners(memo_limit: int = 1_000) -> tuple[Scanner, Scanner]:
    def one(compiled: bool) -> Scanner:
        return build_scanner(
            INDEX, skip=SKIP, report=MARKED, compiled=compiled, memo_limit=memo_limit
        )

    return one(True), one(False)


def answer(scanner: Scanner, text: str) -> tuple[list[str], list[tuple[str, str, str]]]:
    words, windows = scanner.scan(text.lower(), text)
    return sorted(words), sorted(windows)


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=5))
@example(["jetbu", "jet bu"])  # a stem's deletion string, once reported for a full form
@example(["Biedronka media S0ARWAYS OcadoFail"])  # the memo starts over mid-post
def test_the_compiled_scanner_reports_what_the_python_scanner_reports(texts: list[str]) -> None:
    compiled, python = scanners(memo_limit=3)  # a tiny memo: it starts over constantly
    for text in texts * 2:
        # Each scanner scans each text once: a scan teaches the memo, so a second scan of
        # one of them alone would let the two memos drift apart.
        reported = answer(python, text)
        assert answer(compiled, text) == reported
        for word in reported[0]:
            hits = bool(INDEX.lookup(word))
            compiled.remember(word, hits)
            python.remember(word, hits)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdeiklmnorstuwyz", min_size=4, max_size=14))
def test_every_word_the_index_matches_is_reported(word: str) -> None:
    compiled, python = scanners()
    reported = word in compiled.scan(word, word)[0]
    assert reported == (word in python.scan(word, word)[0])
    if INDEX.lookup(word) and word not in SKIP:
        assert reported


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "python"])
def test_a_full_form_is_never_matched_with_a_string_indexed_for_a_stem(compiled: bool) -> None:
    # "jetbu" is "jetblu" (the stem of "jetblue") less one letter, but no full key's
    # deletion: the full form is compared with full keys only, and its own stem "jetb" is
    # too short for any stem's budget. The compiled scanner once pooled both kinds.
    scanner = scanners()[0 if compiled else 1]
    assert not INDEX.may_match("jetbu")
    assert answer(scanner, "jetbu") == ([], [])
    assert answer(scanner, "jet bu") == (["jet"], [])
    # A stem still meets the stems: "jetbluem" is "jetblu" with a case ending.
    assert INDEX.may_match("jetbluem")
    assert answer(scanner, "jetbluem") == (["jetbluem"], [])
    assert answer(scanner, "jet bluem")[1] == [("jetbluem", "jet", "bluem")]


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "python"])
def test_remembering_a_marked_or_overlong_word_takes_no_room_in_the_memo(compiled: bool) -> None:
    scanner = scanners(memo_limit=2)[0 if compiled else 1]
    assert INDEX.may_match("xjetblu") and not INDEX.lookup("xjetblu")
    assert answer(scanner, "xjetblu") == (["xjetblu"], [])
    scanner.remember("xjetblu", False)
    scanner.remember("jet", False)  # marked: reported whatever is remembered
    scanner.remember("x" * 50 + "ocdao", False)  # longer than any word a scan reports
    assert len(scanner) == 1
    assert answer(scanner, "xjetblu jet") == (["jet"], [])  # the verdict on xjetblu holds


def test_both_scanners_spend_their_probe_budget_on_the_same_words_and_windows() -> None:
    letters = "abcdefghijklmnopqrstuvwxyz"
    near_misses = " ".join(f"bi{x}dr{y}nka" for x in letters for y in letters)  # 676 new words
    text = f"jet blux {near_misses} jet bluy"
    compiled, python = scanners(memo_limit=10_000)
    words, windows = answer(compiled, text)
    assert (words, windows) == answer(python, text)
    assert ("jetblux", "jet", "blux") in windows  # probed before the budget ran out
    assert ("jetbluy", "jet", "bluy") not in windows  # after: left unprobed by both


def test_words_marked_to_report_are_glued_to_their_neighbours() -> None:
    compiled, _ = scanners()
    words, windows = compiled.scan("flying us airwasy and media mrkt", "")
    assert {"us", "media"} <= set(words)
    assert ("usairwasy", "us", "airwasy") in windows
    assert ("mediamrkt", "media", "mrkt") in windows


def test_camel_case_pieces_are_split_like_the_python_splitter() -> None:
    compiled, python = scanners()
    text = "love the OcdaoFail and JFKAirport today"
    assert answer(compiled, text) == answer(python, text)
    assert "ocdao" in compiled.scan(text.lower(), text)[0]


def test_a_remembered_verdict_holds_until_the_memo_starts_over() -> None:
    compiled, _ = scanners(memo_limit=2)
    assert compiled.scan("ocdao", "ocdao")[0] == ["ocdao"]  # may match: Python must look
    compiled.remember("ocdao", False)
    assert compiled.scan("ocdao", "ocdao")[0] == []
    compiled.remember("zzzzzz", False)
    compiled.remember("yyyyyy", False)  # the memo is full: it starts over
    assert compiled.scan("ocdao", "ocdao")[0] == ["ocdao"]
    compiled.forget()
    assert len(compiled) == 0


def test_a_marked_word_stays_reported_whatever_is_remembered() -> None:
    compiled, _ = scanners()
    compiled.remember("media", False)
    compiled.forget()
    assert compiled.scan("media", "media")[0] == ["media"]


def test_a_post_full_of_new_near_misses_is_probed_a_bounded_number_of_times() -> None:
    letters = "abcdefghijklmnopqrstuvwxyz0123456789"
    text = " ".join(f"bi{x}dr{y}nka" for x in letters for y in letters)  # 1,296 new words
    compiled, python = scanners(memo_limit=10_000)
    words = compiled.scan(text, text)[0]
    assert 0 < len(words) <= MAX_PROBES
    assert sorted(words) == sorted(python.scan(text, text)[0])


def test_the_scanner_refuses_bad_construction_and_use() -> None:
    spec = INDEX.scan_spec()
    limits = {"min_len": 4, "max_len": 40, "max_probes": 8, "memo_limit": 10, "seed": 1}
    with pytest.raises(ValueError, match="depths"):
        WordScanner(**{**spec, "full_depths": [3]}, skip=(), report=(), **limits)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_len"):
        WordScanner(**spec, skip=(), report=(), **{**limits, "max_len": 500})  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        WordScanner(**spec, skip=[1], report=(), **limits)  # type: ignore[arg-type,list-item]
    with pytest.raises(RuntimeError, match="not initialised"):
        WordScanner.__new__(WordScanner).scan("text", "text")


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_the_compiled_folder_folds_like_the_python_folder(text: str) -> None:
    lowered = text.lower()
    assert text_folder(compiled=True).fold(lowered) == text_folder(compiled=False).fold(lowered)


def test_the_folder_strips_diacritics_and_gives_up_on_invisible_characters() -> None:
    folder = text_folder()
    assert isinstance(folder, TextFolder)
    assert folder.fold("żabka w łodzi, caffè") == "zabka w lodzi, caffe"
    assert folder.fold("oca\u200bdo") is None
