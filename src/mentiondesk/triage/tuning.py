"""Decision thresholds for each head, chosen on the dev splits only.

A logistic head trained with balanced class weights puts its decision point where the classes
would be equally frequent; the corpora are not (PolEval has 8 % harmful posts, BAN-PL half), and
the metric that matters (macro-F1, or the harmful class's F1) is not accuracy. So after training
each head gets an offset on its raw score, picked on the dev splits of the corpora it was trained
on, while the test splits stay untouched for the report. Binary offsets are folded into the
bias; harm keeps one offset per language because the language is known only at run time.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from mentiondesk.triage.classifier import SENTIMENT_LABELS, LinearClassifier
from mentiondesk.triage.corpora import CORPORA, Corpus, load
from mentiondesk.triage.evaluate import THREE_CLASS, scores, sentiment_pred
from mentiondesk.triage.service import PostTriager, TriageItem

__all__ = ["tune_all"]

OFFSETS = np.round(np.arange(-2.5, 2.501, 0.05), 3)
_NOW = datetime(2024, 1, 1, tzinfo=UTC)


def _dev(corpus: Corpus) -> tuple[list[str], list[str]]:
    rows = [ex for s, ex in load(corpus) if s == "dev"]
    return [ex.text for ex in rows], [ex.label for ex in rows]


def _binary_f1(raw: npt.NDArray[np.float64], gold: npt.NDArray[np.bool_], macro: bool) -> float:
    pred = raw > 0
    f1s = []
    for cls in (False, True) if macro else (True,):
        tp = float(np.sum((pred == cls) & (gold == cls)))
        denom = float(np.sum(pred == cls) + np.sum(gold == cls))
        f1s.append(2 * tp / denom if denom else 0.0)
    return float(np.mean(f1s))


def _best_offset(objective: Callable[[float], float]) -> float:
    """The offset with the best dev score; ties go to the one nearest zero (the least tuning)."""
    results = [(objective(float(o)), -abs(float(o)), float(o)) for o in OFFSETS]
    return max(results)[2]


def _trained(model: LinearClassifier, task: tuple[str, ...]) -> list[Corpus]:
    return [c for c in CORPORA if c.task in task and c.key in model.meta["corpora"]]


def _tune_binary_sentiment(model: LinearClassifier) -> float:
    col = model.heads["sentiment"]["columns"][0]
    dev = [_dev(c) for c in _trained(model, ("sentiment", "emotion"))]
    raws = [(model.raw_scores(t)[:, col], np.asarray([g == "positive" for g in gold]))
            for t, gold in dev]  # fmt: skip

    def objective(offset: float) -> float:
        return float(np.mean([_binary_f1(r + offset, g, True) for r, g in raws]))

    offset = _best_offset(objective)
    model.bias[col] += offset
    return offset


def _tune_neutral_margins(model: LinearClassifier) -> dict[str, float]:
    """For a two-class head: the unsure band called neutral, per language, on the dev splits of
    that language's three-class corpora. A language with none (Polish) gets the narrowest band
    found elsewhere: with no evidence for it, it should call the fewest posts neutral."""
    margins: dict[str, float] = {}
    labels = list(SENTIMENT_LABELS)
    for lang in model.languages:
        dev = [_dev(c) for c in CORPORA if c.source in THREE_CLASS and c.lang == lang]
        if not dev:
            continue
        best, best_f1 = 0.0, -1.0
        for margin in np.arange(0.05, 0.5, 0.025):
            model.set_neutral_margins(dict.fromkeys(model.languages, float(margin)))
            preds = [(gold, sentiment_pred(model, texts, False)) for texts, gold in dev]
            f1 = float(np.mean([scores(g, p, labels)["macro_f1"] for g, p in preds]))
            if f1 > best_f1:
                best, best_f1 = round(float(margin), 3), f1
        margins[lang] = best
    model.neutral_margin = min(margins.values(), default=0.2)
    model.set_neutral_margins(margins)
    return margins


def _tune_neutral_bias(model: LinearClassifier) -> float:
    """For a three-class head: one offset on the neutral column, on the three-class dev sets."""
    head = model.heads["sentiment"]
    col = head["columns"][head["labels"].index("neutral")]
    labels = head["labels"]
    dev = [(model.raw_scores(t)[:, head["columns"]], gold)
           for c in _trained(model, ("sentiment",)) for t, gold in [_dev(c)]
           if "neutral" in gold]  # fmt: skip
    k = labels.index("neutral")

    def objective(offset: float) -> float:
        f1s = []
        for raw, gold in dev:
            shifted = raw.copy()
            shifted[:, k] += offset
            pred = [labels[int(i)] for i in shifted.argmax(axis=1)]
            f1s.append(scores(gold, pred, labels)["macro_f1"])
        return float(np.mean(f1s))

    offset = _best_offset(objective)
    model.bias[col] += offset
    return offset


def _tune_harm(model: LinearClassifier) -> dict[str, float]:
    """Per language: the offset that maximises the mean harmful-class F1 of its dev splits."""
    col = model.heads["harmful"]["columns"][0]
    offsets: dict[str, float] = {}
    for lang in model.meta["harm_languages"]:
        dev = [_dev(c) for c in _trained(model, ("harmful",)) if c.lang == lang]
        raws = [(model.raw_scores(t)[:, col], np.asarray([g == "harmful" for g in gold]))
                for t, gold in dev]  # fmt: skip

        def objective(offset: float, raws: Any = raws) -> float:
            return float(np.mean([_binary_f1(r + offset, g, False) for r, g in raws]))

        offsets[lang] = _best_offset(objective)
    return offsets


def _tune_complaint(model: LinearClassifier) -> float:
    """Through the full intent rules, as the complaint figure is reported."""
    col = model.heads["complaint"]["columns"][0]
    triager = PostTriager(model)
    dev = [_dev(c) for c in _trained(model, ("complaint",))]
    base = float(model.bias[col])

    def objective(offset: float) -> float:
        model.bias[col] = base + offset
        f1s = []
        for texts, gold in dev:
            done = triager.triage_many([TriageItem(t) for t in texts], now=_NOW)
            pred = ["complaint" if r.intent.value == "complaint" else "not_complaint" for r in done]
            f1s.append(scores(gold, pred, ["not_complaint", "complaint"])["macro_f1"])
        return float(np.mean(f1s))

    offset = _best_offset(objective)
    model.bias[col] = base + offset
    return offset


def tune_all(model: LinearClassifier, log: Any = sys.stderr) -> dict[str, Any]:
    """Tune every head of ``model`` in place on dev splits; returns what was chosen (also
    written to ``model.meta``)."""
    chosen: dict[str, Any] = {}
    if model.heads["sentiment"]["kind"] == "sigmoid":
        chosen["sentiment_offset"] = _tune_binary_sentiment(model)
        chosen["neutral_margins"] = _tune_neutral_margins(model)
        chosen["neutral_margin"] = model.neutral_margin
    else:
        chosen["neutral_offset"] = _tune_neutral_bias(model)
    model.meta["harm_offsets"] = _tune_harm(model)
    model.harm_offsets = np.asarray(
        [model.meta["harm_offsets"].get(lang, 0.0) for lang in model.languages]
    )
    chosen["harm_offsets"] = model.meta["harm_offsets"]
    if "complaint" in model.heads:
        chosen["complaint_offset"] = _tune_complaint(model)
    model.meta.update(chosen)
    print(f"{model.name}: tuned on dev: {chosen}", file=log)
    return chosen
