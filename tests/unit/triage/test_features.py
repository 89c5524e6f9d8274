"""Feature normalisation: what it folds together, what it keeps apart, and what it must not
touch (the held-out splits and the positions of sensitive data)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import numpy as np

from mentiondesk.triage.classifier import FixedClassifier, LinearClassifier
from mentiondesk.triage.corpora import split_of
from mentiondesk.triage.features import DIM, featurize, normalize, normalize_many
from mentiondesk.triage.service import PostTriager, TriageItem

NOW = datetime(2025, 3, 1, tzinfo=UTC)


def test_elongated_letters_and_marks_are_squeezed_to_two() -> None:
    assert normalize("Grazieeeee!!!!!") == " graziee!! "
    assert normalize("soooo good") == normalize("sooooooooo good")
    assert normalize("soo good") != normalize("so good")


def test_digits_links_and_handles_become_placeholders_and_digit_runs_stay() -> None:
    text = "@Brand zamówienie 123456 http://x.pl/a?b=1 www.y.it"
    assert normalize(text) == " @u zamówienie 000000 http http "


def test_squeezing_can_be_switched_off_for_the_split_key() -> None:
    assert normalize("noooo", squeeze=False) == " noooo "


def test_splits_ignore_the_feature_normalisation() -> None:
    # the split key is the normalisation the splits were first made with, so squeezing an
    # elongation (a feature change) must never move a post to another split
    for text in ("Nooooo way", "ahahahahah", "Grazieeee mille!!!!", "kurwaaaa"):
        key = normalize(text, squeeze=False).encode("utf-8")
        bucket = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big") % 100
        expected = "test" if bucket < 20 else "dev" if bucket < 30 else "train"
        assert split_of(text) == expected


def test_same_normalised_text_gives_the_same_buckets() -> None:
    a, b = featurize(["soooo good"]), featurize(["sooooooooooo good"])
    assert np.array_equal(np.sort(a.buckets), np.sort(b.buckets))
    assert a.buckets.max() < DIM


def test_placeholders_do_not_move_sensitive_spans() -> None:
    # normalisation shortens links, handles and elongations, but the sensitive-data scan runs
    # on the raw text: its offsets must point into what the author wrote
    text = (
        "@SuperSklepOnline heeeeelp!!!!! https://example.com/very/long/link?x=1 "
        "zadzwońcie 601 234 567 albo mail jan.kowalski@example.com"
    )
    triager = PostTriager(FixedClassifier(language="pl"))
    result = triager.triage_many([TriageItem(text)], languages=("pl",), now=NOW)[0]
    found = {s.kind: text[s.start : s.end] for s in result.sensitive}
    assert found["phone"] == "601 234 567"
    assert found["email"] == "jan.kowalski@example.com"


def _tiny_model(harm_offsets: dict[str, float]) -> LinearClassifier:
    heads = {
        "language": {"kind": "softmax", "labels": ["en", "pl"], "columns": [0, 1]},
        "sentiment": {"kind": "sigmoid", "labels": ["negative", "positive"], "columns": [2]},
        "harmful": {"kind": "sigmoid", "labels": ["not_harmful", "harmful"], "columns": [3]},
    }
    weights = np.zeros((DIM, 4), dtype=np.float32)
    bias = np.array([0.0, 1.0, 0.0, 0.0])  # every post looks Polish
    meta = {"heads": heads, "neutral_margin": 0.2, "harm_offsets": harm_offsets}
    return LinearClassifier(weights, bias, meta)


def test_the_harm_offset_follows_the_detected_language() -> None:
    plain = _tiny_model({}).score(["cokolwiek"]).harmful[0]
    shifted = _tiny_model({"pl": -1.0, "en": 3.0}).score(["cokolwiek"]).harmful[0]
    assert plain == 0.5
    assert shifted == 1.0 / (1.0 + np.exp(1.0))


def test_the_array_squeeze_in_featurize_matches_the_string_normalisation() -> None:
    texts = [
        "Nooooo!!!! ma daiiii 😂😂😂😂 @tizio http://t.co/xyz",
        "kurwaaaa 1111 2222 aaa",
        "ok",
        "",
        "zzz   zzz...... ???",
    ]
    direct, via_string = featurize(texts), featurize(normalize_many(texts))
    assert np.array_equal(direct.docs, via_string.docs)
    assert np.array_equal(direct.buckets, via_string.buckets)
