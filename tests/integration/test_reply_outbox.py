"""The outbox: retries with backoff honouring Retry-After, never twice, failures keep the text."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mentiondesk.connectors.base import Delivered, DeliveryFailed, OutgoingReply
from mentiondesk.connectors.dev import FlakyConnector
from mentiondesk.desk.outbox import backoff
from mentiondesk.domain.errors import InvalidTransition
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import DeliveryStatus
from tests.conftest import ServicesFactory
from tests.factories import Desk, build_desk

TEXT = "Hi Anna, sorry for the wait, we are checking parcel 4411 and will write back today."


def flaky_desk(make_services: ServicesFactory, **flaky: object) -> tuple[Desk, FlakyConnector]:
    connector = FlakyConnector(Platform.X, **flaky)  # type: ignore[arg-type]
    return build_desk(make_services(connectors={Platform.X: connector})), connector


def later(clock: FixedClock, seconds: float) -> None:
    clock.set(clock.now() + timedelta(seconds=seconds))


def test_a_rate_limited_reply_is_delivered_on_the_third_attempt_exactly_once(
    make_services: ServicesFactory, clock: FixedClock
) -> None:
    desk, platform = flaky_desk(make_services, failures=2, retry_after=120)
    reply = desk.reply(desk.agent, desk.ingest_case(), TEXT)

    first = desk.deliver(reply)
    assert first.status is DeliveryStatus.QUEUED and first.attempts == 1
    assert first.failure_reason == "429 Too Many Requests"
    assert first.next_attempt_at == clock.now() + timedelta(seconds=120)
    later(clock, 119)
    assert desk.services.outbox.retry_due() == []  # Retry-After is honoured
    later(clock, 1)
    (second,) = desk.services.outbox.retry_due()
    assert second.status is DeliveryStatus.QUEUED and second.attempts == 2
    later(clock, 3600)
    (third,) = desk.services.outbox.retry_due()
    assert desk.services.outbox.retry_due() == []

    assert third.status is DeliveryStatus.SIMULATED and third.attempts == 3
    assert [r.text for r in platform.sent] == [TEXT]
    assert desk.deliver(reply).status is DeliveryStatus.SIMULATED
    assert len(platform.sent) == 1


def test_after_the_last_attempt_the_reply_fails_with_the_reason_and_keeps_its_text(
    make_services: ServicesFactory, clock: FixedClock
) -> None:
    desk, platform = flaky_desk(make_services, failures=99, retry_after=1)
    reply = desk.reply(desk.agent, desk.ingest_case(), TEXT)

    desk.deliver(reply)
    for _ in range(10):
        later(clock, 3600)
        desk.services.outbox.retry_due()

    final = desk.deliver(reply)
    assert final.status is DeliveryStatus.FAILED
    assert final.attempts == 5  # the default policy's max_attempts
    assert final.failure_reason == "429 Too Many Requests"
    assert final.text == TEXT
    assert platform.sent == []


def test_a_final_refusal_fails_at_once_and_the_agent_can_retry_it(
    make_services: ServicesFactory,
) -> None:
    desk, platform = flaky_desk(make_services, failures=1, retry_after=None, reason="403 blocked")
    reply = desk.reply(desk.agent, desk.ingest_case(), TEXT)

    failed = desk.deliver(reply)
    assert failed.status is DeliveryStatus.FAILED and failed.failure_reason == "403 blocked"

    retried = desk.services.outbox.do_retry_failed(desk.workspace.id, reply.id)
    assert retried.status is DeliveryStatus.SIMULATED
    with pytest.raises(InvalidTransition):
        desk.services.outbox.do_retry_failed(desk.workspace.id, reply.id)
    assert len(platform.sent) == 1


class _Counting:
    platform = Platform.X

    def __init__(self) -> None:
        self.calls = 0

    def send(self, reply: OutgoingReply) -> Delivered:
        self.calls += 1
        raise DeliveryFailed("503 Service Unavailable", transient=True)


def test_a_claimed_attempt_is_not_taken_again_by_a_second_worker(
    make_services: ServicesFactory, clock: FixedClock
) -> None:
    connector = _Counting()
    desk = build_desk(make_services(connectors={Platform.X: connector}))
    reply = desk.reply(desk.agent, desk.ingest_case(), TEXT)

    desk.deliver(reply)
    desk.deliver(reply)  # a second worker right away: not due, nothing sent
    assert connector.calls == 1
    with desk.services.uow() as uow:
        stale = uow.outbox.for_reply(reply.id)
        assert stale is not None
        later(clock, 3600)
        assert uow.outbox.claim(stale, now=clock.now(), lease=timedelta(minutes=2))
        uow.commit()
    assert desk.deliver(reply).attempts == 2  # the stale claim won; this one stood back
    assert connector.calls == 1


def test_backoff_doubles_and_never_undercuts_retry_after() -> None:
    assert backoff(1, None) == timedelta(seconds=30)
    assert backoff(3, None) == timedelta(seconds=120)
    assert backoff(1, 600) == timedelta(seconds=600)
    assert backoff(30, None) == timedelta(hours=1)
