"""Latency of the composer's live guard end to end: ``check_draft`` on SQLite,
reading the case, the policy and the day's replies through the cached history.

    PYTHONPATH=src:. python benchmarks/bench_composer_guard.py [--sent 1000] [--runs 300]

``--sent`` replies went to other customers today; each timed call opens a unit of work, loads
the actor and checks one ~90-character draft, as ``POST /w/{slug}/cases/{id}/guard`` does.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from tests.conftest import START
from tests.factories import build_desk

from mentiondesk.bootstrap import bootstrap
from mentiondesk.config import Settings
from mentiondesk.desk.access import actor_for
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.replies import ReplyVisibility
from mentiondesk.replies.composer import check_draft

DRAFT = "Hi User, sorry about your parcel, we are checking it and will write back today with news."


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sent", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    services = bootstrap(Settings(data_dir=Path(tempfile.mkdtemp())), clock=FixedClock(START))
    desk = build_desk(services)
    customers = max(1, args.sent // 5)
    cases = [
        desk.ingest_case(author_handle=f"u{i}", author_name=f"User {i}") for i in range(customers)
    ]
    for i in range(args.sent):
        desk.reply(
            desk.agent,
            cases[i % customers],
            f"Hello, reply {i}: we are checking your parcel and will write back today with more.",
        )
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        with services.uow() as uow:
            actor = actor_for(uow, desk.agent, desk.workspace.slug)
            check_draft(
                uow,
                actor,
                cases[0],
                DRAFT,
                visibility=ReplyVisibility.PUBLIC,
                now=START,
                histories=services.reply_history,
            )
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p50, p99 = timings[len(timings) // 2], timings[int(len(timings) * 0.99) - 1]
    print(f"{args.sent} replies today, {args.runs} checks: p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    services.close()


if __name__ == "__main__":
    main()
