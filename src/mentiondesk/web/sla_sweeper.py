"""The web app's background sweep: records SLA breaches and retries due replies every minute.

The sweep is blocking database work, so it runs in a worker thread; the loop is cancelled when
the app shuts down. A failing sweep is logged with its traceback and retried at the next tick,
so one bad minute does not stop breach recording for the life of the process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import FastAPI

from mentiondesk.bootstrap import Services
from mentiondesk.desk.sla_service import do_record_breaches

log = logging.getLogger(__name__)

SWEEP_SECONDS = 60.0


def sweep_once(services: Services) -> int:
    with services.uow() as uow:
        return do_record_breaches(uow, services.clock.now()).breaches


def retry_outbox(services: Services) -> None:
    """Replies waiting for another attempt (rate limits, outages) ride on the same tick."""
    retried = services.delivery.retry_due()
    if retried:
        log.info("outbox retried %d repl(ies)", len(retried))


async def sweep_forever(services: Services, every: float = SWEEP_SECONDS) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            recorded = await asyncio.to_thread(sweep_once, services)
        except Exception:  # logged, and the next tick tries again
            log.exception("SLA sweep failed")
        else:
            if recorded:
                log.info("SLA sweep recorded %d breach(es)", recorded)
        try:
            await asyncio.to_thread(retry_outbox, services)
        except Exception:  # logged, and the next tick tries again
            log.exception("outbox retry failed")


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
