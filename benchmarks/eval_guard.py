"""Precision and recall of each reply-guard check on the hand-labelled evaluation set.

    PYTHONPATH=src python benchmarks/eval_guard.py [--data benchmarks/data/guard_eval.jsonl] [-v]

Each line of the set is a batch-contract input plus ``expected``, the check names a careful
reviewer would raise, and ``split``: ``tune`` lines were used while writing the phrase lists,
``holdout`` lines were written afterwards and never tuned on. A check is scored per reply
(raised or not), not per span. ``--split`` picks one part; the default reports each, then all.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from mentiondesk.replies.guard import CHECKS
from mentiondesk.replies.guard.batch import check_line

DEFAULT_DATA = Path(__file__).parent / "data" / "guard_eval.jsonl"


def _ratio(num: int, den: int) -> str:
    return f"{num / den:.2f}" if den else "  - "


def evaluate(lines: list[dict], verbose: bool = False) -> dict[str, tuple[int, int, int]]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    exact = 0
    for labelled in lines:
        line = {k: v for k, v in labelled.items() if k not in ("expected", "split")}
        expected = set(labelled["expected"])
        out = check_line(line)
        got = {f["check"] for f in out["findings"]}
        languages[line["post"].get("language", "?")] += 1
        exact += got == expected
        for check in got & expected:
            tp[check] += 1
        for check in got - expected:
            fp[check] += 1
        for check in expected - got:
            fn[check] += 1
        if verbose and got != expected:
            extra, missed = sorted(got - expected), sorted(expected - got)
            print(f"{line['id']}: +{extra} -{missed}  {line['reply'][:90]!r}")
    print(f"{len(lines)} replies ({', '.join(f'{k}: {v}' for k, v in sorted(languages.items()))});")
    print(f"all checks exactly right on {exact} ({exact / len(lines):.0%})\n")
    print(
        f"{'check':24} {'support':>7} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7}"
    )
    scores: dict[str, tuple[int, int, int]] = {}
    for check in CHECKS:
        t, f, n = tp[check], fp[check], fn[check]
        scores[check] = (t, f, n)
        print(f"{check:24} {t + n:7} {t:4} {f:4} {n:4} {_ratio(t, t + f):>9} {_ratio(t, t + n):>7}")
    t, f, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(
        f"{'all (micro)':24} {t + n:7} {t:4} {f:4} {n:4} "
        f"{_ratio(t, t + f):>9} {_ratio(t, t + n):>7}"
    )
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every disagreement")
    parser.add_argument("--split", choices=("tune", "holdout"), help="score one part only")
    args = parser.parse_args()
    text = args.data.read_text(encoding="utf-8")
    lines = [json.loads(x) for x in text.splitlines() if x.strip()]
    splits = [args.split] if args.split else ["tune", "holdout", None]
    for split in splits:
        print(f"== {split or 'all'} ==")
        evaluate([x for x in lines if split is None or x.get("split") == split], args.verbose)
        print()


if __name__ == "__main__":
    main()
