"""The channel worker: every open channel heard at once, one asyncio task per stream.

``ChannelWorker.run(stop)`` keeps a polling task per connected open channel (and a Jetstream
task per Bluesky channel), looks for new, paused, resumed and removed channels every few
seconds, and ends the tasks cleanly when ``stop`` is set (SIGINT/SIGTERM in ``mentiondesk
listen``; the web app's shutdown in ``serve``). ``once()`` polls every polling channel one
time, reads each Jetstream until it is caught up, and returns a summary per channel.

No channel can block another: platform calls run in threads, a failure is recorded on its
channel with the time of the next try (the platform's reset header when it gave one, else an
exponential backoff), credentials that stopped working mark only that channel disconnected.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from mentiondesk.connectors.bluesky.consumer import JetstreamConsumer
from mentiondesk.connectors.bluesky.jetstream import (
    JetstreamBatch,
    JetstreamCursor,
    TextMatcher,
)
from mentiondesk.connectors.refusals import PlatformRefused, TokenInvalid
from mentiondesk.desk.channel_readers import (
    ChannelReader,
    newest,
    reader_for,
    refreshed,
)
from mentiondesk.domain.channels import ChannelAccount, ChannelState
from mentiondesk.domain.ports import BrandMatcher, Clock
from mentiondesk.domain.posts import AuthorRef, InboundPost, Platform
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.pipeline.channel_ingest import ChannelIngest, IngestCount
from mentiondesk.pipeline.mastodon_stream import MastodonStream, StreamTiming
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["ChannelSummary", "ChannelWorker", "WorkerTiming", "text_matcher"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WorkerTiming:
    poll_seconds: float = 60.0  # between two polls of a channel
    refresh_seconds: float = 5.0  # how often new / paused / removed channels are noticed
    max_backoff: float = 900.0
    jetstream_idle: float = 1.0  # ``once``: caught up when nothing came for this long
    jetstream_limit: float = 20.0  # ``once``: at most this long per Jetstream
    jetstream_batch: float = 0.25  # seconds of Jetstream matched and stored together
    mastodon_stream: bool = True  # ``run``: Mastodon's user stream, polling as the fallback
    mastodon_retry: StreamTiming = field(default_factory=StreamTiming)


@dataclass(slots=True)
class ChannelSummary:
    channel_id: int
    channel: str  # "mastodon @acme@fake.social"
    count: IngestCount


def text_matcher(matcher: BrandMatcher, workspace: Workspace, clock: Clock) -> TextMatcher:
    """Jetstream's ``TextMatcher`` for one workspace: a batch of texts through its listening
    profile and saved queries at once (one call per batch, the compiled matcher's hot loop)."""

    def matches(texts: list[str]) -> Sequence[object]:
        now = clock.now()
        author = AuthorRef(Platform.BLUESKY, "jetstream")
        posts = [InboundPost(Platform.BLUESKY, "", t, now, author) for t in texts]
        many = getattr(matcher, "match_many", None)
        if callable(many):
            return [bool(found) for found in many(workspace, posts)]
        return [bool(matcher.match(workspace, post)) for post in posts]

    return matches


def _hears(account: ChannelAccount) -> bool:
    return account.listened and account.state in (
        ChannelState.CONNECTED,
        ChannelState.TOKEN_EXPIRING,
    )


class ChannelWorker:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        ingest: ChannelIngest,
        matcher: BrandMatcher,
        clock: Clock,
        timing: WorkerTiming | None = None,
        readers: Callable[[ChannelAccount], ChannelReader] = reader_for,
    ) -> None:
        self.uow = uow_factory
        self.ingest = ingest
        self.matcher = matcher
        self.clock = clock
        self.timing = timing or WorkerTiming()
        self.readers = readers
        self._readers: dict[tuple[int, str, str], ChannelReader] = {}
        self._lock = threading.Lock()  # polls run in threads; one reader (one session) each
        self._channel_locks: dict[int, threading.Lock] = {}
        self._streaming: set[int] = set()  # channels whose notifications a live stream brings

    # -- what is heard -------------------------------------------------------------------

    def channels(self) -> list[tuple[ChannelAccount, Workspace]]:
        """The open channels to hear now, with their workspaces."""
        with self.uow() as uow:
            found = []
            for account in uow.channels.all():
                workspace = uow.workspaces.get(account.workspace_id) if _hears(account) else None
                if workspace is not None:
                    found.append((account, workspace))
        return found

    def _reader(self, account: ChannelAccount) -> ChannelReader:
        key = (account.id, account.token, repr(sorted(account.config.items())))
        with self._lock:
            if key not in self._readers:
                for old in [k for k in self._readers if k[0] == account.id]:
                    self._readers.pop(old).close()
                self._readers[key] = self.readers(account)
            return self._readers[key]

    def channel_lock(self, channel_id: int) -> threading.Lock:
        """Held while a channel's cursors are read, moved and stored (polls and its stream)."""
        with self._lock:
            return self._channel_locks.setdefault(channel_id, threading.Lock())

    def set_streaming(self, channel_id: int, live: bool) -> None:
        """A live stream brings the channel's notifications: its polls skip them."""
        with self._lock:
            if live:
                self._streaming.add(channel_id)
            else:
                self._streaming.discard(channel_id)

    def close(self) -> None:
        with self._lock:
            readers, self._readers = list(self._readers.values()), {}
        for reader in readers:
            reader.close()

    # -- one poll ------------------------------------------------------------------------

    def poll(self, account: ChannelAccount, workspace: Workspace) -> tuple[IngestCount, float]:
        """Poll the channel once and ingest; ``(count, seconds until the next poll)``."""
        with self.channel_lock(account.id):
            return self._poll(account, workspace)

    def _poll(self, account: ChannelAccount, workspace: Workspace) -> tuple[IngestCount, float]:
        with self.uow() as uow:
            cursors = uow.channels.cursors(account.id)
            fresh = uow.channels.get(account.workspace_id, account.id) or account
        reader = self._reader(account)
        refreshed(reader, fresh, streaming=account.id in self._streaming)
        try:
            read = reader.poll(cursors, list(workspace.brand.names))
        except Exception:
            self._keep_renewed(account, reader)
            raise
        count = self.ingest.ingest(account, workspace, read.events, read.rejected, read.cursors)
        if read.stored is not None and not count.errors:
            try:
                read.stored()  # e.g. Reddit's inbox marked read, only once the posts are kept
            except PlatformRefused as exc:
                log.warning("channel %s: after storing: %s", account.id, exc.reason)
        spent = None
        if read.spent_usd is not None and read.spent_month is not None:
            spent = (read.spent_usd, read.spent_month)
        self.ingest.healthy(
            account,
            newest=newest(read.events),
            heard=bool(read.events),
            note=read.note,
            spent=spent,
            secrets=read.secrets,
        )
        wait = self.timing.poll_seconds * read.slow if read.slow > 0 else float("inf")
        return count, wait

    def _keep_renewed(self, account: ChannelAccount, reader: ChannelReader) -> None:
        """Store credentials a failed poll renewed before failing (X's spent refresh token)."""
        unsaved = getattr(reader, "unsaved_secrets", None)
        secrets = unsaved() if callable(unsaved) else None
        if secrets:
            with self.uow() as uow:
                uow.channels.store_secrets(account.id, secrets)
                uow.commit()

    def poll_safely(
        self, account: ChannelAccount, workspace: Workspace, failures: int = 0
    ) -> tuple[IngestCount, float]:
        """``poll``, with a failure recorded on the channel and the wait before the next try."""
        try:
            return self.poll(account, workspace)
        except TokenInvalid as exc:
            self.ingest.disconnected(account, exc.reason)
            return IngestCount(errors=[f"disconnected: {exc.reason}"]), float("inf")
        except PlatformRefused as exc:
            if exc.failure.code == "gone":  # a feed removed for good (410): stop polling it
                self.ingest.disconnected(account, exc.reason)
                return IngestCount(errors=[f"disconnected: {exc.reason}"]), float("inf")
            wait = exc.retry_after
            if wait is None:
                wait = min(self.timing.poll_seconds * 2 ** (failures + 1), self.timing.max_backoff)
            self.ingest.failed(account, exc.reason, self.clock.now() + timedelta(seconds=wait))
            return IngestCount(errors=[exc.reason]), wait
        except Exception as exc:  # a bug must not stop the other channels; it is recorded
            log.exception("polling channel %s failed", account.id)
            wait = min(self.timing.poll_seconds * 2 ** (failures + 1), self.timing.max_backoff)
            reason = f"unexpected {type(exc).__name__}: {exc}"
            self.ingest.failed(account, reason, self.clock.now() + timedelta(seconds=wait))
            return IngestCount(errors=[reason]), wait

    # -- Jetstream -----------------------------------------------------------------------

    def jetstream(
        self, account: ChannelAccount, workspace: Workspace, count: IngestCount
    ) -> JetstreamConsumer:
        """A consumer for the channel's Jetstream, resuming at the stored cursor; every post
        goes through the workspace's matcher in batches, only matches are stored."""
        with self.uow() as uow:
            stored = uow.channels.cursors(account.id).get("jetstream")
        cursor = JetstreamCursor(int(stored) if stored and stored.isdigit() else None)
        matches = text_matcher(self.matcher, workspace, self.clock)

        async def deliver(batch: JetstreamBatch) -> None:
            assert cursor.time_us is not None or not batch.events
            position = {"jetstream": str(cursor.time_us)} if cursor.time_us is not None else {}
            done = await asyncio.to_thread(
                self.ingest.ingest, account, workspace, batch.events, batch.rejected, position
            )
            count.add(done)
            if batch.events:
                await asyncio.to_thread(
                    self.ingest.healthy, account, newest=newest(batch.events), heard=True
                )

        return JetstreamConsumer(
            account.config.get("jetstream_url", ""),
            matches,
            deliver,
            cursor=cursor,
            brand_did=account.external_id,  # the brand's DID: posts tagging it always count
            batch_seconds=self.timing.jetstream_batch,
        )

    async def _read_jetstream(
        self, account: ChannelAccount, workspace: Workspace, count: IngestCount
    ) -> None:
        """``once``: read until nothing new came for ``jetstream_idle`` seconds."""
        consumer = self.jetstream(account, workspace, count)
        task = asyncio.create_task(consumer.run(max_connections=1))
        started = last_seen = time.monotonic()
        seen = consumer.cursor.time_us
        while not task.done():
            await asyncio.sleep(0.1)
            now = time.monotonic()
            if consumer.cursor.time_us != seen:
                seen, last_seen = consumer.cursor.time_us, now
            idle = now - last_seen > self.timing.jetstream_idle
            if idle or now - started > self.timing.jetstream_limit:
                consumer.stop()
        await task
        if consumer.last_error:
            count.errors.append(f"jetstream: {consumer.last_error}")

    # -- running -------------------------------------------------------------------------

    async def once(self) -> list[ChannelSummary]:
        """One poll of every polling channel, and each Jetstream read until caught up."""
        summaries = []
        for account, workspace in self.channels():
            count, _ = await asyncio.to_thread(self.poll_safely, account, workspace)
            streams = account.platform is Platform.BLUESKY and account.config.get("jetstream_url")
            if streams and not count.errors:
                await self._read_jetstream(account, workspace, count)
            label = f"{account.kind} {account.name}"
            summaries.append(ChannelSummary(account.id, label, count))
        return summaries

    async def run(self, stop: asyncio.Event) -> None:
        """Hear every open channel until ``stop`` is set."""
        tasks: dict[tuple[int, str], asyncio.Task[None]] = {}
        retired: set[asyncio.Task[None]] = set()  # cancelled; a stream thread may still end
        try:
            while not stop.is_set():
                wanted = await asyncio.to_thread(self.channels)
                keys = set()
                for account, workspace in wanted:
                    version = f"{account.updated_at}"
                    key = (account.id, version)
                    keys.add(key)
                    if key not in tasks:
                        tasks[key] = asyncio.create_task(self._hear(account, workspace, stop))
                for key in [k for k in tasks if k not in keys or tasks[k].done()]:
                    task = tasks.pop(key)
                    task.cancel()
                    retired.add(task)
                retired = {t for t in retired if not t.done()}
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self.timing.refresh_seconds)
        finally:
            for task in tasks.values():
                task.cancel()
            await asyncio.gather(*tasks.values(), *retired, return_exceptions=True)
            self.close()

    async def _hear(
        self, account: ChannelAccount, workspace: Workspace, stop: asyncio.Event
    ) -> None:
        streams = [self._poll_loop(account, workspace, stop)]
        if account.platform is Platform.BLUESKY and account.config.get("jetstream_url"):
            streams.append(self._stream_loop(account, workspace, stop))
        if account.platform is Platform.MASTODON and self.timing.mastodon_stream:
            streams.append(self._mastodon_stream(account, workspace, stop))
        await asyncio.gather(*streams)

    async def _mastodon_stream(
        self, account: ChannelAccount, workspace: Workspace, stop: asyncio.Event
    ) -> None:
        """The user stream in a thread until ``stop`` (or the task is cancelled: a paused,
        changed or removed channel); the thread ends at the stream's next heartbeat."""
        halt = threading.Event()
        streamer = MastodonStream(self, account, workspace, self.timing.mastodon_retry)
        reading = asyncio.ensure_future(asyncio.to_thread(streamer.run, halt))
        stopped = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({reading, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            halt.set()
            stopped.cancel()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await reading  # ends at the stream's next chunk or heartbeat

    async def _poll_loop(
        self, account: ChannelAccount, workspace: Workspace, stop: asyncio.Event
    ) -> None:
        failures = 0
        while not stop.is_set():
            count, wait = await asyncio.to_thread(self.poll_safely, account, workspace, failures)
            failures = failures + 1 if count.errors else 0
            if wait == float("inf") and count.errors:
                return  # disconnected: an admin must reconnect (a new task starts then)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=min(wait, 3600.0))

    async def _stream_loop(
        self, account: ChannelAccount, workspace: Workspace, stop: asyncio.Event
    ) -> None:
        """Read Jetstream until ``stop``; a dropped connection (the consumer reconnects from
        the cursor with backoff) is shown on the channel."""
        consumer = self.jetstream(account, workspace, IngestCount())
        reading = asyncio.create_task(consumer.run())
        shown: str | None = None
        while not reading.done() and not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=1.0)
            if consumer.last_error and consumer.last_error != shown:
                shown = consumer.last_error
                reason = f"Jetstream: {shown}; reconnecting from the stored cursor"
                await asyncio.to_thread(self.ingest.failed, account, reason, None)
        consumer.stop()
        with contextlib.suppress(asyncio.CancelledError):
            await reading
