"""The classifier seam and the linear model that ships with the package.

A classifier turns a batch of texts into scores; rules in ``intent``, ``spam`` and ``priority``
turn scores into decisions. Keeping the seam at "batch of texts in, arrays of probabilities out"
lets a heavier model (a transformer, a remote service) replace the linear one without touching
the rules, and keeps the shipped model a few vectorised numpy operations per batch.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from mentiondesk.triage.features import DIM, featurize

__all__ = [
    "DEFAULT_MODEL_DIR",
    "ClassifierScores",
    "FixedClassifier",
    "LinearClassifier",
    "PostClassifier",
    "load_classifier",
]

DEFAULT_MODEL_DIR = Path(__file__).parent / "models"
MODEL_FILE = "model.npz"
SENTIMENT_LABELS = ("negative", "neutral", "positive")

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ClassifierScores:
    """Scores for ``n`` texts. Rows follow the input order.

    ``languages`` names the columns of ``language``; ``sentiment`` columns follow
    ``SENTIMENT_LABELS``; ``complaint`` is ``None`` when the model has no complaint head (the
    intent rules then lean on sentiment and phrasing alone). ``sentiment_calibrated`` is the
    same distribution with the polar split calibrated on dev data (``None``: the model has no
    calibration, so ``sentiment`` is all there is); labels are decided on ``sentiment``, how
    sure triage is and how urgent a post is on the calibrated one. ``harmful`` and
    ``complaint`` are calibrated in place (scaling keeps their decision point).
    """

    languages: tuple[str, ...]
    language: FloatArray  # (n, len(languages)), rows sum to 1
    sentiment: FloatArray  # (n, 3): negative, neutral, positive
    harmful: FloatArray  # (n,)
    complaint: FloatArray | None  # (n,)
    sentiment_calibrated: FloatArray | None = None  # (n, 3), like ``sentiment``

    @property
    def sentiment_sure(self) -> FloatArray:
        """The calibrated sentiment where there is one."""
        return self.sentiment if self.sentiment_calibrated is None else self.sentiment_calibrated


class PostClassifier(Protocol):
    """What triage needs from a model. An implementation must score a whole batch at once and
    must not depend on the batch's composition (the same text gets the same scores)."""

    name: str
    licence: str

    def score(self, texts: Sequence[str]) -> ClassifierScores:
        """Scores for ``texts``; an empty sequence gives empty arrays."""
        ...


def _softmax(z: FloatArray) -> FloatArray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: FloatArray = e / e.sum(axis=1, keepdims=True)
    return out


def _sigmoid(z: FloatArray) -> FloatArray:
    out: FloatArray = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
    return out


class LinearClassifier:
    """Linear heads over hashed n-grams: one weight matrix, one gather per batch.

    The ``model.npz`` holds ``weights`` (DIM x K, float16), ``bias`` (K) and ``meta`` (JSON: the
    heads, their columns and labels, the neutral margin of a two-class sentiment head, the
    per-language harm offsets, the corpora and licence). Decision thresholds tuned on dev
    splits for the other heads are already folded into ``bias``.
    """

    def __init__(
        self, weights: npt.NDArray[np.floating[Any]], bias: FloatArray, meta: dict[str, Any]
    ):
        if weights.shape[0] != DIM:
            raise ValueError(f"model has {weights.shape[0]} feature rows, this code hashes {DIM}")
        self.weights = weights
        self.bias = bias
        self.meta = meta
        self.heads: dict[str, dict[str, Any]] = meta["heads"]
        self.name: str = meta.get("name", "linear")
        self.licence: str = meta.get("licence", "")
        self.languages: tuple[str, ...] = tuple(self.heads["language"]["labels"])
        self.neutral_margin = float(meta.get("neutral_margin", 0.0))
        self.set_neutral_margins(meta.get("neutral_margins", {}))
        # Harm base rates differ by language and source, so the harm head's decision point is
        # moved per language (chosen on dev splits); the shift follows the language head.
        offsets = meta.get("harm_offsets", {})
        self.harm_offsets = np.asarray([float(offsets.get(lang, 0.0)) for lang in self.languages])
        # Temperatures per head and detected language, fitted on dev splits
        # (``benchmarks/eval_triage_calibration.py``); 1 where a model has none.
        calibration = meta.get("calibration", {})
        self.temperatures = {
            head: np.asarray(
                [float(calibration.get(head, {}).get(lang, 1.0)) for lang in self.languages]
            )
            for head in ("sentiment", "harmful", "complaint")
        }
        self.calibrated = bool(calibration)

    def set_neutral_margins(self, margins: dict[str, float]) -> None:
        """The unsure band of a two-class sentiment head, per detected language: how often a
        post is neutral differs by language and source (``neutral_margin`` where unset)."""
        self.neutral_margins = np.asarray(
            [max(float(margins.get(lang, self.neutral_margin)), 1e-6) for lang in self.languages]
        )

    @classmethod
    def load(cls, directory: Path = DEFAULT_MODEL_DIR) -> LinearClassifier:
        with np.load(directory / MODEL_FILE, allow_pickle=False) as data:
            weights = data["weights"].astype(np.float32)  # stored as float16, gathered as 32
            bias = data["bias"].astype(np.float64)
            meta = json.loads(str(data["meta"]))
        return cls(weights, bias, meta)

    def raw_scores(self, texts: Sequence[str]) -> FloatArray:
        """The linear scores (n x K) before each head's link function."""
        feats = featurize(texts)
        n, k = feats.n_docs, self.weights.shape[1]
        out = np.empty((n, k), dtype=np.float64)
        gathered = self.weights[feats.buckets]
        for col in range(k):
            out[:, col] = np.bincount(feats.docs, weights=gathered[:, col], minlength=n)
        out *= feats.scale()[:, None]
        out += self.bias
        return out

    def score(self, texts: Sequence[str]) -> ClassifierScores:
        raw = self.raw_scores(texts)
        language = _softmax(raw[:, self.heads["language"]["columns"]])
        guess = language.argmax(axis=1)
        sentiment, calibrated = self._sentiment(raw, guess)
        harm_raw = raw[:, self.heads["harmful"]["columns"][0]]
        if self.harm_offsets.any():
            harm_raw = harm_raw + self.harm_offsets[guess]
        harmful = _sigmoid(harm_raw / self.temperatures["harmful"][guess])
        complaint = None
        if "complaint" in self.heads:
            complaint_raw = raw[:, self.heads["complaint"]["columns"][0]]
            complaint = _sigmoid(complaint_raw / self.temperatures["complaint"][guess])
        return ClassifierScores(self.languages, language, sentiment, harmful, complaint, calibrated)

    def _sentiment(
        self, raw: FloatArray, guess: npt.NDArray[np.intp]
    ) -> tuple[FloatArray, FloatArray | None]:
        head = self.heads["sentiment"]
        if head["kind"] == "softmax":
            probs = _softmax(raw[:, head["columns"]])
            order = [head["labels"].index(label) for label in SENTIMENT_LABELS]
            return probs[:, order], None
        # A two-class head trained without neutral posts: a post it is unsure about is neutral.
        logit = raw[:, head["columns"][0]]
        positive = _sigmoid(logit)
        polarity = np.abs(2.0 * positive - 1.0)
        margin = self.neutral_margins[guess]
        neutral = np.clip(1.0 - polarity / (2.0 * margin), 0.0, 1.0)
        rest = 1.0 - neutral
        sentiment = np.stack([(1.0 - positive) * rest, neutral, positive * rest], axis=1)
        if not self.calibrated:
            return sentiment, None
        # The neutral band was tuned on the raw probability, so it stays; only the split
        # between negative and positive is calibrated.
        sure = _sigmoid(logit / self.temperatures["sentiment"][guess])
        return sentiment, np.stack([(1.0 - sure) * rest, neutral, sure * rest], axis=1)

    def sentiment_logits(self, texts: Sequence[str]) -> tuple[FloatArray, FloatArray]:
        """(binary sentiment logit, harm logit with its language offset) per text, before
        calibration: what the calibration script fits temperatures on."""
        raw = self.raw_scores(texts)
        guess = _softmax(raw[:, self.heads["language"]["columns"]]).argmax(axis=1)
        harm = raw[:, self.heads["harmful"]["columns"][0]] + self.harm_offsets[guess]
        return raw[:, self.heads["sentiment"]["columns"][0]], harm

    def explain(self, text: str, head: str, *, toward: bool = True, top: int = 3) -> list[str]:
        """The post's own words that pushed ``head`` most toward (or away from) its positive
        class: hashed n-gram weights × counts, summed over the words each n-gram lies in."""
        from mentiondesk.triage.explain import top_words

        column = self.heads[head]["columns"][0]
        return top_words(text, self.weights[:, column], toward=toward, top=top)


def load_classifier(directory: Path | None = None) -> LinearClassifier:
    """The shipped model, or one written by ``python -m mentiondesk.triage.train --out DIR``."""
    return LinearClassifier.load(directory or DEFAULT_MODEL_DIR)


class FixedClassifier:
    """A stand-in that gives every text the same scores: for tests of the rules around a model."""

    name = "fixed"
    licence = "n/a"

    def __init__(
        self,
        *,
        language: str = "en",
        sentiment: tuple[float, float, float] = (0.1, 0.8, 0.1),
        harmful: float = 0.05,
        complaint: float | None = 0.1,
    ) -> None:
        self.language = language
        self.sentiment = sentiment
        self.harmful = harmful
        self.complaint = complaint

    def score(self, texts: Sequence[str]) -> ClassifierScores:
        n = len(texts)
        return ClassifierScores(
            languages=(self.language,),
            language=np.ones((n, 1)),
            sentiment=np.tile(np.asarray(self.sentiment, dtype=np.float64), (n, 1)),
            harmful=np.full(n, self.harmful),
            complaint=None if self.complaint is None else np.full(n, self.complaint),
        )
