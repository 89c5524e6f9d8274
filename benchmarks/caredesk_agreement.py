"""Consistency check of the customer-care corpus: a blind second labelling of a 10 % sample.

``--show`` prints the sample's texts only (no labels, no ids), in the order the second pass is
written; the second pass lives in ``docs/data/caredesk-second-pass.jsonl``. Without ``--show``
it reports Cohen's kappa and raw agreement between the corpus labels and the second pass.

    python benchmarks/caredesk_agreement.py --show
    python benchmarks/caredesk_agreement.py
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

from mentiondesk.triage.corpora import CAREDESK, CarePost, load_caredesk

SECOND_PASS = Path(__file__).resolve().parents[1] / "docs" / "data" / "caredesk-second-pass.jsonl"
SAMPLE_SHARE = 0.10
SEED = 0


def sample() -> list[CarePost]:
    """The fixed 10 % sample over all three languages (seed 0)."""
    posts = [post for lang in CAREDESK.langs for _, post in load_caredesk(lang)]
    return random.Random(SEED).sample(posts, round(len(posts) * SAMPLE_SHARE))


def cohen_kappa(first: list[str], second: list[str]) -> float:
    """Agreement beyond what the two label distributions would reach by chance."""
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    a_counts, b_counts = Counter(first), Counter(second)
    expected = sum(a_counts[k] * b_counts[k] for k in a_counts) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def report() -> dict[str, dict[str, float]]:
    posts = {post.id: post for post in sample()}
    with SECOND_PASS.open(encoding="utf-8") as fh:
        second = [json.loads(line) for line in fh]
    if {row["id"] for row in second} != set(posts):
        raise SystemExit("the second pass does not cover exactly the fixed sample")
    out: dict[str, dict[str, float]] = {}
    for scope in ("all", *CAREDESK.langs):
        rows = [r for r in second if scope == "all" or posts[r["id"]].lang == scope]
        for task in ("intent", "sentiment"):
            first = [getattr(posts[r["id"]], task) for r in rows]
            again = [r[task] for r in rows]
            agree = sum(a == b for a, b in zip(first, again, strict=True)) / len(rows)
            out[f"{scope}/{task}"] = {"n": len(rows), "kappa": cohen_kappa(first, again),
                                      "agreement": agree}  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print the sample's texts only")
    args = parser.parse_args()
    if args.show:
        for i, post in enumerate(sample()):
            print(i, post.text)
        return
    print("| scope | task | n | Cohen's kappa | raw agreement |")
    print("|---|---|---|---|---|")
    for key, row in report().items():
        scope, task = key.split("/")
        print(
            f"| {scope} | {task} | {row['n']:.0f} | {row['kappa']:.3f} | {row['agreement']:.3f} |"
        )


if __name__ == "__main__":
    main()
