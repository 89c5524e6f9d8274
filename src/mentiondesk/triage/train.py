"""Train the triage models from the shared corpora: ``python -m mentiondesk.triage.train``.

Two profiles. ``default`` uses only the permissively licensed corpora and is the model that ships
in ``triage/models/default``. ``research`` adds every corpus (several are non-commercial or have
no stated licence); it is written wherever ``--out`` says and is never shipped. Both are
evaluated on the same held-out test splits of every corpus and the figures go to
``docs/models.md``. Everything is seeded: the same data gives the same weights.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from mentiondesk.triage.classifier import DEFAULT_MODEL_DIR, MODEL_FILE, LinearClassifier
from mentiondesk.triage.corpora import CORPORA, DATA_DIR, Corpus, Example, load
from mentiondesk.triage.features import BITS, DIM, featurize

__all__ = ["main", "train_model"]

SEED = 20240501
LANG_CAP = 12_000  # posts per language for the language head: plenty for character n-grams
# Chosen on the dev splits (binary heads with NB scaling want a weaker regulariser).
C_BY_HEAD = {"language": 2.0, "sentiment": 8.0, "harmful": 16.0, "complaint": 16.0}
C_MULTICLASS_SENTIMENT = 4.0
NB_ALPHA = 1.0
# Heads whose classes are balanced within each corpus (chosen on dev: PolEval harmful-F1 0.52 →
# 0.57 with BAN-PL unchanged); elsewhere one corpus per language makes it the same thing.
PER_CORPUS_BALANCE = frozenset({"harmful"})
POSITIVE = {"sentiment": "positive", "harmful": "harmful", "complaint": "complaint"}
HEAD_TASKS = {
    "sentiment": ("sentiment", "emotion"),
    "harmful": ("harmful",),
    "complaint": ("complaint",),
}


def _matrix(texts: list[str]) -> Any:
    from scipy.sparse import csr_matrix

    feats = featurize(texts)
    data = feats.scale()[feats.docs]
    return csr_matrix((data, (feats.docs, feats.buckets)), shape=(feats.n_docs, DIM))


def _nb_ratio(x: Any, positive: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """Log-count ratio of every bucket between the positive and the negative posts (NB-SVM).

    Scaling the features by it before the logistic regression lets a rare but one-sided n-gram
    weigh in early instead of waiting for the regulariser to let it; at run time the scaling is
    folded into the weights, so inference costs nothing more.
    """
    present = x.copy()
    present.data = np.ones_like(present.data)
    pos = NB_ALPHA + np.asarray(present[positive].sum(axis=0)).ravel()
    neg = NB_ALPHA + np.asarray(present[~positive].sum(axis=0)).ravel()
    ratio: npt.NDArray[np.float64] = np.log(pos / pos.sum()) - np.log(neg / neg.sum())
    return ratio


def _per_corpus_weights(y: npt.NDArray[np.bool_], sources: list[str]) -> npt.NDArray[np.float64]:
    """Sample weights that balance the two classes within each corpus, each corpus keeping its
    size. Balancing the pooled data instead lets a balanced corpus (BAN-PL, half harmful) set
    the decision point, and a rare-positive one (PolEval, 8 %) then loses most of its
    positives."""
    weights = np.ones(y.size)
    src = np.asarray(sources)
    for name in np.unique(src):
        mine = src == name
        for cls in (False, True):
            both = mine & (y == cls)
            if both.any() and (mine & (y != cls)).any():
                weights[both] = mine.sum() / (2.0 * both.sum())
    return weights


def _fit(
    texts: list[str],
    labels: list[str],
    c: float,
    positive: str | None = None,
    nb: bool = True,
    sources: list[str] | None = None,
) -> tuple[npt.NDArray[Any], Any, list[str]]:
    """One head. With ``positive`` it is binary with one column that scores ``positive``;
    otherwise one-vs-rest with a column per class. Every column is an NB-scaled logistic
    regression of its class against the rest (NB scaling beat plain features for the sentiment,
    harm and complaint heads on the dev splits; the language head, already near perfect, keeps
    plain features: ``nb=False``). With ``sources``, classes are balanced per corpus instead of
    over the pooled data."""
    from sklearn.linear_model import LogisticRegression

    # liblinear one-vs-rest: minutes faster than a multinomial fit on half a million columns,
    # and the runtime softmax over its scores ranks classes the same way.
    x = _matrix(texts)
    classes = [positive] if positive is not None else sorted(set(labels))
    coefs, biases = [], []
    for cls in classes:
        y = np.asarray([label == cls for label in labels])
        ratio = _nb_ratio(x, y) if nb else np.ones(DIM)
        weights = None if sources is None else _per_corpus_weights(y, sources)
        base = LogisticRegression(
            C=c,
            solver="liblinear",
            class_weight=None if sources is not None else "balanced",
            random_state=SEED,
        ).fit(x.multiply(ratio).tocsr(), y, sample_weight=weights)
        coefs.append(base.coef_[0] * ratio)
        biases.append(float(base.intercept_[0]))
    if positive is not None:
        classes = [*sorted(set(labels) - {positive}), positive]
    return np.vstack(coefs), np.asarray(biases), [str(k) for k in classes]


def _examples(corpora: list[Corpus], split: str) -> list[Example]:
    return [ex for corpus in corpora for s, ex in load(corpus) if s == split]


def train_model(profile: str, log: Any = sys.stderr) -> LinearClassifier:
    """Fit every head of ``profile`` on the train splits and return the assembled model."""
    corpora = [c for c in CORPORA if c.permissive or profile == "research"]
    rng = np.random.default_rng(SEED)
    columns: list[npt.NDArray[Any]] = []
    biases: list[float] = []
    heads: dict[str, dict[str, Any]] = {}

    def add_head(
        name: str, kind: str, coef: npt.NDArray[Any], bias: Any, labels: list[str]
    ) -> None:
        start = len(biases)
        columns.extend(coef)
        biases.extend(float(b) for b in np.atleast_1d(bias))
        heads[name] = {"kind": kind, "labels": labels,
                       "columns": list(range(start, len(biases)))}  # fmt: skip

    by_lang: dict[str, list[str]] = defaultdict(list)
    for ex in _examples(corpora, "train"):
        by_lang[ex.corpus.lang].append(ex.text)
    lang_texts, lang_labels = [], []
    for lang in sorted(by_lang):
        texts = sorted(set(by_lang[lang]))
        picked = rng.permutation(len(texts))[:LANG_CAP]
        lang_texts += [texts[i] for i in picked]
        lang_labels += [lang] * len(picked)
    started = time.perf_counter()
    coef, bias, labels = _fit(lang_texts, lang_labels, C_BY_HEAD["language"], nb=False)
    add_head("language", "softmax", coef, bias, labels)
    print(f"language head: {len(lang_texts)} posts, {time.perf_counter() - started:.0f}s", file=log)

    for head, tasks in HEAD_TASKS.items():
        examples = [ex for ex in _examples(corpora, "train") if ex.corpus.task in tasks]
        if not examples:
            continue
        started = time.perf_counter()
        texts = [ex.text for ex in examples]
        labels = [ex.label for ex in examples]
        if len(set(labels)) == 2:  # binary heads keep one column: the score of the positive
            sources = [ex.corpus.key for ex in examples] if head in PER_CORPUS_BALANCE else None
            coef, bias, classes = _fit(
                texts, labels, C_BY_HEAD[head], POSITIVE[head], True, sources
            )
            if classes[1] != POSITIVE[head] or len(classes) != 2:
                raise ValueError(f"{head}: unexpected classes {classes}")
            add_head(head, "sigmoid", coef, bias, classes)
        else:
            coef, bias, classes = _fit(texts, labels, C_MULTICLASS_SENTIMENT)
            add_head(head, "softmax", coef, bias, classes)
        print(f"{head} head: {len(texts)} posts, {time.perf_counter() - started:.0f}s", file=log)

    weights = np.ascontiguousarray(np.stack(columns, axis=1).astype(np.float16))
    used = sorted({c.key for c in corpora})
    licences = sorted({f"{c.key}: {c.licence}" for c in corpora})
    meta = {
        "name": f"linear-{profile}",
        "profile": profile,
        "bits": BITS,
        "seed": SEED,
        "heads": heads,
        "corpora": used,
        "licence": "; ".join(licences),
        "neutral_margin": 0.0,
        "harm_languages": sorted({c.lang for c in corpora if c.task == "harmful"}),
    }
    return LinearClassifier(weights, np.asarray(biases), meta)


def save(model: LinearClassifier, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / MODEL_FILE
    np.savez_compressed(
        path, weights=model.weights, bias=model.bias.astype(np.float32),
        meta=np.asarray(json.dumps(model.meta, sort_keys=True)),
    )  # fmt: skip
    return path


def main(argv: list[str] | None = None) -> int:
    """Train, tune, evaluate, and write the model(s) and ``docs/models.md``."""
    from mentiondesk.triage.calibration import fit_calibration
    from mentiondesk.triage.evaluate import evaluate_all, write_report
    from mentiondesk.triage.tuning import tune_all

    parser = argparse.ArgumentParser(prog="python -m mentiondesk.triage.train")
    parser.add_argument("--data", type=Path, default=DATA_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_DIR,
                        help="where the default model goes (the package by default)")  # fmt: skip
    parser.add_argument("--research-out", type=Path, default=None,
                        help="also train the non-commercial research model here")  # fmt: skip
    parser.add_argument("--report", type=Path, default=Path("docs/models.md"))
    parser.add_argument("--evaluate-only", action="store_true",
                        help="evaluate the models already written instead of training")  # fmt: skip
    args = parser.parse_args(argv)
    if args.data != DATA_DIR:
        import mentiondesk.triage.corpora as corpora_module

        corpora_module.DATA_DIR = args.data

    results = {}
    for profile, out in (("default", args.out), ("research", args.research_out)):
        if profile == "research" and out is None:
            continue
        if args.evaluate_only:
            model = LinearClassifier.load(out)
        else:
            model = train_model(profile)
            tune_all(model)
            if profile == "default":  # calibrated on permissive dev splits only
                model.meta.update(fit_calibration(model))
            path = save(model, out)
            print(f"{profile}: wrote {path} ({path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
        results[profile] = (model, evaluate_all(model))
    write_report(results, args.report, model_dir=args.out)
    print(f"wrote {args.report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
