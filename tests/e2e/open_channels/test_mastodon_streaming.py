"""Mastodon's user stream while the worker runs: a mention pushed over the stream reaches the
inbox without a poll; when the stream drops, the worker falls back to ``min_id`` polling and
reconnects, and nothing is lost or stored twice."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from mentiondesk.connectors.fake_http import RecordedRequest
from mentiondesk.connectors.mastodon.fake_server import FakeMastodonServer
from mentiondesk.pipeline.listen import WorkerTiming
from mentiondesk.pipeline.mastodon_stream import StreamTiming
from tests.e2e.open_channels.harness import Desk

DEADLINE = 30.0


@pytest.fixture
def fake() -> Iterator[FakeMastodonServer]:
    with FakeMastodonServer(token="brand-token", brand_acct="skylot", live_streams=True) as srv:
        yield srv


class Running:
    """``mentiondesk listen`` in-process, polling only once an hour: what arrives sooner came
    over the stream or from a reconnect's backfill."""

    def __init__(self, desk: Desk) -> None:
        self.services = desk.services()
        timing = WorkerTiming(
            poll_seconds=3600.0,
            refresh_seconds=0.5,
            mastodon_retry=StreamTiming(first_retry=0.3, max_retry=1.0),
        )
        self.worker = self.services.channel_worker(timing)
        self.loop = asyncio.new_event_loop()
        self.stop = asyncio.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        self.loop.run_until_complete(self.worker.run(self.stop))

    def __enter__(self) -> Running:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(timeout=20)
        assert not self.thread.is_alive(), "the worker did not stop"
        self.loop.close()
        self.services.close()


def _until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def _polls(fake: FakeMastodonServer) -> list[RecordedRequest]:
    return [r for r in fake.recorder.requests if r.path == "/api/v1/notifications"]


def _summaries(desk: Desk) -> list[str]:
    return [c["summary"] for c in desk.cases()]


def _has(desk: Desk, text: str) -> Callable[[], bool]:
    return lambda: any(text in s for s in _summaries(desk))


def connect(desk: Desk, fake: FakeMastodonServer) -> None:
    desk.ok(
        "channel", "add", "mastodon", "--workspace", "skylot", "--instance", fake.base_url,
        "--token", "brand-token",
    )  # fmt: skip


def test_a_streamed_mention_reaches_the_inbox_without_a_poll(
    desk: Desk, fake: FakeMastodonServer
) -> None:
    connect(desk, fake)
    with Running(desk):
        _until(lambda: fake.streams_opened == 1 and len(_polls(fake)) >= 1, "stream + backfill")
        time.sleep(0.3)  # the backfill's cursor is stored, the stream is live
        polled = len(_polls(fake))
        started = time.monotonic()
        fake.mention("jane@example.social", "@skylot my seat was given away")
        _until(_has(desk, "my seat was given away"), "the streamed mention reached the inbox")
        took = time.monotonic() - started
        assert len(_polls(fake)) == polled, "the mention came over the stream, not a poll"
    assert took < 5.0
    assert _summaries(desk).count("@skylot my seat was given away") <= 1
    assert len(desk.cases()) == 1


def test_the_stream_dropping_mid_way_loses_nothing_and_stores_nothing_twice(
    desk: Desk, fake: FakeMastodonServer
) -> None:
    connect(desk, fake)
    fake.mention("ola@example.social", "@skylot before the worker started")
    with Running(desk):
        _until(_has(desk, "before the worker started"), "the backfill read the older mention")
        _until(lambda: fake.streams_opened == 1, "the stream opened")
        fake.mention("jane@example.social", "@skylot first over the stream")
        _until(_has(desk, "first over the stream"), "the first streamed mention")

        fake.streams_down = True  # the streaming server is down: reconnects are refused
        fake.drop_streams()
        fake.mention("piotr@example.social", "@skylot sent while the stream was down")
        _until(_has(desk, "sent while the stream was down"), "the fallback poll read it")
        assert fake.streams_opened == 1

        fake.streams_down = False
        _until(lambda: fake.streams_opened == 2, "the stream reconnected")
        time.sleep(0.3)
        fake.mention("maria@example.social", "@skylot after the reconnect")
        _until(_has(desk, "after the reconnect"), "the mention after the reconnect")
        fake.drop_streams()  # and once more, a plain cut (the stream is accepted again)
        _until(lambda: fake.streams_opened == 3, "the stream reconnected again")
        time.sleep(0.5)
    texts = sorted(_summaries(desk))
    assert len(texts) == 4, texts
    for said in ("before the worker", "first over", "while the stream was down", "after the"):
        assert sum(said in t for t in texts) == 1, texts
    assert desk.rejected() == []
    polls = _polls(fake)
    assert all(p.param("min_id") is not None for p in polls[1:])
