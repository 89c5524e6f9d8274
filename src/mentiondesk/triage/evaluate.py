"""Evaluate triage models on the held-out splits and write ``docs/models.md``.

Each corpus is scored on its own test split (20 % of its distinct texts, by hash), through the
same code path the product uses: sentiment and harm straight from the classifier, complaint
through the full intent rules. Reported per corpus: macro-F1, the F1 of the minority class, the
confusion matrix. The intent set labelled by hand (Polish and Italian) and the project's own
customer-care corpus (its test split, per language) are scored the same way.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from mentiondesk.triage.classifier import SENTIMENT_LABELS, LinearClassifier
from mentiondesk.triage.corpora import CAREDESK, CORPORA, CarePost, Corpus, load, load_caredesk
from mentiondesk.triage.service import PostTriager, TriageItem

__all__ = [
    "CARE_INTENT_VIEW",
    "INTENT_SET",
    "THREE_CLASS",
    "care_intent_view",
    "caredesk_test",
    "evaluate_all",
    "evaluate_caredesk",
    "sentiment_pred",
    "shipped_care_predictions",
    "write_report",
]

INTENT_SET = Path(__file__).parent / "models" / "intent_eval_pl_it.jsonl"
THREE_CLASS = ("sentipolc2016", "tweeteval_sentiment", "umsab")
_NOW = datetime(2024, 1, 1, tzinfo=UTC)
# What the product's triage can say about a post: its intents, "other" for posts that need no
# answer or are off topic (it does not tell them apart), and abuse through the harmful flag.
CARE_INTENT_VIEW = ("complaint", "question", "praise", "lead", "other", "abuse")
_CARE_TO_VIEW = {"no_reply": "other", "off_topic": "other"}


def scores(gold: list[str], pred: list[str], labels: list[str]) -> dict[str, Any]:
    """Macro-F1, per-class F1, the minority class's F1 and the confusion matrix."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for g, p in zip(gold, pred, strict=True):
        matrix[index[g], index[p]] += 1
    f1 = {}
    for label, i in index.items():
        tp = matrix[i, i]
        precision = tp / matrix[:, i].sum() if matrix[:, i].sum() else 0.0
        recall = tp / matrix[i].sum() if matrix[i].sum() else 0.0
        f1[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    present = [label for label in labels if matrix[index[label]].sum()]
    minority = min(present, key=lambda label: matrix[index[label]].sum())
    return {
        "n": len(gold),
        "macro_f1": float(np.mean([f1[label] for label in present])),
        "f1": {k: float(v) for k, v in f1.items()},
        "minority": minority,
        "minority_f1": float(f1[minority]),
        "labels": labels,
        "confusion": matrix.tolist(),
    }


def _test(corpus: Corpus, split: str = "test") -> tuple[list[str], list[str]]:
    rows = [ex for s, ex in load(corpus) if s == split]
    return [ex.text for ex in rows], [ex.label for ex in rows]


def sentiment_pred(model: LinearClassifier, texts: list[str], two_class: bool) -> list[str]:
    probs = model.score(texts).sentiment
    if two_class:  # the corpus has no neutral class: compare negative with positive
        return ["positive" if p[2] > p[0] else "negative" for p in probs]
    return [SENTIMENT_LABELS[int(k)] for k in probs.argmax(axis=1)]


def evaluate_all(model: LinearClassifier) -> list[dict[str, Any]]:
    """One row per corpus and task, plus the hand-labelled intent set."""
    triager = PostTriager(model)
    rows: list[dict[str, Any]] = []
    for corpus in CORPORA:
        texts, gold = _test(corpus)
        result = model.score(texts)
        detected = [result.languages[int(k)] for k in result.language.argmax(axis=1)]
        lang_acc = float(np.mean([d == corpus.lang for d in detected]))
        if corpus.task in ("sentiment", "emotion"):
            labels = sorted(set(gold), key=SENTIMENT_LABELS.index)
            pred = sentiment_pred(model, texts, two_class=len(labels) == 2)
            row = scores(gold, pred, labels)
        elif corpus.task == "harmful":
            done = triager.triage_many([TriageItem(t) for t in texts], now=_NOW)
            pred = ["harmful" if r.harmful else "not_harmful" for r in done]
            row = scores(gold, pred, ["not_harmful", "harmful"])
        else:
            done = triager.triage_many([TriageItem(t) for t in texts], now=_NOW)
            pred = ["complaint" if r.intent.value == "complaint" else "not_complaint" for r in done]
            row = scores(gold, pred, ["not_complaint", "complaint"])
        task = "sentiment" if corpus.task == "emotion" else corpus.task
        rows.append({"corpus": corpus.key, "lang": corpus.lang, "task": task,
                     "trained_on": corpus.key in model.meta["corpora"],
                     "language_accuracy": lang_acc, **row})  # fmt: skip
    if INTENT_SET.exists():
        with INTENT_SET.open(encoding="utf-8") as fh:
            labelled = [json.loads(line) for line in fh]
        for lang in ("pl", "it"):
            part = [r for r in labelled if r["lang"] == lang]
            done = triager.triage_many([TriageItem(r["text"]) for r in part], now=_NOW)
            labels = ["complaint", "question", "praise", "lead", "other"]
            row = scores([r["label"] for r in part], [d.intent.value for d in done], labels)
            rows.append({"corpus": f"{lang}-intent-handlabelled", "lang": lang, "task": "intent",
                         "trained_on": False, "language_accuracy": None, **row})  # fmt: skip
    rows.extend(evaluate_caredesk(model))
    return rows


def care_intent_view(label: str) -> str:
    """A corpus intent label as the product's triage would name it (``CARE_INTENT_VIEW``)."""
    return _CARE_TO_VIEW.get(label, label)


def caredesk_test(lang: str) -> list[CarePost]:
    return [post for split, post in load_caredesk(lang) if split == "test"]


def shipped_care_predictions(
    model: LinearClassifier, posts: list[CarePost]
) -> tuple[list[str], list[str]]:
    """(intent in ``CARE_INTENT_VIEW``, sentiment) through the full triage rules, with each
    post's tag passed on as the product does (a tag is addressed to the brand)."""
    triager = PostTriager(model)
    items = [TriageItem(p.text, mentioned=True, to_brand=p.tagged) for p in posts]
    done = triager.triage_many(items, now=_NOW)
    intents = ["abuse" if r.harmful else r.intent.value for r in done]
    return intents, [r.sentiment.value for r in done]


def evaluate_caredesk(model: LinearClassifier) -> list[dict[str, Any]]:
    """Intent and sentiment rows for each language of the customer-care corpus."""
    rows: list[dict[str, Any]] = []
    for lang in CAREDESK.langs:
        posts = caredesk_test(lang)
        intents, sentiments = shipped_care_predictions(model, posts)
        result = model.score([p.text for p in posts])
        detected = [result.languages[int(k)] for k in result.language.argmax(axis=1)]
        lang_acc = float(np.mean([d == lang for d in detected]))
        gold_intent = [care_intent_view(p.intent) for p in posts]
        for task, gold, pred, labels in (
            ("intent", gold_intent, intents, list(CARE_INTENT_VIEW)),
            ("sentiment", [p.sentiment for p in posts], sentiments, list(SENTIMENT_LABELS)),
        ):
            row = scores(gold, pred, labels)
            rows.append({"corpus": f"{lang}-{CAREDESK.source}", "lang": lang, "task": task,
                         "trained_on": CAREDESK.source in model.meta["corpora"],
                         "language_accuracy": lang_acc, **row})  # fmt: skip
    return rows


def _matrix(row: dict[str, Any]) -> str:
    labels = row["labels"]
    return "; ".join(
        f"{g}→" + "/".join(str(v) for v in line)
        for g, line in zip(labels, row["confusion"], strict=True)
    )


def write_report(
    results: dict[str, tuple[LinearClassifier, list[dict[str, Any]]]], path: Path, model_dir: Path
) -> None:
    """Render the evaluation tables; the prose around them lives in the template below."""
    tables = []
    for profile, (model, rows) in results.items():
        if model.heads["sentiment"]["kind"] == "softmax":
            margins = "none (three-class head)"
        else:
            per_lang = model.meta.get("neutral_margins", {})
            margins = f"{per_lang} (other languages {model.meta.get('neutral_margin', 0)})"
        lines = [
            f"### Model `{model.name}` (`{profile}`)",
            "",
            f"Trained on: {', '.join(model.meta['corpora'])}. "
            f"Neutral margin: {margins}. "
            f"Harm offsets: {model.meta.get('harm_offsets', {})}.",
            "",
            "| corpus | task | in training | n | macro-F1 | minority (F1) | lang. acc. "
            "| confusion (gold→pred, in label order) |",
            "|---|---|---|---|---|---|---|---|",
        ]  # fmt: skip
        for r in rows:
            acc = "" if r["language_accuracy"] is None else f"{r['language_accuracy']:.3f}"
            lines.append(
                f"| {r['corpus']} | {r['task']} | {'yes' if r['trained_on'] else 'no'} | {r['n']} "
                f"| {r['macro_f1']:.3f} | {r['minority']} ({r['minority_f1']:.3f}) | {acc} "
                f"| {' / '.join(r['labels'])}: {_matrix(r)} |"
            )
        tables.append("\n".join(lines))
    generated = "\n\n".join(tables)
    begin, end = "<!-- evaluation:start -->", "<!-- evaluation:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Models\n\n{begin}\n{end}\n"
    if begin not in text or end not in text:
        text += f"\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{head}{begin}\n{generated}\n{end}{tail}", encoding="utf-8")
    (model_dir / "evaluation.json").write_text(
        json.dumps({p: rows for p, (_, rows) in results.items()}, indent=1), encoding="utf-8"
    )
