"""Fake event to inbox: how long a Jetstream post takes to become a case with the listen loop
running.

Starts the fake Bluesky PDS and the fake Jetstream, connects a Bluesky channel to a workspace
on SQLite, runs the channel worker (the loop of ``mentiondesk listen`` and ``serve``) in a
thread, then appends posts naming the brand to the live Jetstream one at a time and measures,
for each, the wall time from the append to the case being readable in the database (polled
every 5 ms). The first post (triage model load, matcher compilation) is reported apart.

    PYTHONPATH=src:. python benchmarks/bench_listen_latency.py [--posts 50]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from mentiondesk.bootstrap import bootstrap
from mentiondesk.config import Settings
from mentiondesk.connectors.bluesky.fake_server import FakeBluesky, FakeJetstream, jetstream_post
from mentiondesk.desk.access import operator_actor
from mentiondesk.desk.open_channels import OpenChannel, do_connect_open_channel
from mentiondesk.desk.workspaces import do_create_workspace
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.workspaces import BrandIdentity
from mentiondesk.pipeline.listen import WorkerTiming
from mentiondesk.storage import tables as t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=50)
    args = parser.parse_args()
    services = bootstrap(Settings(data_dir=Path(tempfile.mkdtemp())))
    now = datetime.now(UTC)
    with services.uow() as uow:
        do_create_workspace(
            uow, slug="skylot", name="Skylot", now=now, brand=BrandIdentity(names=("Skylot",))
        )

    def cases() -> int:
        with services.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.cases)).scalar_one())

    with FakeBluesky() as fake, FakeJetstream() as jetstream:
        config = {"handle": fake.handle, "service_url": fake.base_url}
        config["jetstream_url"] = jetstream.base_url
        spec = OpenChannel(Platform.BLUESKY, config, {"app_password": fake.app_password})
        with services.uow() as uow:
            do_connect_open_channel(uow, operator_actor(uow, "skylot"), spec, now=now)
        worker = services.channel_worker(WorkerTiming(poll_seconds=30.0))
        loop, stop = asyncio.new_event_loop(), asyncio.Event()
        thread = threading.Thread(target=lambda: loop.run_until_complete(worker.run(stop)))
        thread.start()
        while not jetstream.connections:
            time.sleep(0.01)
        waits = []
        for n in range(args.posts + 1):
            sent = time.monotonic()
            at = time.time_ns() // 1000
            text = f"skylot lost my bag on flight {n}"
            jetstream.events.append(jetstream_post(f"did:plc:author{n}", f"3kb{n:010d}", text, at))
            while cases() < n + 1:
                time.sleep(0.005)
            waits.append(time.monotonic() - sent)
        loop.call_soon_threadsafe(stop.set)
        thread.join()
    services.close()
    first, rest = waits[0], sorted(waits[1:])
    p95 = rest[int(len(rest) * 0.95) - 1]
    print(f"first post (warm-up): {first * 1000:.0f} ms")
    print(
        f"next {len(rest)} posts: median {statistics.median(rest) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {rest[-1] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
