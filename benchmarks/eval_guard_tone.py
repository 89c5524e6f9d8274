"""Precision and recall of the guard's tone checks per check and language on the labelled replies.

    PYTHONPATH=src python benchmarks/eval_guard_tone.py [--split test|train|all] [-v] [--json F]

Reads ``tests/unit/replies/data/tone/replies_{lang}.jsonl`` (see docs/data/guard-replies.md).
Each reply is checked as a public reply to its post, with triage's intent given. Scored per
reply: ``apology_missing``, ``no_next_step``, ``blame`` and ``boilerplate`` are the findings;
``redirect:<kind>`` and ``next_step`` are what the guard reports as detected; ``signature`` is
right only when the detected signature is the labelled one (a wrong text counts as a false
positive and a miss). Only the guard's public API is used, so the same script measures older
code (``PYTHONPATH=<old checkout>/src``); kinds an older guard does not know score recall 0.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from mentiondesk.replies.guard import GuardContext, check_reply

DATA = Path(__file__).parent.parent / "tests" / "unit" / "replies" / "data" / "tone"
LANGUAGES = ("pl", "it", "en")
KINDS = ("phone", "email", "chat", "form", "dm", "url", "other_team", "cant_help")
CHECKS = (
    "apology_missing",
    "no_next_step",
    "next_step",
    "blame",
    "boilerplate",
    *(f"redirect:{k}" for k in KINDS),
    "signature",
)
_SIG_TRIM = re.compile(r"^[\s^~/,.|–—-]+|[\s,.!]+$")


def load(split: str, data: Path = DATA) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for lang in LANGUAGES:
        text = (data / f"replies_{lang}.jsonl").read_text(encoding="utf-8")
        lines += [json.loads(x) for x in text.splitlines() if x.strip()]
    return [x for x in lines if split == "all" or x["split"] == split]


def _same_signature(got: str | None, expected: str | None) -> bool:
    if not got or not expected:
        return False
    return _SIG_TRIM.sub("", got).casefold() == _SIG_TRIM.sub("", expected).casefold()


def judge(line: dict[str, Any]) -> dict[str, tuple[bool, bool]]:
    """check -> (expected, got) for one labelled reply."""
    labels = line["labels"]
    ctx = GuardContext(
        post_text=line["post"], intent=line["intent"], language=line["language"], public=True
    )
    result = check_reply(line["reply"], ctx)
    checks, detected = result.checks, result.detected
    complaint = line["intent"] == "complaint"
    out = {
        "apology_missing": (labels["apology_missing"], "missing_apology" in checks),
        "no_next_step": (complaint and not labels["next_step"], "no_next_step" in checks),
        "next_step": (labels["next_step"], detected.next_step),
        "blame": (labels["blame"], "blame" in checks),
        "boilerplate": (labels["boilerplate"], "boilerplate" in checks),
    }
    for kind in KINDS:
        out[f"redirect:{kind}"] = (kind in labels["redirect"], kind in detected.redirect)
    sig, want = detected.signature, labels["signature"]
    right = _same_signature(sig, want)
    # (expected, got) with a wrong text counted as both a miss and a false alarm.
    out["signature"] = (bool(want), bool(sig))
    if sig and want and not right:
        out["signature"] = (True, False)
        out["signature_wrong"] = (False, True)
    return out


def evaluate(lines: list[dict[str, Any]], verbose: bool = False) -> dict[str, dict[str, Any]]:
    """{lang: {check: {"tp", "fp", "fn", "p", "r"}}} with "all" pooling the languages."""
    counts: dict[str, Counter[str]] = {}
    for line in lines:
        lang = line["language"]
        for check, (want, got) in judge(line).items():
            name = "signature" if check == "signature_wrong" else check
            for key in (lang, "all"):
                c = counts.setdefault(key, Counter())
                c[f"{name}:tp"] += want and got
                c[f"{name}:fp"] += got and not want
                c[f"{name}:fn"] += want and not got
            if verbose and want != got:
                tag = "FP" if got else "FN"
                print(f"{tag} {check:20} {line['id']}: {line['reply'][:150]!r}")
    scores: dict[str, dict[str, Any]] = {}
    for key, c in counts.items():
        scores[key] = {}
        for check in CHECKS:
            tp, fp, fn = c[f"{check}:tp"], c[f"{check}:fp"], c[f"{check}:fn"]
            scores[key][check] = {
                "tp": tp,
                "fp": fp,
                "fn": fn,
                "p": tp / (tp + fp) if tp + fp else None,
                "r": tp / (tp + fn) if tp + fn else None,
            }
    return scores


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.2f}"


def table(scores: dict[str, dict[str, Any]]) -> str:
    keys = [k for k in (*LANGUAGES, "all") if k in scores]
    head = f"{'check':20}" + "".join(f" | {k:>3} n    P    R " for k in keys)
    rows = [head, "-" * len(head)]
    for check in CHECKS:
        cells = []
        for k in keys:
            s = scores[k][check]
            cells.append(f" | {s['tp'] + s['fn']:7} {_fmt(s['p'])} {_fmt(s['r'])}")
        rows.append(f"{check:20}" + "".join(cells))
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "fresh", "train", "all"), default="test")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every disagreement")
    parser.add_argument("--json", type=Path, help="also write the scores here")
    args = parser.parse_args()
    lines = load(args.split, args.data)
    scores = evaluate(lines, args.verbose)
    print(f"{len(lines)} replies ({args.split} split); n = positives, P precision, R recall\n")
    print(table(scores))
    if args.json:
        args.json.write_text(json.dumps(scores, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
