"""Real agent phrasings must go out; brush-offs, closed hotlines and wrong names must not.

The sets live in ``data/`` (``benchmarks/eval_guard_regression.py`` reports the same figures);
every clean line is checked as a public reply for the workspace in ``workspace.json``.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from mentiondesk.replies.guard import GuardContext, GuardSettings, HotlineSchedule, check_reply

DATA = Path(__file__).parent / "data"
WORKSPACE = json.loads((DATA / "workspace.json").read_text(encoding="utf-8"))


def _lines(name: str) -> list[dict[str, Any]]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


CLEAN = _lines("clean_replies.jsonl")
BAD = _lines("bad_replies.jsonl")


def _context(line: dict[str, Any]) -> GuardContext:
    return GuardContext(
        author_name=line["author_name"],
        author_handle=line["author_handle"],
        platform=line["platform"],
        language=line["language"],
        public=True,
        settings=GuardSettings(
            hotline=HotlineSchedule.from_dict(WORKSPACE["hotline"]),
            brand_handles=tuple(WORKSPACE["brand_handles"]),
            brand_contacts=tuple(WORKSPACE["brand_contacts"]),
        ),
        now=datetime.fromisoformat(line.get("now", WORKSPACE["now"])),
    )


def test_the_regression_set_has_sixty_phrasings_per_language_and_every_handle_format() -> None:
    per_language = Counter(line["language"] for line in CLEAN)
    assert min(per_language[lang] for lang in ("en", "pl", "it")) >= 60
    assert {line["platform"] for line in CLEAN} >= {"x", "mastodon", "bluesky", "reddit"}


@pytest.mark.parametrize("line", CLEAN, ids=[line["id"] for line in CLEAN])
def test_a_real_agent_phrasing_is_not_blocked(line: dict[str, Any]) -> None:
    result = check_reply(line["reply"], _context(line))
    blocking = [
        (f.check, line["reply"][f.start : f.end])
        for f in result.findings
        if f.severity.value == "block"
    ]
    assert blocking == []


@pytest.mark.parametrize("line", BAD, ids=[line["id"] for line in BAD])
def test_a_bad_reply_is_still_flagged(line: dict[str, Any]) -> None:
    assert line["expect"] in check_reply(line["reply"], _context(line)).checks
