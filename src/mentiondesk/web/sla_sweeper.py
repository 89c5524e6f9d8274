"""The web app's background jobs, every minute: publish due opening/closing posts, record SLA
breaches, escalate alerts, send the scheduled report e-mails that fell due, run left-over
follow-ups, retry due outbox rows, and reconcile the connected Pages (each every 15 minutes).

The sweep is blocking database work, so it runs in a worker thread; the loop is cancelled when
the app shuts down. A failing sweep is logged with its traceback and retried at the next tick,
so one bad minute does not stop breach recording for the life of the process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from datetime import timedelta

from fastapi import FastAPI

from mentiondesk.analytics.alerts import do_escalate_alerts
from mentiondesk.analytics.schedules import do_queue_due_summaries
from mentiondesk.bootstrap import Services
from mentiondesk.desk.hours_publishing import do_publish_hours_posts
from mentiondesk.desk.sla_service import do_record_breaches
from mentiondesk.pipeline.journal import drain_journal

log = logging.getLogger(__name__)

SWEEP_SECONDS = 60.0


def sweep_once(services: Services) -> int:
    with services.uow() as uow:
        return do_record_breaches(uow, services.clock.now()).breaches


def publish_once(services: Services) -> int:
    """Post the opening and closing posts that fell due since the last tick."""
    with services.uow() as uow:
        return do_publish_hours_posts(uow, services.clock.now()).published


def retry_outbox(services: Services) -> int:
    """Follow-ups a killed process left behind, and outbox rows waiting for another attempt
    (rate limits, outages), ride on the same tick."""
    return services.sweep_effects()


RECONCILE_EVERY = timedelta(minutes=15)


def reconcile_channels(services: Services) -> int:
    """Every connected Page is read again every 15 minutes, catching what a missed webhook
    did not bring."""
    if services.meta is None:
        return 0
    return services.reconcile_meta(every=RECONCILE_EVERY).ingested


def escalate_alerts(services: Services) -> int:
    """Alerts nobody acknowledged move on to the next person, then the owners."""
    with services.uow() as uow:
        return do_escalate_alerts(uow, services.clock.now())


def send_due_summaries(services: Services) -> int:
    """Scheduled report e-mails whose period is due are queued (once per period) and sent
    through the outbox; a failed send stays queued for the outbox's retries."""
    with services.uow() as uow:
        queued = do_queue_due_summaries(uow, services.clock.now())
    for item_id in queued:
        services.outbox.attempt(item_id)
    return len(queued)


# What every tick does, in order, and how its result is logged.
TICK_JOBS: tuple[tuple[Callable[[Services], int], str], ...] = (
    (publish_once, "published %d opening/closing post(s)"),
    (sweep_once, "SLA sweep recorded %d breach(es)"),
    (escalate_alerts, "escalated %d alert(s)"),
    (send_due_summaries, "queued %d scheduled report e-mail(s)"),
    (retry_outbox, "outbox and pending effects: %d attempted"),
    (reconcile_channels, "channel reconcile: %d post(s) and comment(s) handed on"),
)


async def sweep_forever(services: Services, every: float = SWEEP_SECONDS) -> None:
    while True:
        await asyncio.sleep(every)
        for job, done in TICK_JOBS:
            try:
                count = await asyncio.to_thread(job, services)
            except Exception:  # logged, and the next tick tries again
                log.exception("background job %s failed", job.__name__)
            else:
                if count:
                    log.info(done, count)


DRAIN_IDLE_SECONDS = 0.2


def drain_once(services: Services) -> int:
    """Process a batch of webhook bodies waiting in the inbound journal; how many."""
    return drain_journal(services.pipeline, services.uow, services.clock).taken


async def drain_forever(services: Services, idle: float = DRAIN_IDLE_SECONDS) -> None:
    """In journal mode: drain batch after batch, resting ``idle`` seconds when none waits."""
    while True:
        try:
            taken = await asyncio.to_thread(drain_once, services)
        except Exception:  # logged; the rows stay queued for the next round
            log.exception("draining the inbound journal failed")
            taken = 0
        if not taken:
            await asyncio.sleep(idle)


@asynccontextmanager
async def sla_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the sweep (and, in journal mode, the journal drain) with the app and cancel
    them on shutdown."""
    services = app.state.services
    tasks = [asyncio.create_task(sweep_forever(services))]
    if services.settings.webhook_journal and app.state.drain_journal:
        tasks.append(asyncio.create_task(drain_forever(services)))
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
            with suppress(asyncio.CancelledError):  # the cancellation we just asked for
                await task
        client = getattr(app.state, "nats_client", None)
        if client is not None:  # opened by the webhook in scaled mode
            await client.close()
