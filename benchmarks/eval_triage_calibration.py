"""Calibrate the shipped triage model on dev splits, choose its "not sure" thresholds, and
report reliability and abstention on the test splits.

Usage: ``PYTHONPATH=src python benchmarks/eval_triage_calibration.py [--write]``.

- Temperatures: one per head (binary sentiment, harm) and corpus language, fitted on the dev
  splits of the permissively licensed corpora only (pl/en Mozetič, FEEL-IT, BAN-PL). A language
  with no dev data for a head keeps temperature 1 (no evidence to scale by).
- "Not sure" thresholds: the lowest calibrated confidence at which the labelled part of the
  pooled dev posts reaches the target accuracy (sentiment 0.85, harm 0.95).
- Report: expected calibration error and Brier score before/after on every corpus's test split
  (three-class corpora: their polar posts, since the head is two-class), and coverage with
  accuracy / macro-F1 on the labelled part vs all posts at the chosen threshold.

``--write`` stores temperatures and thresholds in ``model.npz``'s meta (the weights are copied
untouched) and rewrites the section between the calibration markers in ``docs/models.md``.
Nothing here needs scikit-learn; it takes well under a minute on one core.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from mentiondesk.triage.calibration import (
    binary_split,
    brier_score,
    expected_calibration_error,
    fit_calibration,
    sigmoid,
)
from mentiondesk.triage.classifier import DEFAULT_MODEL_DIR, MODEL_FILE, LinearClassifier
from mentiondesk.triage.corpora import CORPORA, load
from mentiondesk.triage.service import PostTriager, TriageItem

_NOW = datetime(2024, 1, 1, tzinfo=UTC)
REPORT = Path("docs/models.md")
BEGIN, END = "<!-- calibration:start -->", "<!-- calibration:end -->"


def _macro_f1(pred: np.ndarray, gold: np.ndarray) -> float:
    f1s = []
    for cls in (True, False):
        tp = float(np.sum((pred == cls) & (gold == cls)))
        fp = float(np.sum((pred == cls) & (gold != cls)))
        fn = float(np.sum((pred != cls) & (gold == cls)))
        if tp + fn:
            f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(f1s)) if f1s else 0.0


def report(model: LinearClassifier, fitted: dict[str, Any]) -> list[dict[str, Any]]:
    """Reliability and abstention per corpus test split."""
    rows = []
    for corpus in CORPORA:
        z, y = binary_split(model, corpus, "test")
        if not len(z):
            continue
        head = "harmful" if corpus.task == "harmful" else "sentiment"
        before = sigmoid(z)
        after = sigmoid(z / fitted["calibration"][head][corpus.lang])
        pred = after >= 0.5
        covered = np.maximum(after, 1 - after) >= fitted["abstain"][head]
        rows.append({
            "corpus": corpus.key, "head": head, "n": len(z),
            "T": fitted["calibration"][head][corpus.lang], "permissive": corpus.permissive,
            "ece_before": expected_calibration_error(before, y),
            "ece_after": expected_calibration_error(after, y),
            "brier_before": brier_score(before, y), "brier_after": brier_score(after, y),
            "coverage": float(covered.mean()),
            "acc_all": float(np.mean(pred == y)), "f1_all": _macro_f1(pred, y),
            "acc_covered": float(np.mean(pred[covered] == y[covered])) if covered.any() else 0.0,
            "f1_covered": _macro_f1(pred[covered], y[covered]),
        })  # fmt: skip
    return rows


def complaint_row(model: LinearClassifier, fitted: dict[str, Any]) -> dict[str, Any]:
    """Complaint through the full intent rules on complaints2019's test split (evaluation only:
    it trains and calibrates nothing); "not sure" is the rule's band."""
    corpus = next(c for c in CORPORA if c.task == "complaint")
    rows = [ex for s, ex in load(corpus) if s == "test"]
    calibrated = LinearClassifier(model.weights, model.bias, {**model.meta, **fitted})
    done = PostTriager(calibrated).triage_many([TriageItem(ex.text) for ex in rows], now=_NOW)
    pred = np.asarray([r.intent.value == "complaint" for r in done])
    gold = np.asarray([ex.label == "complaint" for ex in rows])
    covered = np.asarray([r.sure("intent") for r in done])
    nan = float("nan")
    return {
        "corpus": corpus.key, "head": "complaint (rules)", "n": len(rows), "T": nan,
        "permissive": False, "ece_before": nan, "ece_after": nan, "brier_before": nan,
        "brier_after": nan, "coverage": float(covered.mean()),
        "acc_all": float(np.mean(pred == gold)), "f1_all": _macro_f1(pred, gold),
        "acc_covered": float(np.mean(pred[covered] == gold[covered])),
        "f1_covered": _macro_f1(pred[covered], gold[covered]),
    }  # fmt: skip


def render(fitted: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    temps = json.dumps(fitted["calibration"], sort_keys=True)
    lines = [
        f"Temperatures (dev, per head and language): `{temps}`. "
        f"Not-sure thresholds (calibrated confidence of the label): "
        f"sentiment {fitted['abstain']['sentiment']:.2f}, harm {fitted['abstain']['harmful']:.2f}.",
        "",
        "| corpus (test split) | head | n | T | ECE before → after | Brier before → after "
        "| coverage | accuracy all → labelled | macro-F1 all → labelled |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        mark = "" if r["permissive"] else " (zero-shot)"
        if np.isnan(r["T"]):
            fit = "| – | – | – "
        else:
            fit = (
                f"| {r['T']:.2f} | {r['ece_before']:.3f} → {r['ece_after']:.3f} "
                f"| {r['brier_before']:.3f} → {r['brier_after']:.3f} "
            )
        lines.append(
            f"| {r['corpus']}{mark} | {r['head']} | {r['n']} {fit}| {r['coverage']:.2f} "
            f"| {r['acc_all']:.3f} → {r['acc_covered']:.3f} "
            f"| {r['f1_all']:.3f} → {r['f1_covered']:.3f} |"
        )
    return "\n".join(lines)


def write_model(fitted: dict[str, Any], directory: Path = DEFAULT_MODEL_DIR) -> None:
    """Store the fit in the model's meta; the weight arrays are copied byte for byte."""
    path = directory / MODEL_FILE
    with np.load(path, allow_pickle=False) as data:
        weights, bias = data["weights"], data["bias"]
        meta = json.loads(str(data["meta"]))
    meta.update(fitted)
    np.savez_compressed(
        path, weights=weights, bias=bias, meta=np.asarray(json.dumps(meta, sort_keys=True))
    )


def write_report(text: str, path: Path = REPORT) -> None:
    doc = path.read_text(encoding="utf-8")
    head, rest = doc.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    path.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="store the fit and the report")
    args = parser.parse_args()
    model = LinearClassifier.load()
    model.meta.pop("calibration", None)
    model = LinearClassifier(model.weights, model.bias, model.meta)  # measure the raw heads
    fitted = fit_calibration(model)
    text = render(fitted, [*report(model, fitted), complaint_row(model, fitted)])
    print(text)
    if args.write:
        write_model(fitted)
        write_report(text)


if __name__ == "__main__":
    main()
