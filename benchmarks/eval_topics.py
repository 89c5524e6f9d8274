"""Purity and coverage of the feedback report's topic grouping on the hand-labelled sample.

    python -m benchmarks.eval_topics

Reads ``tests/unit/analytics/data/feedback_topics_{pl,it,en}.tsv`` and the held-out
``feedback_topics_heldout.tsv`` (see
``docs/data/feedback-topics.md``), groups each language's posts as the report does (one batch,
so keyphrase groups form), and prints per language:

- purity: each predicted group counts its most common true label; the sum over groups divided
  by the posts (groups "other: <keyphrase>" count as groups; plain "other" too);
- coverage: share of posts with a true lexicon topic that the lexicon gave a topic;
- accuracy: share of those posts given their own topic.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from mentiondesk.analytics.topics import OTHER, assign_topics

DATA = Path(__file__).resolve().parent.parent / "tests" / "unit" / "analytics" / "data"
LANGUAGES = ("pl", "it", "en")


@dataclass(frozen=True, slots=True)
class Scores:
    language: str
    posts: int
    purity: float
    coverage: float
    accuracy: float
    mistakes: list[tuple[str, str, str]]  # (true, predicted, text)


def load(language: str, *, heldout: bool = False) -> list[tuple[str, str]]:
    """The sample's (topic, text) rows of ``language``; ``heldout``: the later, smaller set
    written after the lexicon was last changed."""
    name = "feedback_topics_heldout.tsv" if heldout else f"feedback_topics_{language}.tsv"
    with (DATA / name).open(encoding="utf-8") as f:
        rows = csv.DictReader(f, delimiter="\t")
        return [
            (row["topic"], row["text"]) for row in rows if not heldout or row["lang"] == language
        ]


def score(language: str, *, heldout: bool = False) -> Scores:
    rows = load(language, heldout=heldout)
    predicted = [m.topic for m in assign_topics([t for _, t in rows], [language] * len(rows))]
    groups: dict[str, Counter[str]] = {}
    for (truth, _), guess in zip(rows, predicted, strict=True):
        groups.setdefault(guess, Counter())[truth] += 1
    purity = sum(c.most_common(1)[0][1] for c in groups.values()) / len(rows)
    topical = [(t, p) for (t, _), p in zip(rows, predicted, strict=True) if t != OTHER]
    covered = sum(1 for _, p in topical if not p.startswith(OTHER))
    right = sum(1 for t, p in topical if t == p)
    mistakes = [
        (t, p, text)
        for (t, text), p in zip(rows, predicted, strict=True)
        if t != p and not (t == OTHER and p.startswith(OTHER))
    ]
    return Scores(
        language, len(rows), purity, covered / len(topical), right / len(topical), mistakes
    )


def main() -> None:
    for heldout in (False, True):
        _print(heldout)
    airline()
    recommendation_requests()


def _print(heldout: bool) -> None:
    print("held-out sample" if heldout else "main sample")
    print("lang  posts  purity  coverage  accuracy")
    for language in LANGUAGES:
        s = score(language, heldout=heldout)
        print(f"{s.language:4}  {s.posts:5}  {s.purity:6.1%}  {s.coverage:8.1%}  {s.accuracy:8.1%}")
        for truth, guess, text in s.mistakes:
            print(f"      {truth:>16} -> {guess:<22} {text[:70]}")


AIRLINE = Path("/work/shared/data/sentiment/en-airline2015.jsonl")
AIRLINE_REASONS = {
    "Lost Luggage": "lost_baggage",
    "Damaged Luggage": "lost_baggage",
    "Late Flight": "delays",
    "Cancelled Flight": "cancellations",
    "Customer Service Issue": "support_wait",
    "Flight Attendant Complaints": "staff",
}


def airline(path: Path = AIRLINE) -> None:
    """Real complaints (Twitter US Airline Sentiment, 2015; evaluation only, CC BY-NC-SA):
    the negative tweets whose annotated reason maps to one of our topics."""
    import json

    if not path.exists():
        return
    rows = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            item = json.loads(line)
            topic = AIRLINE_REASONS.get(item.get("negativereason") or "")
            if item["label"] == "negative" and topic:
                rows.append((topic, item["text"]))
    predicted = [m.topic for m in assign_topics([t for _, t in rows], ["en"] * len(rows))]
    groups: dict[str, Counter[str]] = {}
    for (truth, _), guess in zip(rows, predicted, strict=True):
        groups.setdefault(guess, Counter())[truth] += 1
    lexicon = [(t, p) for (t, _), p in zip(rows, predicted, strict=True) if not p.startswith(OTHER)]
    purity_all = sum(c.most_common(1)[0][1] for c in groups.values()) / len(rows)
    lex_groups = {k: v for k, v in groups.items() if not k.startswith(OTHER)}
    purity_lex = sum(c.most_common(1)[0][1] for c in lex_groups.values()) / max(1, len(lexicon))
    right = sum(1 for t, p in lexicon if t == p)
    print(f"airline2015 (en, {len(rows)} negative tweets with a mapped reason)")
    print(
        f"  purity {purity_all:.1%} (all groups), {purity_lex:.1%} (lexicon topics); "
        f"coverage {len(lexicon) / len(rows):.1%}; "
        f"accuracy where covered {right / max(1, len(lexicon)):.1%}"
    )


def recommendation_requests() -> None:
    """Precision and recall of the recommendation-request detector on its labelled sample."""
    from mentiondesk.analytics.recommendation import asks_for_recommendation

    with (DATA / "recommendation_requests.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    print("recommendation requests")
    print("lang  posts  precision  recall")
    for language in LANGUAGES:
        mine = [r for r in rows if r["lang"] == language]
        said = [asks_for_recommendation(r["text"], language) for r in mine]
        truth = [r["asks"] == "1" for r in mine]
        tp = sum(s and t for s, t in zip(said, truth, strict=True))
        precision = tp / max(1, sum(said))
        recall = tp / max(1, sum(truth))
        print(f"{language:4}  {len(mine):5}  {precision:9.1%}  {recall:6.1%}")
        for r, s, t in zip(mine, said, truth, strict=True):
            if s != t:
                print(f"      {'missed' if t else 'false'}: {r['text'][:70]}")


if __name__ == "__main__":
    main()
