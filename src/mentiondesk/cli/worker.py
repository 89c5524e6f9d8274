"""``mentiondesk worker``: process what waits behind the web app — webhook bodies in the
inbound journal (journal mode), follow-ups left behind and outbox rows due."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

import typer

from mentiondesk.bootstrap import Services
from mentiondesk.cli.common import open_services
from mentiondesk.cli.options import DatabaseUrl, DataDir
from mentiondesk.pipeline.jetstream import JetStreamWorker, Names
from mentiondesk.pipeline.journal import drain_until_empty
from mentiondesk.web.sla_sweeper import SWEEP_SECONDS, send_due_summaries


def worker(
    once: Annotated[
        bool, typer.Option("--once", help="Drain what waits now, then exit (cron, tests).")
    ] = False,
    idle: Annotated[float, typer.Option(help="Seconds to rest when nothing waits.")] = 0.5,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Drain the inbound journal in batches (or, with MENTIONDESK_NATS_URL set, the JetStream
    consumer) and run due follow-ups, scheduled report e-mails and outbox rows; with
    ``--once`` until nothing waits, otherwise until stopped (Ctrl-C, SIGTERM)."""
    with open_services(data_dir, database_url) as services:
        if services.settings.nats_url:
            _jetstream(services, once=once, idle=idle)
            return
        summaries_at = 0.0
        while True:
            stats = drain_until_empty(services.pipeline, services.uow, services.clock)
            if time.monotonic() >= summaries_at:  # scheduled report e-mails, once a minute
                summaries_at = time.monotonic() + SWEEP_SECONDS
                if sent := send_due_summaries(services):
                    typer.echo(f"scheduled reports: {sent} e-mail(s) queued")
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


def _jetstream(services: Services, *, once: bool, idle: float) -> None:
    """With MENTIONDESK_NATS_URL set: consume the stream's posts in batches (any number of
    workers share the durable consumer), then run due follow-ups and outbox rows."""
    assert services.settings.nats_url is not None
    names = Names(services.settings.nats_prefix, services.settings.nats_ack_wait)
    consumer = JetStreamWorker(services.pipeline, services.uow, services.settings.nats_url, names)
    summaries_at = 0.0

    def on_idle() -> int:
        nonlocal summaries_at
        if time.monotonic() >= summaries_at:  # scheduled report e-mails, once a minute
            summaries_at = time.monotonic() + SWEEP_SECONDS
            send_due_summaries(services)
        return services.sweep_effects()

    stats = asyncio.run(consumer.run(once=once, idle=idle, on_idle=on_idle))
    swept = services.sweep_effects()
    r = stats.results
    assert r is not None
    typer.echo(
        f"jetstream: {stats.messages} messages in {stats.batches} batches (created {r.created}, "
        f"duplicate {r.duplicate}, rejected {r.rejected}; {stats.dead} dead-lettered); "
        f"follow-ups and outbox: {swept} done"
    )
