"""The customer-care corpus the project ships: it loads, keeps its declared labels, its split
does not move, it holds no duplicates, and the shipped model can be scored on it."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from mentiondesk.triage.caredesk_eval import CareScore, baseline_predictions, render, write_section
from mentiondesk.triage.classifier import load_classifier
from mentiondesk.triage.corpora import CAREDESK, CarePost, caredesk_split, load_caredesk
from mentiondesk.triage.evaluate import CARE_INTENT_VIEW, evaluate_caredesk

FIELDS = {"id", "lang", "sector", "brand", "text", "intent", "sentiment", "tagged"}


def _posts(lang: str) -> list[tuple[str, CarePost]]:
    return list(load_caredesk(lang))


@pytest.mark.parametrize("lang", CAREDESK.langs)
def test_every_row_has_the_declared_fields_and_labels(lang: str) -> None:
    with gzip.open(CAREDESK.path(lang), "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    assert len(rows) >= 600
    for row in rows:
        assert set(row) == FIELDS
        assert row["lang"] == lang
        assert row["id"].startswith(f"{lang}-{row['sector']}-")
        assert row["sector"] in CAREDESK.sectors
        assert row["intent"] in CAREDESK.intents
        assert row["sentiment"] in CAREDESK.sentiments
        assert isinstance(row["tagged"], bool) and row["text"].strip() and row["brand"]
        if row["tagged"]:
            assert "@" in row["text"]
    # every label and every sector is represented, none by a token handful
    assert min(Counter(r["intent"] for r in rows).values()) >= 40
    assert min(Counter(r["sentiment"] for r in rows).values()) >= 60
    assert set(Counter(r["sector"] for r in rows)) == set(CAREDESK.sectors)


def test_the_languages_are_roughly_equal_shares() -> None:
    sizes = [len(_posts(lang)) for lang in CAREDESK.langs]
    assert sum(sizes) >= 1800
    assert max(sizes) / min(sizes) < 1.2


def test_ids_are_unique_and_no_text_appears_twice() -> None:
    ids: list[str] = []
    texts: list[str] = []
    for lang in CAREDESK.langs:
        for _, post in _posts(lang):
            ids.append(post.id)
            texts.append(re.sub(r"\s+", " ", post.text.lower()).strip())
    assert len(ids) == len(set(ids))
    assert len(texts) == len(set(texts))


def test_the_split_is_fixed_by_the_id() -> None:
    # Pinned values: a change to the hash would silently reshuffle train and test.
    assert caredesk_split("pl-airlines-0001") == caredesk_split("pl-airlines-0001")
    pinned = {lang: Counter(split for split, _ in _posts(lang)) for lang in CAREDESK.langs}
    assert pinned == {
        "pl": Counter(train=594, test=125),
        "it": Counter(train=569, test=130),
        "en": Counter(train=554, test=148),
    }
    for lang in CAREDESK.langs:
        for split, post in _posts(lang):
            assert split == caredesk_split(post.id)


def test_the_test_split_holds_every_intent_in_every_language() -> None:
    for lang in CAREDESK.langs:
        test = [post.intent for split, post in _posts(lang) if split == "test"]
        assert set(test) == set(CAREDESK.intents)


def test_the_shipped_model_is_scored_on_the_test_split() -> None:
    rows = evaluate_caredesk(load_classifier())
    assert {(r["lang"], r["task"]) for r in rows} == {
        (lang, task) for lang in CAREDESK.langs for task in ("intent", "sentiment")
    }
    for row in rows:
        assert row["corpus"] == f"{row['lang']}-caredesk"
        assert 0.0 <= row["macro_f1"] <= 1.0
        if row["task"] == "intent":
            assert row["labels"] == list(CARE_INTENT_VIEW)
        assert row["language_accuracy"] > 0.9


def test_the_report_table_replaces_only_its_own_section(tmp_path: Path) -> None:
    doc = tmp_path / "models.md"
    doc.write_text("# Models\n\nkept above\n", encoding="utf-8")
    pairs = [
        ("intent", "linear-default"),
        ("intent", "tfidf-char"),
        ("intent-7", "tfidf-char"),
        ("sentiment", "linear-default"),
        ("sentiment", "tfidf-char"),
    ]
    results = [
        CareScore(lang, task, model, 10, 0.5, {"complaint": 0.5})
        for lang in CAREDESK.langs
        for task, model in pairs
    ]
    write_section(doc, render(results))
    write_section(doc, render(results))
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Models\n\nkept above\n")
    assert text.count("<!-- caredesk:start -->") == 1
    assert "| it | 10 | intent (all 7 labels) | n/a | 0.500 |" in text


def test_the_baseline_learns_from_the_train_split() -> None:
    rows = _posts("en")
    train = [p for split, p in rows if split == "train"]
    test = [p for split, p in rows if split == "test"][:30]
    intents, sentiments = baseline_predictions(train, test)
    assert len(intents) == len(sentiments) == 30
    assert set(intents) <= set(CAREDESK.intents)
    hits = sum(p.sentiment == s for p, s in zip(test, sentiments, strict=True))
    assert hits > 30 / 3  # better than a uniform guess over three classes


def test_second_pass_agreement_is_measured_on_the_fixed_sample() -> None:
    from benchmarks.caredesk_agreement import cohen_kappa, report

    assert cohen_kappa(["a", "b", "a", "b"], ["a", "b", "a", "b"]) == 1.0
    assert cohen_kappa(["a", "a", "b", "b"], ["a", "b", "a", "b"]) == 0.0
    result = report()
    assert result["all/intent"]["n"] == 212
    assert 0.0 < result["all/sentiment"]["kappa"] <= 1.0
