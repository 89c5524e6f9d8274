"""The inbound journal drained in batches: every stored body ends up a post, a duplicate or a
kept rejection, exactly once, and a body that keeps failing is given up into rejected_inputs
with the reason."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from mentiondesk.bootstrap import Services
from mentiondesk.pipeline.journal import MAX_ATTEMPTS, do_journal_body, drain_until_empty
from mentiondesk.pipeline.runner import IngestResult, InProcessPipeline
from mentiondesk.storage import tables as t
from mentiondesk.storage.tables_inbound import inbound_journal
from tests.conftest import ServicesFactory
from tests.factories import build_desk, raw_post


def _journal(services: Services, workspace: Any, bodies: list[bytes]) -> None:
    for body in bodies:
        with services.uow() as uow:
            do_journal_body(uow, workspace, "webhook:hook", body, clock=services.clock)


def _count(services: Services, table: Any, *where: Any) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def test_the_journal_drains_into_posts_once_and_keeps_what_it_refuses(
    make_services: ServicesFactory,
) -> None:
    services = make_services()
    desk = build_desk(services)
    posts = [raw_post(author_handle=f"fan{i}") for i in range(30)]
    bodies = [json.dumps(p).encode() for p in posts]
    bodies.append(bodies[0])  # the sender retried
    bodies.append(json.dumps(raw_post(platform="myspace")).encode())
    bodies.append(b"{not json")
    _journal(services, desk.workspace, bodies)

    stats = drain_until_empty(services.pipeline, services.uow, services.clock)

    assert stats.taken == 33 and stats.failed == 0
    assert (stats.results.created, stats.results.duplicate, stats.results.rejected) == (30, 1, 2)
    assert _count(services, t.posts) == 30
    assert _count(services, t.rejected_inputs) == 2
    assert _count(services, inbound_journal, inbound_journal.c.status == "queued") == 0

    _journal(services, desk.workspace, bodies[:5])  # delivered again later: nothing changes
    again = drain_until_empty(services.pipeline, services.uow, services.clock)
    assert again.results.duplicate == 5 and _count(services, t.posts) == 30


class _DatabaseGone(InProcessPipeline):
    """The pipeline of a desk whose database fails every batch write."""

    def ingest_batch(self, items: Any) -> list[IngestResult]:
        raise ConnectionError("server closed the connection unexpectedly")


def test_a_body_that_keeps_failing_is_given_up_into_rejected_inputs(
    make_services: ServicesFactory,
) -> None:
    services = make_services()
    desk = build_desk(services)
    _journal(services, desk.workspace, [json.dumps(raw_post()).encode()])
    real = services.pipeline
    failing = _DatabaseGone(real._stages, services.uow, services.clock)

    for attempt in range(1, MAX_ATTEMPTS + 1):
        stats = drain_until_empty(failing, services.uow, services.clock)
        assert stats.failed == 1 and stats.given_up == (attempt == MAX_ATTEMPTS)

    assert _count(services, inbound_journal, inbound_journal.c.status == "rejected") == 1
    with services.engine.connect() as conn:
        kept = conn.execute(select(t.rejected_inputs.c.kind, t.rejected_inputs.c.reason)).one()
    assert kept.kind == "dead-letter" and "server closed the connection" in kept.reason
    assert drain_until_empty(real, services.uow, services.clock).taken == 0  # nothing left
