"""Journal mode: the webhook answers 202 as soon as the authenticated body is stored, and the
web app's background loop turns it into a post in the inbox shortly after."""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import nats
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mentiondesk.bootstrap import Services, bootstrap
from mentiondesk.config import Settings
from mentiondesk.domain.ports import FixedClock
from mentiondesk.pipeline.jetstream import JetStreamWorker, Names
from mentiondesk.storage import tables as t
from mentiondesk.web.app import create_app
from mentiondesk.web.security import signed_headers
from tests.e2e.conftest import NOW, Seed, raw_post


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = bootstrap(Settings(data_dir=tmp_path, webhook_journal=True), clock=FixedClock(NOW))
    yield built
    built.close()


def _send(client: TestClient, secret: str, body: bytes) -> object:
    headers = {
        "content-type": "application/json",
        **signed_headers(secret, body, int(NOW.timestamp())),
    }
    return client.post("/api/v1/inbound/skylot-hook", content=body, headers=headers)


def _case_of(services: Services, pid: str) -> int | None:
    with services.engine.connect() as conn:
        return conn.execute(
            select(t.posts.c.case_id).where(t.posts.c.platform_post_id == pid)
        ).scalar_one_or_none()


def test_the_webhook_answers_queued_and_the_post_reaches_the_inbox_behind(
    services: Services, seed: Seed
) -> None:
    with TestClient(create_app(services), base_url="http://testserver") as client:
        body = json.dumps(raw_post("j-1", "@skylot my suitcase is still in Rome")).encode()
        answer = _send(client, seed.skylot_secret, body)
        assert answer.status_code == 202, answer.text
        assert answer.json()["status"] == "queued" and answer.json()["journal_id"] > 0

        not_json = _send(client, seed.skylot_secret, b"{nope")
        assert not_json.status_code == 400  # refused at once, as without the journal

        deadline = time.monotonic() + 20
        while _case_of(services, "j-1") is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _case_of(services, "j-1") is not None
        again = _send(client, seed.skylot_secret, body)  # a retried delivery
        assert again.status_code == 202
    with services.engine.connect() as conn:
        stored = conn.execute(select(t.posts.c.id).where(t.posts.c.platform_post_id == "j-1"))
        assert len(stored.all()) == 1


@pytest.mark.nats
def test_in_scaled_mode_the_webhook_publishes_and_a_worker_stores_the_post(
    tmp_path: Path,
) -> None:
    from tests.e2e.conftest import seed as seed_fixture
    from tests.integration.test_jetstream_workers import NATS_URL, _reachable

    try:
        asyncio.run(_reachable())
    except Exception as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"NATS not reachable at {NATS_URL}: {exc!r}", pytrace=False)
        pytest.skip(f"NATS not reachable at {NATS_URL}: {exc!r}")
    names = Names(f"mdtest-{uuid.uuid4().hex[:10]}")
    settings = Settings(data_dir=tmp_path, nats_url=NATS_URL, nats_prefix=names.prefix)
    services = bootstrap(settings, clock=FixedClock(NOW))
    try:
        seed = seed_fixture.__wrapped__(services)  # type: ignore[attr-defined]
        with TestClient(create_app(services), base_url="http://testserver") as client:
            body = json.dumps(raw_post("n-1", "@skylot lost my bag in Oslo")).encode()
            answer = _send(client, seed.skylot_secret, body)
            assert answer.status_code == 202 and answer.json()["status"] == "queued"
            assert _case_of(services, "n-1") is None  # not stored by the web app itself
        worker = JetStreamWorker(services.pipeline, services.uow, NATS_URL, names)
        asyncio.run(worker.run(once=True, idle=1.0))
        assert _case_of(services, "n-1") is not None
    finally:
        services.close()

        async def drop() -> None:
            client = await nats.connect(NATS_URL)
            await client.jetstream().delete_stream(names.stream)
            await client.close()

        asyncio.run(drop())
