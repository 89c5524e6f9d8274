"""The web app's background jobs, every minute: publish due opening/closing posts, record SLA
breaches, run left-over follow-ups and retry due outbox rows.

The sweep is blocking database work, so it runs in a worker thread; the loop is cancelled when
the app shuts down. A failing sweep is logged with its traceback and retried at the next tick,
so one bad minute does not stop breach recording for the life of the process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress

from fastapi import FastAPI

from mentiondesk.analytics.alerts import do_escalate_alerts
from mentiondesk.bootstrap import Services
from mentiondesk.desk.hours_publishing import do_publish_hours_posts
from mentiondesk.desk.sla_service import do_record_breaches

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


def escalate_alerts(services: Services) -> int:
    """Alerts nobody acknowledged move on to the next person, then the owners."""
    with services.uow() as uow:
        return do_escalate_alerts(uow, services.clock.now())


# What every tick does, in order, and how its result is logged.
TICK_JOBS: tuple[tuple[Callable[[Services], int], str], ...] = (
    (publish_once, "published %d opening/closing post(s)"),
    (sweep_once, "SLA sweep recorded %d breach(es)"),
    (escalate_alerts, "escalated %d alert(s)"),
    (retry_outbox, "outbox and pending effects: %d attempted"),
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


@asynccontextmanager
async def sla_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the sweep with the app and cancel it on shutdown."""
    task = asyncio.create_task(sweep_forever(app.state.services))
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):  # the cancellation we just asked for
            await task
