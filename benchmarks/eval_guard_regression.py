"""False blocks on real agent phrasings, and bad replies still caught.

    PYTHONPATH=src python benchmarks/eval_guard_regression.py [-v]

``tests/unit/replies/data/clean_replies.jsonl`` holds replies agents write every day (Polish,
Italian, English: apologies, greetings, redirects done right with hours, the author's handle in
every platform's format, the brand's own hotline, e-mail and website, signatures), all public,
for the workspace in ``workspace.json``; none should be blocked. ``bad_replies.jsonl`` holds
brush-offs, redirects while the hotline is closed and wrong names, each with the check that
must flag it. Only the guard's public API is used, so the same script measures older code.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from mentiondesk.replies.guard import GuardContext, GuardSettings, HotlineSchedule, check_reply

DATA = Path(__file__).parent.parent / "tests" / "unit" / "replies" / "data"


def load(name: str) -> list[dict[str, Any]]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def context(line: dict[str, Any], workspace: dict[str, Any], contacts: bool = True) -> GuardContext:
    settings = GuardSettings(
        hotline=HotlineSchedule.from_dict(workspace["hotline"]),
        brand_handles=tuple(workspace["brand_handles"]),
        brand_contacts=tuple(workspace["brand_contacts"]) if contacts else (),
    )
    return GuardContext(
        author_name=line["author_name"],
        author_handle=line["author_handle"],
        platform=line.get("platform", ""),
        language=line.get("language"),
        public=True,
        settings=settings,
        now=datetime.fromisoformat(line.get("now", workspace["now"])),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list each miss")
    parser.add_argument(
        "--no-contacts", action="store_true", help="as a workspace that has not set its contacts"
    )
    args = parser.parse_args()
    with_contacts = not args.no_contacts
    workspace = json.loads((DATA / "workspace.json").read_text(encoding="utf-8"))
    blocked: Counter[str] = Counter()
    total: Counter[str] = Counter()
    by_check: Counter[str] = Counter()
    for line in load("clean_replies.jsonl"):
        result = check_reply(line["reply"], context(line, workspace, with_contacts))
        total[line["language"]] += 1
        if result.blocked:
            blocked[line["language"]] += 1
            checks = sorted(f.check for f in result.findings if f.severity.value == "block")
            by_check.update(checks)
            if args.verbose:
                print(f"blocked {line['id']} {checks}: {line['reply'][:90]!r}")
    n, b = sum(total.values()), sum(blocked.values())
    print(f"clean replies: {n}; blocked: {b} ({b / n:.1%})")
    for lang in sorted(total):
        print(f"  {lang}: {blocked[lang]}/{total[lang]} blocked")
    for check, count in by_check.most_common():
        print(f"  by {check}: {count}")
    bad = load("bad_replies.jsonl")
    caught = 0
    for line in bad:
        checks = check_reply(line["reply"], context(line, workspace, with_contacts)).checks
        caught += line["expect"] in checks
        if args.verbose and line["expect"] not in checks:
            print(f"missed {line['id']} ({line['expect']}): {line['reply'][:90]!r}")
    print(f"bad replies: {len(bad)}; flagged with the expected check: {caught}")


if __name__ == "__main__":
    main()
