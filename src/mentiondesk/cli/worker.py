"""``mentiondesk worker``: process what waits behind the web app — webhook bodies in the
inbound journal (journal mode), follow-ups left behind and outbox rows due."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from mentiondesk.cli.common import open_services
from mentiondesk.cli.options import DatabaseUrl, DataDir
from mentiondesk.pipeline.journal import drain_until_empty


def worker(
    once: Annotated[
        bool, typer.Option("--once", help="Drain what waits now, then exit (cron, tests).")
    ] = False,
    idle: Annotated[float, typer.Option(help="Seconds to rest when nothing waits.")] = 0.5,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Drain the inbound journal in batches and run due follow-ups and outbox rows; with
    ``--once`` until nothing waits, otherwise until stopped (Ctrl-C, SIGTERM)."""
    with open_services(data_dir, database_url) as services:
        while True:
            stats = drain_until_empty(services.pipeline, services.uow, services.clock)
            swept = services.sweep_effects()
            if stats.taken or once:
                r = stats.results
                typer.echo(
                    f"journal: {stats.taken} taken (created {r.created}, duplicate "
                    f"{r.duplicate}, rejected {r.rejected}; {stats.failed} failed, "
                    f"{stats.given_up} given up); follow-ups and outbox: {swept} done"
                )
            if once:
                return
            if not stats.taken:
                time.sleep(idle)
