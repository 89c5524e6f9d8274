"""How often the inbox puts the post that should be answered first, first.

``benchmarks/data/which_first.jsonl`` holds 60 posts of the demo stream ranked by hand into tiers
(3 answer now, 2 answer soon, 1 no reply needed but on topic, 0 never: spam, abuse, noise, a
remark on the share price). Each carries its age and whether a moderator hid it. The posts go
through the real pipeline (shipped triage model, matcher, routing) into a fresh SQLite desk,
the hidden ones are hidden through the moderation service, and "Most urgent" is read back.

Score: the share of pairs from different tiers that the inbox orders correctly (a post without
a case is below every case; two such posts tie and count half).

    .venv/bin/python benchmarks/which_first.py
"""

from __future__ import annotations

import itertools
import json
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from mentiondesk.bootstrap import bootstrap
from mentiondesk.config import Settings
from mentiondesk.demo.setup import DEMO_USERS, create_demo_workspaces
from mentiondesk.desk.access import actor_for
from mentiondesk.desk.inbox import inbox_page
from mentiondesk.domain.inbox import InboxFilter
from mentiondesk.domain.ports import FixedClock
from mentiondesk.moderation.actions import do_hide_post

SAMPLE = Path(__file__).parent / "data" / "which_first.jsonl"
NOW = datetime(2026, 12, 2, 11, 0, tzinfo=UTC)  # a Wednesday morning, within office hours


def load_sample(path: Path = SAMPLE) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def inbox_ranks(sample: list[dict[str, Any]], data_dir: Path) -> dict[str, int]:
    """Position of each sample post's case in "Most urgent" (posts without a case absent)."""
    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'which.db'}")
    services = bootstrap(settings, clock=FixedClock(NOW))
    try:
        workspace = create_demo_workspaces(services)
        case_of: dict[str, int] = {}
        for item in sample:
            raw = {
                k: v
                for k, v in item.items()
                if k not in ("age_hours", "hidden", "tier", "stream_line")
            }
            raw["created_at"] = (NOW - timedelta(hours=item["age_hours"])).isoformat()
            result = services.pipeline.ingest(workspace, raw, source="which-first")
            if result.case_id is not None:
                case_of[item["platform_post_id"]] = result.case_id
            if item["hidden"] and result.post_id:
                with services.uow() as uow:
                    owner = uow.users.get_by_email(DEMO_USERS[-1].email)
                    assert owner is not None
                    actor = actor_for(uow, owner, workspace.slug)
                    do_hide_post(uow, actor, result.post_id, "abuse", now=NOW)
        with services.uow() as uow:
            owner = uow.users.get_by_email(DEMO_USERS[-1].email)
            assert owner is not None
            page = inbox_page(
                uow, actor_for(uow, owner, workspace.slug), InboxFilter(page_size=200)
            )
        position = {row.case_id: i for i, row in enumerate(page.rows)}
        return {post: position[case] for post, case in case_of.items() if case in position}
    finally:
        services.close()


def pairwise_accuracy(sample: list[dict[str, Any]], ranks: dict[str, int]) -> float:
    """Share of differently-tiered pairs in the right order (ties count half)."""
    right = total = 0.0
    missing = len(sample) + 1
    for a, b in itertools.combinations(sample, 2):
        if a["tier"] == b["tier"]:
            continue
        hi, lo = (a, b) if a["tier"] > b["tier"] else (b, a)
        rank_hi = ranks.get(hi["platform_post_id"], missing)
        rank_lo = ranks.get(lo["platform_post_id"], missing)
        total += 1
        right += 1.0 if rank_hi < rank_lo else 0.5 if rank_hi == rank_lo else 0.0
    return right / total if total else 0.0


def main() -> None:
    sample = load_sample()
    with tempfile.TemporaryDirectory() as tmp:
        ranks = inbox_ranks(sample, Path(tmp))
    by_rank = sorted((r, p) for p, r in ranks.items())
    tier = {item["platform_post_id"]: item["tier"] for item in sample}
    print(f"posts {len(sample)}, cases in the inbox {len(ranks)}")
    print("top 10 tiers:", [tier[p] for _, p in by_rank[:10]])
    print(f"pairwise ordering accuracy {pairwise_accuracy(sample, ranks):.3f}")


if __name__ == "__main__":
    main()
