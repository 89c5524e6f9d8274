"""``mentiondesk listen``: hear every open channel (Bluesky, Mastodon, Reddit, RSS/Atom, X)
until stopped; ``--once`` polls each one time, reads Jetstream until caught up, and prints a
summary per channel (for cron and tests)."""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from mentiondesk.bootstrap import Services
from mentiondesk.cli.common import open_services
from mentiondesk.cli.options import DatabaseUrl, DataDir
from mentiondesk.pipeline.listen import WorkerTiming

__all__ = ["listen", "listening_beside"]

out = Console()


def listen(
    once: Annotated[
        bool, typer.Option("--once", help="Poll every channel once, then exit with a summary.")
    ] = False,
    interval: Annotated[
        float, typer.Option(help="Seconds between two polls of a channel.", min=1.0)
    ] = 60.0,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Poll and stream the open channels into the inbox (Ctrl-C or SIGTERM stops cleanly)."""
    with open_services(data_dir, database_url) as services:
        worker = services.channel_worker(WorkerTiming(poll_seconds=interval))
        if once:
            summaries = asyncio.run(worker.once())
            worker.close()
            services.sweep_effects()
            table = Table("channel", "new posts", "duplicates", "rejected", "errors")
            for s in summaries:
                c = s.count
                errors = "; ".join(c.errors) or "-"
                table.add_row(
                    f"{s.channel_id} {s.channel}",
                    str(c.new),
                    str(c.duplicates),
                    str(c.rejected),
                    errors,
                )
            out.print(table if summaries else "no open channels to hear")
            return
        out.print("listening on every open channel (Ctrl-C to stop)")
        asyncio.run(_until_signalled(worker.run))
        out.print("stopped")


async def _until_signalled(run: object) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    assert callable(run)
    await run(stop)


@contextmanager
def listening_beside(services: Services) -> Iterator[None]:
    """Hear the open channels in a background thread while the caller runs (``serve``);
    stopped and joined on the way out."""
    worker = services.channel_worker()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(worker.run(stop))
        finally:
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()

    thread = threading.Thread(target=run, name="mentiondesk-listen", daemon=True)
    thread.start()
    try:
        yield
    finally:
        if not loop.is_closed():
            loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=15)
