"""Calibrated probabilities and the "not sure" thresholds of the linear model's binary heads.

A logistic regression trained with balanced class weights and strong features is overconfident:
it says 0.99 about posts it gets wrong. Temperature scaling (the logit divided by one number
per head and language, fitted on dev splits) fixes how sure the model says it is without
moving any decision, because a binary head decides at logit 0 and dividing keeps the sign.
Fitting and scoring live here so the evaluation script and the tests measure what inference
applies; only numpy is needed, at fit time as at run time.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from mentiondesk.triage.classifier import LinearClassifier
from mentiondesk.triage.corpora import CORPORA, Corpus, load

__all__ = [
    "TARGETS",
    "binary_split",
    "brier_score",
    "choose_threshold",
    "coverage_at",
    "expected_calibration_error",
    "fit_calibration",
    "fit_temperature",
    "sigmoid",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_TEMPERATURES = np.exp(np.linspace(np.log(0.25), np.log(8.0), 241))
TARGETS = {"sentiment": 0.85, "harmful": 0.95}
"""Accuracy a label shown as sure must reach on dev; below the threshold that gives it, "not
sure". Harm asks more: a sure harmful label may hide a post."""
_THRESHOLDS = np.round(np.arange(0.50, 0.991, 0.01), 2)


def sigmoid(z: FloatArray) -> FloatArray:
    out: FloatArray = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
    return out


def fit_temperature(logits: FloatArray, positive: BoolArray) -> float:
    """The temperature that minimises the log loss of ``sigmoid(logits / T)`` (grid search:
    one parameter, a few thousand posts, no optimiser needed)."""
    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(positive, dtype=np.float64)
    best_t, best_loss = 1.0, np.inf
    for t in _TEMPERATURES:
        p = np.clip(sigmoid(z / t), 1e-12, 1 - 1e-12)
        loss = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
        if loss < best_loss:
            best_t, best_loss = float(t), loss
    return round(best_t, 4)


def expected_calibration_error(
    p_positive: FloatArray, positive: BoolArray, bins: int = 10
) -> float:
    """ECE of the predicted label's confidence, in equal-width confidence bins."""
    p = np.asarray(p_positive, dtype=np.float64)
    confidence = np.maximum(p, 1.0 - p)
    correct = (p >= 0.5) == np.asarray(positive, dtype=bool)
    edges = np.linspace(0.5, 1.0, bins + 1)
    index = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        inside = index == b
        if inside.any():
            total += inside.sum() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(total / max(len(p), 1))


def brier_score(p_positive: FloatArray, positive: BoolArray) -> float:
    """Mean squared error of the positive-class probability."""
    y = np.asarray(positive, dtype=np.float64)
    return float(np.mean((np.asarray(p_positive, dtype=np.float64) - y) ** 2))


def coverage_at(confidence: FloatArray, threshold: float) -> BoolArray:
    """Which posts get a label (the rest are "not sure") at ``threshold``."""
    covered: BoolArray = np.asarray(confidence) >= threshold
    return covered


def choose_threshold(confidence: FloatArray, correct: BoolArray, target: float) -> float:
    """The lowest confidence at which the labelled part reaches ``target`` accuracy on dev:
    abstain as little as possible for the accuracy asked of a label shown as sure."""
    conf = np.asarray(confidence, dtype=np.float64)
    ok = np.asarray(correct, dtype=bool)
    for t in _THRESHOLDS:
        covered = conf >= t
        if covered.sum() >= 20 and ok[covered].mean() >= target:
            return float(t)
    return float(_THRESHOLDS[-1])


def binary_split(
    model: LinearClassifier, corpus: Corpus, split: str
) -> tuple[FloatArray, BoolArray]:
    """(raw logit of the corpus's head, gold is the positive class) for the split's polar or
    harm-labelled posts; empty for corpora without a binary head to score."""
    positive_label = "harmful" if corpus.task == "harmful" else "positive"
    rows = [ex for s, ex in load(corpus) if s == split and ex.label != "neutral"]
    if corpus.task == "complaint" or not rows:
        return np.zeros(0), np.zeros(0, dtype=bool)
    sentiment, harm = model.sentiment_logits([ex.text for ex in rows])
    logits = harm if corpus.task == "harmful" else sentiment
    return logits, np.asarray([ex.label == positive_label for ex in rows])


def fit_calibration(model: LinearClassifier) -> dict[str, Any]:
    """Temperatures per head and language and the "not sure" thresholds, from the dev splits
    of the permissive corpora only: what goes into the shipped model's meta."""
    dev: dict[str, dict[str, tuple[FloatArray, BoolArray]]] = {"sentiment": {}, "harmful": {}}
    for corpus in CORPORA:
        if corpus.permissive:
            head = "harmful" if corpus.task == "harmful" else "sentiment"
            dev[head][corpus.lang] = binary_split(model, corpus, "dev")
    calibration: dict[str, dict[str, float]] = {}
    abstain: dict[str, float] = {}
    for head, parts in dev.items():
        temps = {lang: fit_temperature(z, y) for lang, (z, y) in parts.items()}
        y_all = np.concatenate([y for _, y in parts.values()])
        # No dev data for a language (harm outside Polish): no evidence, so no scaling.
        calibration[head] = {lang: temps.get(lang, 1.0) for lang in model.languages}
        p = np.concatenate([sigmoid(z / calibration[head][lang]) for lang, (z, _) in parts.items()])
        abstain[head] = choose_threshold(np.maximum(p, 1 - p), (p >= 0.5) == y_all, TARGETS[head])
    return {"calibration": calibration, "abstain": abstain}
