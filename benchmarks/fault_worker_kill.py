"""Fault tests and scaling figure for JetStream workers, on PostgreSQL and the real NATS server.

Each fault is injected mid-stream, and afterwards every published post must be stored once
(0 lost, 0 duplicated, counted against the input) with no follow-up run twice (at most one
acknowledgement reply per case, no pending effect left):

1. ``kill``: ``kill -9`` a worker, start another.
2. ``pg``: terminate every PostgreSQL backend of the worker's database
   (``pg_terminate_backend``, what a server restart or failover does to open connections).
3. ``nats``: cut the worker's NATS connection (the worker reaches NATS through a TCP relay
   that drops every open connection at once, as a NATS server restart does) and let it
   reconnect.

Then throughput with 1 and then 2 workers on the same input: posts/s by wall clock from the
first message taken to the last post stored, and the ratio.

Usage: ``PYTHONPATH=src python benchmarks/fault_worker_kill.py [--posts 6000]
[--faults kill,pg,nats] [--skip-scaling]``. Each run uses its own database and its own stream
prefix, and deletes both afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import nats
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

from benchmarks.bench_pipeline import NOW, PG_ADMIN, posts
from mentiondesk.bootstrap import bootstrap
from mentiondesk.config import Settings
from mentiondesk.demo.setup import create_demo_workspaces
from mentiondesk.domain.ports import FixedClock
from mentiondesk.pipeline.jetstream import Names, publish_sync
from mentiondesk.storage import tables as t
from mentiondesk.storage.tables_effects import pending_effects

NATS_URL = os.environ.get("MENTIONDESK_NATS_URL", "nats://127.0.0.1:4222")
ROOT = Path(__file__).resolve().parents[1]


def fresh_database(tag: str) -> str:
    name = f"mentiondesk_fault_{tag}_{os.getpid()}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
    admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def drop_stream(names: Names) -> None:
    async def run() -> None:
        client = await nats.connect(NATS_URL)
        await client.jetstream().delete_stream(names.stream)
        await client.close()

    asyncio.run(run())


class Run:
    """One database with the demo workspace, one stream, the input published to it."""

    def __init__(self, tag: str, n: int, data_dir: Path) -> None:
        self.url = fresh_database(tag)
        self.names = Names(f"mdfault-{uuid.uuid4().hex[:8]}", ack_wait=5.0)
        self.data_dir = data_dir
        services = bootstrap(
            Settings(data_dir=data_dir, database_url=self.url), clock=FixedClock(NOW)
        )
        self.workspace = create_demo_workspaces(services)
        services.close()
        self.engine = create_engine(self.url, poolclass=NullPool)
        self.raws = posts(n)
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "OMP_NUM_THREADS": "1",
            "MENTIONDESK_DATABASE_URL": self.url,
            "MENTIONDESK_DATA_DIR": str(data_dir),
            "MENTIONDESK_NATS_URL": NATS_URL,
            "MENTIONDESK_NATS_PREFIX": self.names.prefix,
            "MENTIONDESK_NATS_ACK_WAIT": str(self.names.ack_wait),
        }

    def publish(self) -> None:
        publish_sync(NATS_URL, self.workspace.id, "fault", self.raws, self.names)

    def worker(self, nats_url: str = NATS_URL) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "mentiondesk", "worker", "--idle", "0.5"],
            env={**self.env, "MENTIONDESK_NATS_URL": nats_url},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stored(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.posts)).scalar_one())

    def wait_for(self, count: int, timeout: float) -> float:
        started = time.perf_counter()
        while self.stored() < count:
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"{self.stored()} of {count} stored after {timeout} s")
            time.sleep(0.2)
        return time.perf_counter() - started

    def wait_for_follow_ups(self, timeout: float) -> None:
        started = time.perf_counter()
        while self.audit()["follow-ups not done"] and time.perf_counter() - started < timeout:
            time.sleep(1.0)

    def audit(self) -> dict[str, int]:
        """Counted against the input: lost, duplicated, follow-ups twice or left over."""
        wanted = {r["platform_post_id"] for r in self.raws}
        with self.engine.connect() as conn:
            stored = [row[0] for row in conn.execute(select(t.posts.c.platform_post_id))]
            acks = conn.execute(
                select(t.replies.c.case_id, func.count())
                .group_by(t.replies.c.case_id)
                .having(func.count() > 1)
            ).all()
            left = conn.execute(
                select(func.count())
                .select_from(pending_effects)
                .where(pending_effects.c.status != "done")
            ).scalar_one()
        return {
            "input": len(wanted),
            "stored": len(set(stored)),
            "lost": len(wanted - set(stored)),
            "duplicated": len(stored) - len(set(stored)),
            "cases with two acknowledgements": len(acks),
            "follow-ups not done": int(left),
        }

    def close(self) -> None:
        self.engine.dispose()
        drop_database(self.url)
        drop_stream(self.names)

    def terminate_backends(self) -> int:
        """Terminate every server connection to the run's database but this one."""
        name = self.url.rsplit("/", 1)[1]
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        with admin.connect() as conn:
            ended = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            ).scalar_one()
        admin.dispose()
        return int(ended)

    def finish(self, worker: subprocess.Popen[bytes], n: int) -> dict[str, int]:
        """Wait until all ``n`` posts are stored and follow-ups are done; then the audit."""
        try:
            self.wait_for(n, timeout=600)
            time.sleep(3 * self.names.ack_wait)  # any redelivery of an interrupted batch lands
            self.wait_for_follow_ups(timeout=300)  # swept once their grace minute is over
        finally:
            stop(worker)
        if worker.returncode not in (0, -signal.SIGTERM):
            print(f"  the worker exited with {worker.returncode}")
        return self.audit()


class Relay:
    """A TCP relay to NATS whose open connections can all be cut at once."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"nats://127.0.0.1:{self.listener.getsockname()[1]}"
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> int:
        with self.lock:
            cut, self.sockets = self.sockets, []
        for end in cut:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()
        return len(cut) // 2

    def close(self) -> None:
        self.listener.close()
        self.cut()


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def kill_test(n: int, tmp: Path) -> None:
    run = Run("kill", n, tmp / "kill")
    try:
        run.publish()
        victim = run.worker()
        run.wait_for(n // 3, timeout=600)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        at_kill = run.stored()
        audit = run.finish(run.worker(), n)
        print(f"kill -9 after {at_kill} of {n} posts stored: {audit}")
    finally:
        run.close()


def postgres_test(n: int, tmp: Path) -> None:
    run = Run("pg", n, tmp / "pg")
    try:
        run.publish()
        worker = run.worker()
        cuts = []
        for share in (4, 2):  # twice: a quarter and half of the way through
            run.wait_for(n // share, timeout=600)
            cuts.append(f"{run.terminate_backends()} at {run.stored()}")
        audit = run.finish(worker, n)
        print(f"PostgreSQL backends terminated ({', '.join(cuts)} of {n} stored): {audit}")
    finally:
        run.close()


def nats_test(n: int, tmp: Path) -> None:
    run = Run("nats", n, tmp / "nats")
    host, port = NATS_URL.removeprefix("nats://").rsplit(":", 1)
    relay = Relay((host, int(port)))
    try:
        run.publish()
        worker = run.worker(relay.url)
        cuts = []
        for share in (4, 2):
            run.wait_for(n // share, timeout=600)
            cuts.append(f"{relay.cut()} connection(s) at {run.stored()}")
        audit = run.finish(worker, n)
        print(f"NATS connection cut ({', '.join(cuts)} of {n} stored): {audit}")
    finally:
        relay.close()
        run.close()


def throughput(n: int, workers: int, tmp: Path) -> float:
    run = Run(f"w{workers}", n, tmp / f"w{workers}")
    try:
        run.publish()
        processes = [run.worker() for _ in range(workers)]
        try:
            run.wait_for(1, timeout=120)
            seconds = run.wait_for(n, timeout=900)
        finally:
            for process in processes:
                stop(process)
        audit = run.audit()
        assert audit["lost"] == 0 and audit["duplicated"] == 0, audit
    finally:
        run.close()
    rate = n / seconds
    print(f"{workers} worker(s): {n} posts in {seconds:.1f} s wall = {rate:,.0f} posts/s")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=6000)
    parser.add_argument("--faults", default="kill,pg,nats", help="comma-separated, or empty")
    parser.add_argument("--skip-scaling", action="store_true")
    args = parser.parse_args()
    faults = {"kill": kill_test, "pg": postgres_test, "nats": nats_test}
    with tempfile.TemporaryDirectory() as tmp:
        for name in filter(None, args.faults.split(",")):
            faults[name](args.posts, Path(tmp))
        if not args.skip_scaling:
            one = throughput(args.posts, 1, Path(tmp))
            two = throughput(args.posts, 2, Path(tmp))
            print(f"1 -> 2 workers: {two / one:.2f}x")


if __name__ == "__main__":
    main()
