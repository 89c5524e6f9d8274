"""Scale-out on the real NATS JetStream server: published posts are stored once by the
workers, redelivery changes nothing, and a message that keeps failing is dead-lettered into
rejected_inputs with the reason."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator

import nats
import pytest
from sqlalchemy import func, select

from mentiondesk.bootstrap import Services
from mentiondesk.pipeline.jetstream import JetStreamWorker, Names, connect, encode, publish
from mentiondesk.storage import tables as t
from tests.conftest import ServicesFactory
from tests.factories import build_desk, raw_post

NATS_URL = os.environ.get("MENTIONDESK_TEST_NATS_URL", "nats://127.0.0.1:4222")
pytestmark = pytest.mark.nats


async def _reachable() -> None:
    client = await nats.connect(NATS_URL, connect_timeout=2, max_reconnect_attempts=0)
    await client.close()


@pytest.fixture
def names() -> Iterator[Names]:
    """A stream of this test's own, deleted afterwards; the server is required under CI."""
    try:
        asyncio.run(_reachable())
    except Exception as exc:
        message = f"NATS not reachable at {NATS_URL}: {exc!r}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    ours = Names(f"mdtest-{uuid.uuid4().hex[:10]}")
    yield ours

    async def drop() -> None:
        client = await nats.connect(NATS_URL)
        await client.jetstream().delete_stream(ours.stream)
        await client.close()

    asyncio.run(drop())


def _posts(services: Services) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.posts)).scalar_one())


def _work(services: Services, names: Names) -> JetStreamWorker:
    worker = JetStreamWorker(services.pipeline, services.uow, NATS_URL, names)
    asyncio.run(worker.run(once=True, idle=1.0))
    return worker


def test_published_posts_are_stored_once_and_redelivery_changes_nothing(
    make_services: ServicesFactory, names: Names
) -> None:
    services = make_services()
    desk = build_desk(services)
    posts = [raw_post(author_handle=f"fan{i}") for i in range(300)]

    async def send(raws: list[dict[str, object]], *, fresh_ids: bool) -> None:
        client, js = await connect(NATS_URL, names)
        if fresh_ids:  # bypass the server's de-duplication: a true redelivery
            for raw in raws:
                body, _ = encode(desk.workspace.id, "test", raw)
                await js.publish(names.subject, body, headers={"Nats-Msg-Id": uuid.uuid4().hex})
        else:
            await publish(js, desk.workspace.id, "test", raws, names)
        await client.close()

    asyncio.run(send(posts, fresh_ids=False))
    first = _work(services, names)
    assert first.stats.messages == 300 and first.stats.results is not None
    assert first.stats.results.created == 300 and _posts(services) == 300

    asyncio.run(send(posts[:50], fresh_ids=True))
    again = _work(services, names)
    assert again.stats.results is not None
    assert again.stats.results.duplicate == 50 and again.stats.results.created == 0
    assert _posts(services) == 300


def test_a_message_that_keeps_failing_is_dead_lettered_with_the_reason(
    make_services: ServicesFactory, names: Names, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = make_services()
    build_desk(services)
    monkeypatch.setattr("mentiondesk.pipeline.jetstream.MAX_DELIVER", 2)

    async def send() -> None:
        client, js = await connect(NATS_URL, names)
        body, msg_id = encode(4040, "test", raw_post())  # a workspace that does not exist
        await js.publish(names.subject, body, headers={"Nats-Msg-Id": msg_id})
        await client.close()

    asyncio.run(send())
    dead = 0
    for _ in range(10):
        dead += _work(services, names).stats.dead
        if dead:
            break
    assert dead == 1
    with services.engine.connect() as conn:
        kept = conn.execute(select(t.rejected_inputs.c.kind, t.rejected_inputs.c.reason)).one()
    assert kept.kind == "dead-letter" and "no workspace 4040" in kept.reason
    assert _posts(services) == 0
