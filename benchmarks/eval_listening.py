"""Precision and recall of brand matching on the listening evaluation set.

Every post is matched against every evaluation profile, as if each brand were a workspace
listening to the same stream: a match for a profile other than the row's is a false
positive. Recall is per category of row; precision is per kind of mention reported.

    PYTHONPATH=src:. python benchmarks/eval_listening.py [--show 10]
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.listening_brands import PROFILES
from mentiondesk.domain.posts import AuthorRef, InboundPost, MentionKind, Platform
from mentiondesk.listening.matching import ProfileMatcher

EVAL = Path(__file__).resolve().parent / "data" / "listening_eval.jsonl.gz"
POSITIVE = ("direct", "indirect", "inflected", "fuzzy")
_STRENGTH = [MentionKind.DIRECT, MentionKind.INDIRECT, MentionKind.FUZZY]


def load() -> list[dict[str, Any]]:
    with gzip.open(EVAL, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def as_post(text: str) -> InboundPost:
    from datetime import UTC, datetime

    author = AuthorRef(Platform.X, "someone")
    return InboundPost(Platform.X, "eval", text, datetime(2026, 3, 10, tzinfo=UTC), author)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=0, help="print this many errors of each")
    args = parser.parse_args()
    rows = load()
    matchers = {key: ProfileMatcher(profile) for key, profile in PROFILES.items()}
    recall_hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    false_alarm_rows: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    misses: list[str] = []
    alarms: list[str] = []
    for item in rows:
        category, target = item["category"], item["profile"]
        totals[category] += 1
        if target and PROFILES[target].common_words:
            totals[category + "/common"] += 1
        post = as_post(item["text"])
        alarmed = False
        for key, matcher in matchers.items():
            mentions = matcher.match(post)
            if not mentions:
                continue
            kind = min((m.kind for m in mentions), key=_STRENGTH.index).value
            predicted[kind] += 1
            if key == target:
                correct[kind] += 1
                recall_hits[category] += 1
                if PROFILES[target].common_words:
                    recall_hits[category + "/common"] += 1
            else:
                alarmed = True
                alarms.append(f"{key:10} {category:13} {mentions[0].reason!r} :: {item['text']!r}")
        if target and not any(m for m in matchers[target].match(post)):
            misses.append(f"{target:10} {category:9} {item['transform']!r} :: {item['text']!r}")
        if alarmed:
            false_alarm_rows[category] += 1
    print(f"rows: {len(rows)}; profiles: {len(matchers)}; pairs: {len(rows) * len(matchers)}")
    print("\nrecall by category (target profile matched)")
    for category in POSITIVE:
        n = totals[category]
        print(f"  {category:10} {recall_hits[category] / n:.3f}  ({recall_hits[category]}/{n})")
    misspelt_inflected = sum(recall_hits[c] for c in ("fuzzy", "inflected"))
    mi_total = sum(totals[c] for c in ("fuzzy", "inflected"))
    ratio = misspelt_inflected / mi_total
    print(f"  {'fuzzy+infl':10} {ratio:.3f}  ({misspelt_inflected}/{mi_total})")
    print("  of which brands whose name is a common word (need context or a tag):")
    for category in POSITIVE:
        n, hit = totals[category + "/common"], recall_hits[category + "/common"]
        if n:
            print(f"    {category:10} {hit / n:.3f}  ({hit}/{n})")
    print("  brands whose name is not a common word:")
    for category in POSITIVE:
        n = totals[category] - totals[category + "/common"]
        hit = recall_hits[category] - recall_hits[category + "/common"]
        print(f"    {category:10} {hit / n:.3f}  ({hit}/{n})")
    print("\nprecision by kind reported (strongest mention of a profile in a post)")
    for kind in ("direct", "indirect", "fuzzy"):
        n = predicted[kind]
        value = correct[kind] / n if n else float("nan")
        print(f"  {kind:10} {value:.3f}  ({correct[kind]}/{n})")
    all_correct, all_predicted = sum(correct.values()), sum(predicted.values())
    print(f"  {'overall':10} {all_correct / all_predicted:.3f}  ({all_correct}/{all_predicted})")
    print("\nrows with a false alarm, by category")
    for category in ("negative", "hard_negative", *POSITIVE):
        n = totals[category]
        print(f"  {category:13} {false_alarm_rows[category]:4} of {n}")
    if args.show:
        print("\nmissed:", *misses[: args.show], sep="\n  ")
        print("\nfalse alarms:", *alarms[: args.show], sep="\n  ")


if __name__ == "__main__":
    main()
