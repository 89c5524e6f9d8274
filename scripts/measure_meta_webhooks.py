"""Webhook-to-inbox time for Meta comments, measured on a running mentiondesk.

Starts the fake Graph server and mentiondesk (uvicorn, SQLite in a temporary folder, a
connected Facebook Page), then sends N signed comment webhooks at a steady rate, as Meta
would, while a poller reads the inbox API (newest first) every few milliseconds. For each
comment it records when Meta's POST was answered (acknowledged) and when its case first showed
in the inbox. Prints p50/p90/p99/max of both.

    .venv/bin/python scripts/measure_meta_webhooks.py --count 200 --rate 10
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.meta_live import OWNER, PAGE, PAGE_TOKEN, live_desk

from mentiondesk.connectors.meta import fake_webhooks as wh


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--rate", type=float, default=10.0, help="webhooks per second")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, live_desk(Path(folder)) as live:
        owner, csrf = live.client(OWNER)
        connected = owner.post(
            "/api/v1/workspaces/skylot/channels",
            json={"platform": "facebook", "external_id": PAGE, "token": PAGE_TOKEN},
            headers={"X-CSRF-Token": csrf},
        )
        connected.raise_for_status()
        graph = live.fake.graph
        post = graph.add_post(PAGE, "Our winter timetable")
        sent: dict[str, float] = {}
        acked: dict[str, float] = {}
        seen: dict[str, float] = {}
        done = threading.Event()

        def poll() -> None:
            with httpx.Client(base_url=live.base_url, cookies=owner.cookies) as reader:
                while not done.is_set() or len(seen) < len(sent):
                    page = reader.get(
                        "/api/v1/workspaces/skylot/cases",
                        params={"sort": "newest", "page_size": 50},
                    ).json()
                    now = time.perf_counter()
                    for case in page["items"]:
                        marker = case["summary"].rsplit(" ", 1)[-1]
                        seen.setdefault(marker, now)
                    if done.is_set() and time.perf_counter() - stop_at > 30:
                        return
                    time.sleep(0.005)

        stop_at = float("inf")
        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        interval = 1.0 / args.rate
        start = time.perf_counter()
        with httpx.Client(timeout=10) as sender:
            for n in range(args.count):
                target = start + n * interval
                time.sleep(max(0.0, target - time.perf_counter()))
                marker = f"m{n:05d}"
                comment = graph.add_comment(
                    post.id, f"Skylot question {marker}", author_id=f"7{n:06d}", author_name="P"
                )
                at = datetime.now(UTC)
                change = wh.comment(
                    comment_id=comment.id,
                    post_id=post.id,
                    message=comment.message,
                    author_id=comment.author_id,
                    author_name="P",
                    at=at,
                )
                raw = wh.encode(wh.batch("page", wh.entry(PAGE, at, changes=[change])))
                headers = {
                    "Content-Type": "application/json",
                    "X-Hub-Signature-256": wh.sign(raw, graph.app_secret),
                }
                sent[marker] = time.perf_counter()
                answer = sender.post(live.webhook_url, content=raw, headers=headers)
                acked[marker] = time.perf_counter()
                assert answer.status_code == 200, answer.text
        elapsed = time.perf_counter() - start
        stop_at = time.perf_counter()
        done.set()
        poller.join(timeout=60)
        ack = [(acked[m] - sent[m]) * 1000 for m in sent]
        inbox = [(seen[m] - sent[m]) * 1000 for m in sent if m in seen]
        print(f"{args.count} signed comment webhooks at {args.rate}/s over {elapsed:.1f} s")
        print(f"cases in the inbox: {len(inbox)} of {args.count}")
        for name, values in (("acknowledged", ack), ("in the inbox", inbox)):
            print(
                f"{name:>13}: p50 {statistics.median(values):.0f} ms, "
                f"p90 {percentile(values, 90):.0f} ms, p99 {percentile(values, 99):.0f} ms, "
                f"max {max(values):.0f} ms"
            )


if __name__ == "__main__":
    main()
