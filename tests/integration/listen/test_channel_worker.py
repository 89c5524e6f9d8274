"""The channel worker's loop (as ``mentiondesk listen`` and ``serve`` run it) against fake
Bluesky, Jetstream and Mastodon servers on real SQLite: live Jetstream posts reach the inbox
within seconds, a channel whose credentials stop working is marked disconnected while the
others go on, a paused channel is left alone, and a stop ends every task."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from mentiondesk.bootstrap import Services, bootstrap
from mentiondesk.cli.listen import listening_beside
from mentiondesk.config import Settings
from mentiondesk.connectors.bluesky.fake_server import FakeBluesky, FakeJetstream, jetstream_post
from mentiondesk.connectors.mastodon.fake_server import FakeMastodonServer
from mentiondesk.desk.access import operator_actor
from mentiondesk.desk.channels import do_pause_channel
from mentiondesk.desk.open_channels import OpenChannel, do_connect_open_channel
from mentiondesk.desk.workspaces import do_create_workspace
from mentiondesk.domain.channels import ChannelAccount, ChannelState
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.workspaces import BrandIdentity
from mentiondesk.pipeline.listen import WorkerTiming
from mentiondesk.storage import tables as t

TIMING = WorkerTiming(poll_seconds=0.5, refresh_seconds=0.2, max_backoff=1.0, jetstream_batch=0.05)


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = bootstrap(Settings(data_dir=tmp_path))
    with built.uow() as uow:
        do_create_workspace(
            uow, slug="skylot", name="Skylot", now=datetime.now(UTC),
            brand=BrandIdentity(names=("Skylot",)),
        )  # fmt: skip
    yield built
    built.close()


def connect(services: Services, spec: OpenChannel) -> ChannelAccount:
    with services.uow() as uow:
        return do_connect_open_channel(
            uow, operator_actor(uow, "skylot"), spec, now=datetime.now(UTC)
        )


def bluesky(fake: FakeBluesky, jetstream: FakeJetstream) -> OpenChannel:
    config = {"handle": fake.handle, "service_url": fake.base_url}
    config["jetstream_url"] = jetstream.base_url
    return OpenChannel(Platform.BLUESKY, config, {"app_password": fake.app_password})


@dataclass
class Running:
    stop: Callable[[], None]
    thread: threading.Thread


@pytest.fixture
def listening(services: Services) -> Iterator[Callable[[], Running]]:
    started: list[Running] = []

    def start() -> Running:
        worker = services.channel_worker(TIMING)
        loop = asyncio.new_event_loop()
        stop = asyncio.Event()

        def run() -> None:
            try:
                loop.run_until_complete(worker.run(stop))
            finally:
                loop.run_until_complete(loop.shutdown_default_executor())
                loop.close()

        thread = threading.Thread(target=run)
        thread.start()

        def request_stop() -> None:
            if not loop.is_closed():
                loop.call_soon_threadsafe(stop.set)

        running = Running(request_stop, thread)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()
        running.thread.join(timeout=10)


def cases(services: Services) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.cases)).scalar_one())


def wait_for(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := check()):
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)
    return value


def account(services: Services, account_id: int) -> ChannelAccount:
    with services.uow() as uow:
        found = uow.channels.get(1, account_id)
    assert found is not None
    return found


def test_live_jetstream_posts_reach_the_inbox_within_seconds(
    services: Services, listening: Callable[[], Running]
) -> None:
    with FakeBluesky() as fake, FakeJetstream() as jetstream:
        connect(services, bluesky(fake, jetstream))
        running = listening()
        wait_for(lambda: jetstream.connections)
        waits = []
        for n in range(6):
            sent = time.monotonic()
            at = time.time_ns() // 1000
            jetstream.events.append(
                jetstream_post(f"did:plc:x{n}", f"3kzz{n:09d}", f"skylot delay {n}", at)
            )
            # the first post also loads the triage model and compiles the matcher
            wait_for(lambda n=n: cases(services) == n + 1, timeout=30.0 if n == 0 else 10.0)
            waits.append(time.monotonic() - sent)
        waits = waits[1:]
        running.stop()
        running.thread.join(timeout=10)
    assert not running.thread.is_alive()  # a stop ends every task
    assert max(waits) < 5.0, waits  # typically well under a second; the CI box is shared


def test_a_revoked_channel_is_marked_disconnected_and_the_others_go_on(
    services: Services, listening: Callable[[], Running]
) -> None:
    with (
        FakeMastodonServer(token="t1") as mastodon,
        FakeBluesky() as fake,
        FakeJetstream() as jetstream,
    ):
        spec = OpenChannel(Platform.MASTODON, {"instance_url": mastodon.base_url}, {"token": "t1"})
        broken = connect(services, spec)
        connect(services, bluesky(fake, jetstream))
        mastodon.revoke()
        listening()
        wait_for(lambda: account(services, broken.id).state is ChannelState.DISCONNECTED)
        fake.add_post(
            "did:plc:j", "jane.bsky.social", "@acme.bsky.social Skylot help", reason="mention"
        )
        wait_for(lambda: cases(services) == 1)
    assert "invalid" in account(services, broken.id).state_reason


def test_a_paused_channel_is_not_polled(
    services: Services, listening: Callable[[], Running]
) -> None:
    with FakeMastodonServer(token="t1") as mastodon:
        spec = OpenChannel(Platform.MASTODON, {"instance_url": mastodon.base_url}, {"token": "t1"})
        channel = connect(services, spec)
        with services.uow() as uow:
            do_pause_channel(uow, operator_actor(uow, "skylot"), channel.id, now=datetime.now(UTC))
        listening()
        mastodon.mention("jane@example.social", "@acme Skylot help")
        before = len(mastodon.recorder.requests)
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            assert len(mastodon.recorder.requests) == before
            time.sleep(0.05)
    assert cases(services) == 0


def test_serve_hears_the_channels_in_process_and_stops_with_it(services: Services) -> None:
    with FakeMastodonServer(token="t1") as mastodon:
        spec = OpenChannel(Platform.MASTODON, {"instance_url": mastodon.base_url}, {"token": "t1"})
        connect(services, spec)
        mastodon.mention("jane@example.social", "@acme Skylot lost my bag")
        before = threading.active_count()
        with listening_beside(services):
            wait_for(lambda: cases(services) == 1, timeout=30.0)
        assert threading.active_count() <= before


def test_a_channel_connected_while_listening_is_picked_up(
    services: Services, listening: Callable[[], Running]
) -> None:
    listening()
    with FakeMastodonServer(token="t1") as mastodon:
        mastodon.mention("jane@example.social", "@acme Skylot my seat was double booked")
        spec = OpenChannel(Platform.MASTODON, {"instance_url": mastodon.base_url}, {"token": "t1"})
        connect(services, spec)
        wait_for(lambda: cases(services) == 1)
