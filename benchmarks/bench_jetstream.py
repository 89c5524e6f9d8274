"""Bluesky firehose: Jetstream read-and-match throughput on one core.

Replays a recorded-shape stream — Jetstream ``commit`` events for ``app.bsky.feed.post``
creates (with langs, facets, replies and embeds as the network sends them), post deletions,
identity and account events — through ``connectors.bluesky.jetstream.read_and_match`` in
batches of 500, with the real listening matcher (``ProfileMatcher`` of one brand profile,
fuzzy matching on) behind the ``TextMatcher`` protocol. Post texts are real posts from
/work/shared/data (English, Polish and Italian), about 1% of them rewritten to name the brand
(tagged, untagged, misspelt). The baseline is decoding the same lines with ``json.loads``
and nothing else, measured in the same run. Times are process CPU time, pinned to one core,
after a warm-up pass over other lines of the same stream (a listener that has been running).

    PYTHONPATH=src:. python benchmarks/bench_jetstream.py [--events 300000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.listening_brands import PROFILES
from mentiondesk.connectors.bluesky.jetstream import JetstreamCursor, TextMatcher, read_and_match
from mentiondesk.domain.posts import AuthorRef, InboundPost, Platform
from mentiondesk.listening.matching import ProfileMatcher

DATA = Path("/work/shared/data/sentiment")
SOURCES = (
    "en-tweeteval_sentiment.jsonl",
    "en-mozetic2016.jsonl",
    "pl-mozetic2016.jsonl",
    "it-sentipolc2016.jsonl",
    "en-umsab.jsonl",
)
BRAND_FORMS = ("@JetBlue", "JetBlue", "jetblue", "Jet Blue", "JetBlu", "JettBlue")
T0 = 1_773_000_000_000_000
BATCH = 500
_B32 = "234567abcdefghijklmnopqrstuvwxyz"


def texts() -> list[str]:
    found: list[str] = []
    for name in SOURCES:
        path = DATA / name
        if path.exists():
            with path.open(encoding="utf-8") as lines:
                found.extend(json.loads(line)["text"] for line in lines)
    if not found:
        raise SystemExit(f"no posts found under {DATA}")
    return found


def rkey(rng: random.Random) -> str:
    return "3l" + "".join(rng.choice(_B32) for _ in range(11))


def did(rng: random.Random) -> str:
    return "did:plc:" + "".join(rng.choice(_B32) for _ in range(24))


def stream(count: int, seed: int) -> tuple[list[bytes], int]:
    """``count`` Jetstream lines and how many are post creates."""
    rng = random.Random(seed)
    pool = texts()
    lines: list[bytes] = []
    posts = 0
    for i in range(count):
        time_us = T0 + i * 37
        author = did(rng)
        roll = rng.random()
        if roll < 0.90:
            text = rng.choice(pool)
            if rng.random() < 0.01:
                text = f"{text} {rng.choice(BRAND_FORMS)} lost my bag again"
            record: dict[str, object] = {
                "$type": "app.bsky.feed.post",
                "text": text,
                "langs": [rng.choice(["en", "pl", "it"])],
                "createdAt": datetime.fromtimestamp(time_us / 1e6, UTC).isoformat(),
            }
            if rng.random() < 0.35:
                parent = {
                    "uri": f"at://{did(rng)}/app.bsky.feed.post/{rkey(rng)}",
                    "cid": "bafyrei" + "".join(rng.choice(_B32) for _ in range(52)),
                }
                record["reply"] = {"root": parent, "parent": parent}
            if rng.random() < 0.15:
                record["facets"] = [
                    {
                        "index": {"byteStart": 0, "byteEnd": 8},
                        "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did(rng)}],
                    }
                ]
            if rng.random() < 0.2:
                record["embed"] = {
                    "$type": "app.bsky.embed.images",
                    "images": [
                        {
                            "alt": "",
                            "image": {
                                "$type": "blob",
                                "ref": {"$link": "bafkrei" + rkey(rng)},
                                "mimeType": "image/jpeg",
                                "size": 183422,
                            },
                        }
                    ],
                }
            event = {
                "did": author,
                "time_us": time_us,
                "kind": "commit",
                "commit": {
                    "rev": rkey(rng),
                    "operation": "create",
                    "collection": "app.bsky.feed.post",
                    "rkey": rkey(rng),
                    "record": record,
                    "cid": "bafyrei" + "".join(rng.choice(_B32) for _ in range(52)),
                },
            }
            posts += 1
        elif roll < 0.97:
            event = {
                "did": author,
                "time_us": time_us,
                "kind": "commit",
                "commit": {
                    "rev": rkey(rng),
                    "operation": "delete",
                    "collection": "app.bsky.feed.post",
                    "rkey": rkey(rng),
                },
            }
        elif roll < 0.99:
            event = {
                "did": author,
                "time_us": time_us,
                "kind": "identity",
                "identity": {
                    "did": author,
                    "handle": "someone.bsky.social",
                    "seq": i,
                    "time": "2026-03-10",
                },
            }
        else:
            event = {
                "did": author,
                "time_us": time_us,
                "kind": "account",
                "account": {"active": True, "did": author, "seq": i, "time": "2026-03-10"},
            }
        lines.append(json.dumps(event, ensure_ascii=False).encode())
    return lines, posts


def listening_matcher() -> Callable[[list[str]], Sequence[object]]:
    matcher = ProfileMatcher(PROFILES["jetblue"])
    at = datetime(2026, 3, 10, tzinfo=UTC)
    author = AuthorRef(Platform.BLUESKY, "x")

    def match(batch: list[str]) -> list[bool]:
        posts = [InboundPost(Platform.BLUESKY, "p", t, at, author) for t in batch]
        return [bool(found) for found in matcher.match_many(posts)]

    return match


def worker_matcher() -> TextMatcher:
    """What ``mentiondesk listen`` runs: the pipeline's ``ListeningMatcher`` for a workspace
    whose profile is the benchmark's, through ``pipeline.listen.text_matcher``."""
    from mentiondesk.domain.ports import SystemClock
    from mentiondesk.domain.workspaces import BrandIdentity, Workspace
    from mentiondesk.listening.matching import ListeningMatcher
    from mentiondesk.pipeline.listen import text_matcher

    workspace = Workspace(1, "jetblue", "JetBlue", BrandIdentity(names=("JetBlue",)))
    matcher = ListeningMatcher(profiles=lambda _: PROFILES["jetblue"])
    return text_matcher(matcher, workspace, SystemClock())


def cpu(work: Callable[[], None]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=20260310)
    parser.add_argument(
        "--worker",
        action="store_true",
        help="match through the channel worker's adapter (ListeningMatcher, per workspace)",
    )
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    warm, _ = stream(50_000, args.seed + 1)
    lines, posts = stream(args.events, args.seed)
    match = worker_matcher() if args.worker else listening_matcher()
    read_and_match(warm, match, JetstreamCursor())  # warm the matcher's word caches
    matched = 0

    def read_all() -> None:
        nonlocal matched
        cursor = JetstreamCursor()
        for start in range(0, len(lines), BATCH):
            matched += len(read_and_match(lines[start : start + BATCH], match, cursor).events)

    def decode_all() -> None:
        for line in lines:
            json.loads(line)

    baseline = cpu(decode_all)
    measured = cpu(read_all)
    print(f"events: {len(lines):,} ({posts:,} post creates), matched: {matched:,}")
    print(
        f"json.loads only: {len(lines) / baseline:,.0f} events/s ({posts / baseline:,.0f} posts/s)"
    )
    print(
        f"read-and-match: {posts / measured:,.0f} posts/s ({len(lines) / measured:,.0f} events/s)"
    )
    print(
        f"per post: {measured / posts * 1e6:.1f} µs; read-and-match / json.loads rate: "
        f"{baseline / measured:.2f}"
    )


if __name__ == "__main__":
    main()
