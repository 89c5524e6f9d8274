"""What one ingested post costs in transactions (commits of a unit of work), counted the same
way before and after grouping: the routing commit, then all of the post's durable follow-ups
(auto-moderate, assign, acknowledge) together in one more, whatever they do."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from types import TracebackType

import pytest
from sqlalchemy import select

from mentiondesk.dispatch import durable
from mentiondesk.domain.ports import FixedClock
from mentiondesk.storage.tables_effects import pending_effects
from mentiondesk.storage.unit_of_work import UnitOfWork
from tests.conftest import ServicesFactory
from tests.factories import build_desk, raw_post
from tests.integration.test_effects_after_a_crash import _counts, _prepare


@pytest.fixture
def commits(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Every unit of work adds the commits it made when it closes."""
    counted: list[int] = []
    close = UnitOfWork.__exit__

    def counting_exit(
        self: UnitOfWork,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        counted.append(self.commits)
        close(self, exc_type, exc, tb)

    monkeypatch.setattr(UnitOfWork, "__exit__", counting_exit)
    yield counted


def test_a_post_no_rule_matches_costs_two_transactions(
    make_services: ServicesFactory, commits: list[int]
) -> None:
    desk = build_desk(make_services())
    commits.clear()

    result = desk.services.pipeline.ingest(desk.workspace, raw_post(), source="test")

    assert result.status == "created" and result.case_id is not None
    assert sum(commits) == 2  # route; moderate + assign + acknowledge (nothing to do)


def test_a_moderated_assigned_acknowledged_post_does_its_follow_ups_in_one_transaction(
    make_services: ServicesFactory, clock: FixedClock, commits: list[int]
) -> None:
    desk = build_desk(make_services())
    _prepare(desk)
    clock.set(clock.now() + timedelta(days=4))  # Saturday: the desk is closed
    commits.clear()

    desk.services.pipeline.ingest(
        desk.workspace,
        raw_post(platform_post_id="kettle-1", text="@acme my kettle broke again"),
        source="test",
    )

    after = _counts(desk)
    assert after["hidden"] is True and after["likes"] == 1 and after["acks"] == 1
    assert after["assignee"] == desk.agent.id and after["pending"] == 0
    # route; the three follow-ups together; hide, like and the reply each delivered by the
    # outbox in two (claim the row, then record what the platform said)
    assert sum(commits) == 2 + 3 * 2


def test_a_failing_follow_up_neither_undoes_nor_blocks_the_others(
    make_services: ServicesFactory, clock: FixedClock
) -> None:
    desk = build_desk(make_services())
    _prepare(desk)
    clock.set(clock.now() + timedelta(days=4))
    services = desk.services
    event_type, _ = services.dispatcher._durable["auto_assign"]

    def broken_assign(event: object, uow: object, context: object) -> None:
        raise RuntimeError("no agent table today")

    services.dispatcher._durable["auto_assign"] = (event_type, durable(broken_assign))

    services.pipeline.ingest(
        desk.workspace,
        raw_post(platform_post_id="kettle-1", text="@acme my kettle broke again"),
        source="test",
    )

    after = _counts(desk)
    assert after["hidden"] is True and after["acks"] == 1  # the others happened
    assert after["assignee"] is None and after["pending"] == 1  # kept for a retry
    with services.engine.connect() as conn:
        error = conn.execute(
            select(pending_effects.c.last_error).where(pending_effects.c.status == "pending")
        ).scalar_one()
    assert "no agent table today" in error


def test_a_routed_batch_costs_its_follow_ups_a_few_transactions_not_one_per_post(
    make_services: ServicesFactory, commits: list[int]
) -> None:
    """The crisis watch reads a batch's posts in one transaction: a backfill of 200 posts
    opens a handful of units of work, where it used to open one more per post."""
    desk = build_desk(make_services())
    raws = [raw_post(author_handle=f"customer_{i}") for i in range(200)]
    commits.clear()

    results = list(desk.services.pipeline.ingest_many(desk.workspace, raws, source="test"))

    assert [r.status for r in results] == ["created"] * 200
    assert len(commits) < 20  # units of work opened for the whole batch
