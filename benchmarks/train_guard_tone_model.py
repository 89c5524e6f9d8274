"""Train the guard's sentence model for blame and boilerplate (needs the ``dev`` extra).

    PYTHONPATH=src python benchmarks/train_guard_tone_model.py

Training sentences are the *train* halves of the pools in ``guard_reply_pools.py`` (the same
split as the labelled replies, seed 0), each also without diacritics, in lower case and with a
typo. A sentence is positive for a check when it comes from that check's pool. Each threshold is
the lowest probability at which 5-fold cross-validation (folds by phrasing, never by copy) keeps
precision at or above 0.9 on training sentences; no test or fresh reply is read. Writes
``src/mentiondesk/replies/guard/tone_model.npz``.
"""

from __future__ import annotations

import random
import zlib
from pathlib import Path

import numpy as np
from build_guard_replies import SHARED, split_pools, strip_accents, typo
from guard_reply_pools import POOLS
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from mentiondesk.replies.guard.tone_model import MODEL_FILE, ngrams

CHECKS = ("blame", "boilerplate")
TARGET_PRECISION = 0.9
OUT = Path(__file__).parent.parent / "src" / "mentiondesk" / "replies" / "guard" / MODEL_FILE
FILL = {
    "name": "Anna",
    "brand": "Skylot",
    "num": "22 123 45 67",
    "mail": "pomoc@skylot.pl",
    "url": "www.skylot.pl/pomoc",
    "ref": "#12345",
    "agent": "Ania",
    "ini": "AB",
}


def sentences() -> tuple[list[str], list[str], list[int]]:
    """(text, pool, phrasing id) of every training sentence and its noisy copies."""
    rng = random.Random(1)
    texts: list[str] = []
    pools: list[str] = []
    groups: list[int] = []
    for lang in POOLS:
        train = split_pools(lang, random.Random(f"0-{lang}"))["train"]
        for pool, items in train.items():
            if pool in SHARED:
                continue
            for item in items:
                text = item.format(**FILL)
                phrasing = len(texts)
                for variant in (text, strip_accents(text), text.lower(), typo(text, rng)):
                    texts.append(variant)
                    pools.append(pool)
                    groups.append(phrasing)
    return texts, pools, groups


DIMENSIONS = 1 << 18


def _bucket(gram: str) -> int:
    return zlib.crc32(gram.encode()) % DIMENSIONS


def matrix(texts: list[str]) -> csr_matrix:
    """Hashed, l2-normalised n-gram counts (the model ships per n-gram, not per bucket)."""
    rows, cols, vals = [], [], []
    for row, text in enumerate(texts):
        grams = ngrams(text)
        norm = sum(c * c for c in grams.values()) ** 0.5 or 1.0
        for gram, count in grams.items():
            rows.append(row)
            cols.append(_bucket(gram))
            vals.append(count / norm)
    return csr_matrix((vals, (rows, cols)), shape=(len(texts), DIMENSIONS))


def threshold(x: csr_matrix, y: np.ndarray, groups: list[int]) -> float | None:
    """Lowest cut-off whose cross-validated precision reaches ``TARGET_PRECISION``; None when
    none does (the check is then left to the rules alone)."""
    probs = np.zeros(len(y))
    for fit, held in GroupKFold(n_splits=5).split(x, y, groups):
        model = LogisticRegression(C=4, max_iter=3000, class_weight="balanced")
        probs[held] = model.fit(x[fit], y[fit]).predict_proba(x[held])[:, 1]
    for cut in np.arange(0.5, 0.99, 0.01):
        flagged = probs >= cut
        if flagged.any() and y[flagged].mean() >= TARGET_PRECISION:
            return float(round(cut, 2))
    return None


def main() -> None:
    texts, pools, groups = sentences()
    x = matrix(texts)
    arrays: dict[str, np.ndarray] = {}
    for check in CHECKS:
        y = np.array([p == check for p in pools])
        cut = threshold(x, y, groups)
        if cut is None:
            print(
                f"{check}: cross-validated precision never reaches {TARGET_PRECISION}; not shipped"
            )
            continue
        model = LogisticRegression(C=4, max_iter=3000, class_weight="balanced").fit(x, y)
        weights = model.coef_[0]
        vocabulary = sorted({g for text in texts for g in ngrams(text)})
        kept = [(g, weights[_bucket(g)]) for g in vocabulary if abs(weights[_bucket(g)]) > 1e-3]
        arrays[f"{check}.ngrams"] = np.array([g for g, _ in kept], dtype=str)
        arrays[f"{check}.value"] = np.array([w for _, w in kept], dtype=np.float16)
        arrays[f"{check}.meta"] = np.array([model.intercept_[0], cut], dtype=np.float64)
        print(f"{check}: {int(y.sum())} positive of {len(y)} sentences, threshold {cut}")
    np.savez_compressed(OUT, **arrays)
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} kB)")


if __name__ == "__main__":
    main()
