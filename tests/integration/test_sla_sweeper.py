"""The web app's background sweep records breaches while it runs and stops when cancelled."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from mentiondesk.desk.sla_settings import do_update_desk_settings
from mentiondesk.domain.events import SlaBreached
from mentiondesk.domain.ports import FixedClock
from mentiondesk.web.sla_sweeper import sweep_forever
from tests.factories import Desk


def test_the_background_sweep_records_a_breach_and_stops_on_cancel(desk: Desk) -> None:
    services = desk.services
    assert isinstance(services.clock, FixedClock)
    with services.uow() as uow:
        do_update_desk_settings(
            uow,
            desk.actor(desk.owner),
            {"sla": {"first_response": 600}},
            now=services.clock.now(),
        )
    case_id = desk.ingest_case()
    services.clock.set(services.clock.now() + timedelta(hours=1))

    async def run() -> asyncio.Task[None]:
        task = asyncio.create_task(sweep_forever(services, every=0))
        for _ in range(500):  # bounded: gives the worker thread many chances, asserts no time
            if any(isinstance(e, SlaBreached) for e in services.published):
                break
            await asyncio.sleep(0.01)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return task

    task = asyncio.run(run())
    assert task.cancelled()
    breaches = [e for e in services.published if isinstance(e, SlaBreached)]
    assert [(e.case_id, e.metric) for e in breaches] == [(case_id, "first_response")]


def test_a_case_that_needs_no_reply_never_breaches_until_an_agent_says_it_does(
    desk: Desk,
) -> None:
    from mentiondesk.desk.corrections import do_correct_label
    from mentiondesk.desk.sla_service import do_record_breaches

    services = desk.services
    assert isinstance(services.clock, FixedClock)
    with services.uow() as uow:
        do_update_desk_settings(
            uow, desk.actor(desk.owner), {"sla": {"first_response": 600}}, now=services.clock.now()
        )
    case_id = desk.ingest_case()
    post_id = next(e.post.id for e in desk.view(desk.agent, case_id).thread if e.post)
    with services.uow() as uow:
        do_correct_label(
            uow, desk.actor(desk.agent), post_id, "needs_reply", "false", now=services.clock.now()
        )
    services.clock.set(services.clock.now() + timedelta(hours=2))

    with services.uow() as uow:
        assert do_record_breaches(uow, services.clock.now()).breaches == 0
    with services.uow() as uow:
        do_correct_label(
            uow, desk.actor(desk.agent), post_id, "needs_reply", "true", now=services.clock.now()
        )
    with services.uow() as uow:
        assert do_record_breaches(uow, services.clock.now()).breaches == 1


def test_a_case_stored_without_status_history_is_swept_and_breaches(desk: Desk) -> None:
    """Generated or imported data may hold a case with no status history; the sweep must
    still evaluate it (from its opening) instead of failing for every case after it."""
    from sqlalchemy import delete

    from mentiondesk.desk.sla_service import do_record_breaches
    from mentiondesk.storage.tables_sla import case_status_changes

    services = desk.services
    assert isinstance(services.clock, FixedClock)
    with services.uow() as uow:
        do_update_desk_settings(
            uow, desk.actor(desk.owner), {"sla": {"first_response": 600}}, now=services.clock.now()
        )
    case_id = desk.ingest_case()
    with services.uow() as uow:
        uow.connection.execute(
            delete(case_status_changes).where(case_status_changes.c.case_id == case_id)
        )
        uow.commit()
    services.clock.set(services.clock.now() + timedelta(hours=1))
    with services.uow() as uow:
        report = do_record_breaches(uow, services.clock.now())
    assert report.breaches == 1
    breaches = [e for e in services.published if isinstance(e, SlaBreached)]
    assert [(e.case_id, e.metric) for e in breaches] == [(case_id, "first_response")]
