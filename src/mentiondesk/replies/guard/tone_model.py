"""A small linear model that reads blame and press-release tone sentence by sentence.

The phrase lists catch the wordings they name; agents find new ones ("it's your fault the card
was blocked", "every piece of feedback is valuable to us"). Character 1-4-grams of each word,
hashed into ``DIMENSIONS`` buckets, weighted by a logistic regression trained on the labelled
replies' training phrasings (``benchmarks/train_guard_tone_model.py``). Only numpy is needed
here (to read the weights, which ship as ``tone_model.npz``, a few dozen kB). Each check has a
threshold chosen by cross-validation for high precision: the model only adds findings the
rules missed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from math import exp, sqrt

import numpy as np

__all__ = ["MODEL_FILE", "ToneModel", "ngrams", "tone_model"]

MODEL_FILE = "tone_model.npz"
_MAX_N = 4


def ngrams(sentence: str) -> Counter[str]:
    """Counts of the sentence's character 1-4-grams, each taken inside one space-padded,
    lower-cased word (so "we'll" and "we will" share " we")."""
    grams: Counter[str] = Counter()
    for word in sentence.lower().split():
        padded = f" {word} "
        size = len(padded)
        for n in range(1, _MAX_N + 1):
            grams.update(padded[i : i + n] for i in range(size - n + 1))
    return grams


@dataclass(frozen=True)
class ToneModel:
    """Per check: the weight of each n-gram the training data had, a bias and a threshold.
    A sentence's score is its l2-normalised n-gram counts times those weights."""

    weights: dict[str, dict[str, float]]
    bias: dict[str, float]
    threshold: dict[str, float]

    def probability(self, check: str, sentence: str) -> float:
        grams = ngrams(sentence)
        if not grams:
            return 0.0
        norm = sqrt(sum(c * c for c in grams.values()))
        table = self.weights[check]
        score = sum(c * table.get(g, 0.0) for g, c in grams.items()) / norm + self.bias[check]
        return 1.0 / (1.0 + exp(-score))

    def says(self, check: str, sentence: str) -> bool:
        """Whether ``sentence`` reads as ``check`` with the model's chosen confidence."""
        return check in self.weights and self.probability(check, sentence) >= self.threshold[check]

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> ToneModel:
        """From the ``.npz`` layout: ``<check>.ngrams`` (strings), ``<check>.value`` and
        ``<check>.meta`` (bias, threshold)."""
        checks = sorted({name.split(".")[0] for name in arrays})
        weights, bias, threshold = {}, {}, {}
        for check in checks:
            grams = arrays[f"{check}.ngrams"].tolist()
            values = arrays[f"{check}.value"].astype(float).tolist()
            weights[check] = dict(zip(grams, values, strict=True))
            bias[check], threshold[check] = (float(x) for x in arrays[f"{check}.meta"])
        return cls(weights, bias, threshold)


@cache
def tone_model() -> ToneModel:
    """The shipped model, loaded on first use."""
    source = resources.files(__package__).joinpath(MODEL_FILE)
    with source.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
        return ToneModel.from_arrays({name: data[name] for name in data.files})
