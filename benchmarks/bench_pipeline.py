"""Whole-pipeline ingestion throughput (normalise, match, triage, route, follow-ups) against
triage alone, on SQLite and PostgreSQL, on one core.

Usage: ``PYTHONPATH=src python benchmarks/bench_pipeline.py [--posts 14640] [--db sqlite]
[--db postgresql] [--chunk 512] [--profile]``. The posts are the bundled demo stream, repeated
with fresh platform post ids to the size of the 14,640-tweet airline corpus, ingested into the
demo's Skylot workspace as ``mentiondesk import`` does. Triage alone is timed on the same
posts, in the same chunks, in the same process. Times are CPU seconds of this process
(``time.process_time``), because the machine is shared; on PostgreSQL the server's own CPU is
not in them, so the wall-clock rate is printed beside.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from mentiondesk.bootstrap import bootstrap
from mentiondesk.config import Settings
from mentiondesk.demo.setup import create_demo_workspaces, shifted, stream_lines
from mentiondesk.domain.ports import FixedClock
from mentiondesk.pipeline.stages import MatchBrand, PipelineItem, TriagePost, normalise

PG_ADMIN = os.environ.get(
    "MENTIONDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
NOW = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


def posts(n: int) -> list[dict[str, Any]]:
    """``n`` posts: the demo stream over and over, each round with new ids."""
    base = shifted(list(stream_lines()), NOW - timedelta(minutes=3))
    out = []
    for i in range(n):
        post = dict(base[i % len(base)])
        round_ = i // len(base)
        if round_:
            post["platform_post_id"] = f"{post['platform_post_id']}-r{round_}"
        out.append(post)
    return out


def database(kind: str, tmp: Path) -> tuple[str, Any]:
    if kind == "sqlite":
        return f"sqlite:///{tmp / 'bench.db'}", lambda: None
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    name = f"mentiondesk_bench_{os.getpid()}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", drop


def triage_alone(services: Any, workspace: Any, raws: list[dict[str, Any]], chunk: int) -> float:
    """CPU seconds of triage alone (the stage's batch call), on posts normalised and matched
    beforehand, outside the timing."""
    with services.uow() as uow:
        pattern = uow.workspaces.order_pattern(workspace.id)
    stage = TriagePost(services.triager, services.clock, lambda _ws: pattern)
    match = MatchBrand(services.matcher)
    items = [match(normalise(PipelineItem(workspace, raw, "bench"))) for raw in raws]
    started = time.process_time()
    for i in range(0, len(items), chunk):
        stage.many(items[i : i + chunk])
    return time.process_time() - started


def run(kind: str, raws: list[dict[str, Any]], chunk: int, profile: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = database(kind, Path(tmp))
        try:
            services = bootstrap(Settings(data_dir=tmp, database_url=url), clock=FixedClock(NOW))
            workspace = create_demo_workspaces(services)
            warm = [dict(p, platform_post_id=f"warm-{i}") for i, p in enumerate(raws[:chunk])]
            list(services.pipeline.ingest_many(workspace, warm, source="warm-up", chunk=chunk))
            triage = triage_alone(services, workspace, raws, chunk)

            profiler = cProfile.Profile() if profile else None
            wall, started = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            results = list(
                services.pipeline.ingest_many(workspace, raws, source="bench", chunk=chunk)
            )
            if profiler:
                profiler.disable()
            cpu, wall = time.process_time() - started, time.perf_counter() - wall
            created = sum(r.status == "created" for r in results)
            again = time.process_time()
            repeats = list(services.pipeline.ingest_many(workspace, raws[:2000], source="bench"))
            again = time.process_time() - again
            services.close()
        finally:
            drop()
    n = len(raws)
    print(
        f"{kind}: {n} posts ({created} created) in {cpu:.2f} s CPU = {n / cpu:,.0f} posts/s "
        f"(wall {wall:.2f} s = {n / wall:,.0f} posts/s); triage alone {triage:.2f} s = "
        f"{n / triage:,.0f} posts/s; pipeline / triage = {cpu / triage:.2f}"
    )
    dupes = sum(r.status == "duplicate" for r in repeats)
    print(f"{kind}: 2000 posts seen again: {dupes} duplicates, {2000 / again:,.0f} posts/s CPU")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=14_640)
    parser.add_argument("--db", action="append", choices=("sqlite", "postgresql"))
    parser.add_argument("--chunk", type=int, default=512)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    raws = posts(args.posts)
    for kind in args.db or ["sqlite", "postgresql"]:
        run(kind, raws, args.chunk, args.profile)


if __name__ == "__main__":
    main()
