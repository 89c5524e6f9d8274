"""Webhook answer time and time to inbox under a sustained load, in journal mode.

Starts ``mentiondesk serve`` in its own process with ``MENTIONDESK_WEBHOOK_JOURNAL=1`` (a body
is stored in the inbound journal and answered 202; the server drains the journal through the
pipeline in batches behind the answers), on SQLite or PostgreSQL. This process then sends
signed posts to ``POST /api/v1/inbound/{source}`` at a steady rate for a number of seconds,
over a pool of keep-alive connections, and meanwhile reads the ``posts`` table every 20 ms
(the rows the inbox lists) to see when each post became visible.

For every post it records: the answer time (request sent → response read) and the time to
inbox (request sent → first seen stored). Prints p50/p99/max of both, the rate actually
achieved, and posts still missing at the end (they count as lost if any).

Usage: ``PYTHONPATH=src:. python benchmarks/bench_webhook_load.py [--db sqlite|postgresql]
[--rate 1000] [--seconds 60] [--connections 32]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, select
from sqlalchemy.pool import NullPool

from benchmarks.bench_pipeline import database
from mentiondesk.bootstrap import bootstrap
from mentiondesk.config import Settings
from mentiondesk.demo.setup import create_demo_workspaces, shifted, stream_lines
from mentiondesk.desk.workspaces import do_create_source
from mentiondesk.storage import tables as t
from mentiondesk.web.security import signed_headers

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "loadtest"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bodies(n: int) -> list[tuple[str, bytes]]:
    """``n`` distinct posts from the demo stream, dated now, as webhook bodies."""
    base = shifted(list(stream_lines()), datetime.now(UTC) - timedelta(seconds=5))
    out = []
    for i in range(n):
        post = dict(base[i % len(base)])
        post["platform_post_id"] = f"load-{i:07d}"
        out.append((post["platform_post_id"], json.dumps(post).encode()))
    return out


def prepare(url: str, data_dir: Path) -> str:
    """The demo workspaces and a webhook source; the source's signing secret."""
    services = bootstrap(Settings(data_dir=data_dir, database_url=url))
    try:
        workspace = create_demo_workspaces(services)
        with services.uow() as uow:
            secret = do_create_source(uow, workspace, SOURCE, now=services.clock.now())
            uow.commit()
        return secret
    finally:
        services.close()


def environment(url: str, data_dir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "MENTIONDESK_DATABASE_URL": url,
        "MENTIONDESK_DATA_DIR": str(data_dir),
        "MENTIONDESK_WEBHOOK_JOURNAL": "1",
    }
    env.pop("MENTIONDESK_NATS_URL", None)
    return env


def start(url: str, data_dir: Path, port: int, worker: bool) -> list[subprocess.Popen[bytes]]:
    """``mentiondesk serve`` draining the journal itself, or leaving it to a worker process."""
    env = environment(url, data_dir)
    serve = [sys.executable, "-m", "mentiondesk", "serve", "--port", str(port)]
    processes = [
        subprocess.Popen(
            serve + (["--no-drain"] if worker else []), env=env, cwd=ROOT, stdout=subprocess.DEVNULL
        )
    ]
    if worker:
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "mentiondesk", "worker", "--idle", "0.05"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
            return processes
        except httpx.TransportError:
            time.sleep(0.2)
    for process in processes:
        process.kill()
    raise RuntimeError("mentiondesk did not start")


class Watcher(threading.Thread):
    """Reads new rows of ``posts`` every 20 ms; when each platform post id was first seen."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.engine = create_engine(url, poolclass=NullPool)
        self.seen: dict[str, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        last = 0
        while not self.stop.is_set():
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(t.posts.c.id, t.posts.c.platform_post_id)
                    .where(t.posts.c.id > last)
                    .order_by(t.posts.c.id)
                ).all()
            now = time.perf_counter()
            for row in rows:
                self.seen.setdefault(row.platform_post_id, now)
                last = row.id
            time.sleep(0.02)
        self.engine.dispose()


async def send_all(
    base_url: str, secret: str, posts: list[tuple[str, bytes]], rate: float, connections: int
) -> tuple[dict[str, float], dict[str, float], list[str]]:
    sent: dict[str, float] = {}
    answered: dict[str, float] = {}
    refused: list[str] = []
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:

        async def send(post_id: str, body: bytes) -> None:
            headers = {
                "Content-Type": "application/json",
                **signed_headers(secret, body, int(time.time())),
            }
            sent[post_id] = time.perf_counter()
            answer = await client.post(f"/api/v1/inbound/{SOURCE}", content=body, headers=headers)
            answered[post_id] = time.perf_counter()
            if answer.status_code != 202:
                refused.append(f"{answer.status_code} {answer.text[:200]}")

        start = time.perf_counter()
        tasks = []
        for i, (post_id, body) in enumerate(posts):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(post_id, body)))
        await asyncio.gather(*tasks)
    return sent, answered, refused


def summary(name: str, values: list[float]) -> str:
    return (
        f"{name}: p50 {statistics.median(values):.0f} ms, p99 {percentile(values, 99):.0f} ms, "
        f"max {max(values):.0f} ms"
    )


def run(kind: str, rate: float, seconds: float, connections: int, worker: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        url, drop = database(kind, tmp)
        try:
            secret = prepare(url, tmp)
            port = free_port()
            processes = start(url, tmp, port, worker)
            watcher = Watcher(url)
            watcher.start()
            try:
                posts = bodies(int(rate * seconds))
                began = time.perf_counter()
                sent, answered, refused = asyncio.run(
                    send_all(f"http://127.0.0.1:{port}", secret, posts, rate, connections)
                )
                sending = time.perf_counter() - began
                deadline = time.perf_counter() + 120
                while len(watcher.seen) < len(posts) and time.perf_counter() < deadline:
                    time.sleep(0.1)
            finally:
                watcher.stop.set()
                watcher.join()
                for process in processes:
                    process.terminate()
                    process.wait(timeout=30)
        finally:
            drop()
    answer = [(answered[p] - sent[p]) * 1000 for p in sent]
    inbox = [(watcher.seen[p] - sent[p]) * 1000 for p in sent if p in watcher.seen] or [0.0]
    if refused:
        print("first refusal:", refused[0])
    figures = {
        "db": kind,
        "posts": len(sent),
        "achieved_rate": len(sent) / sending,
        "refused": len(refused),
        "missing": len(sent) - len(inbox),
        "answer_p50_ms": statistics.median(answer),
        "answer_p99_ms": percentile(answer, 99),
        "inbox_p50_ms": statistics.median(inbox),
        "inbox_p99_ms": percentile(inbox, 99),
    }
    where = "a worker process" if worker else "the web process"
    print(
        f"{kind}, journal drained by {where}: {len(sent)} webhooks "
        f"at {figures['achieved_rate']:.0f}/s "
        f"(asked {rate:.0f}/s), {len(refused)} refused, {figures['missing']} not in the inbox"
    )
    print("  " + summary("answer", answer))
    print("  " + summary("time to inbox", inbox))
    if refused:
        print("  first refusal:", refused[0])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--rate", type=float, default=1000.0, help="webhooks per second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--worker", action="store_true", help="serve --no-drain and one `mentiondesk worker`"
    )
    args = parser.parse_args()
    for kind in args.db or ["sqlite", "postgresql"]:
        run(kind, args.rate, args.seconds, args.connections, args.worker)


if __name__ == "__main__":
    main()
