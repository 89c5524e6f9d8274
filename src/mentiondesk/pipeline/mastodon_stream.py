"""Mastodon's user stream, with ``min_id`` polling as the fallback.

While ``GET /api/v1/streaming/user/notification`` is open, a mention reaches the inbox as it
is pushed, and the channel's regular polls skip notifications (hashtags and search are still
polled). Streams are lossy across disconnects, so every connection first backfills: once the
instance accepted the stream, one poll from the stored ``notifications`` cursor runs before
anything streamed is read; what arrives meanwhile waits in the stream and is stored once
(posts are inserted idempotently). A dropped or refused stream hands notifications back to the
polls and is retried with backoff, each retry a poll from the cursor, so nothing is lost while
the instance's streaming server is down.

The cursor only moves forward: the polls and the stream share one lock per channel, and a
streamed notification moves the stored cursor to its id only when that is newer.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from mentiondesk.connectors.inbound import InboundEvent, Rejected
from mentiondesk.connectors.refusals import PlatformRefused, TokenInvalid
from mentiondesk.desk.open_clients import mastodon_client
from mentiondesk.domain.channels import ChannelAccount
from mentiondesk.domain.workspaces import Workspace

if TYPE_CHECKING:
    from mentiondesk.pipeline.listen import ChannelWorker

__all__ = ["MastodonStream", "StreamTiming", "newer_id"]

log = logging.getLogger(__name__)

CURSOR = "notifications"  # the same stream name the polls store their ``min_id`` under


@dataclass(frozen=True, slots=True)
class StreamTiming:
    first_retry: float = 1.0  # seconds before the first reconnect; doubled per failure
    max_retry: float = 300.0
    steady: float = 60.0  # a connection that lasted this long resets the backoff


class _Gone(Exception):
    """The backfill found the credentials revoked: stop streaming this channel."""


class _Unfilled(Exception):
    """The backfill poll failed (recorded on the channel): reconnect later."""


def newer_id(stored: str | None, given: str | None) -> str | None:
    """The later of two Mastodon ids (numeric strings, compared as numbers)."""
    if given is None or not given.isdigit():
        return stored
    if stored is None or not stored.isdigit() or int(given) > int(stored):
        return given
    return stored


class MastodonStream:
    def __init__(
        self,
        worker: ChannelWorker,
        account: ChannelAccount,
        workspace: Workspace,
        timing: StreamTiming | None = None,
    ) -> None:
        self.worker = worker
        self.account = account
        self.workspace = workspace
        self.timing = timing or StreamTiming()

    def run(self, halt: threading.Event) -> None:
        """Stream until ``halt`` is set, reconnecting with backoff; blocking (a thread)."""
        failures = 0
        while not halt.is_set():
            began = time.monotonic()
            try:
                reason = self._read(halt)
            except _Gone:
                return
            except _Unfilled as exc:
                reason = f"backfill failed: {exc}"
            except TokenInvalid as exc:
                self.worker.ingest.disconnected(self.account, exc.reason)
                return
            except PlatformRefused as exc:
                reason = exc.reason
            except Exception as exc:  # a bug must not stop the channel; polling goes on
                log.exception("the Mastodon stream of channel %s failed", self.account.id)
                reason = f"unexpected {type(exc).__name__}: {exc}"
            finally:
                self.worker.set_streaming(self.account.id, False)
            if halt.is_set():
                return
            count, next_poll = self.worker.poll_safely(self.account, self.workspace)  # the fallback
            if count.errors and next_poll == float("inf"):
                return  # disconnected, recorded on the channel
            failures = 0 if time.monotonic() - began >= self.timing.steady else failures + 1
            wait = min(self.timing.first_retry * 2 ** max(failures - 1, 0), self.timing.max_retry)
            retry_at = self.worker.clock.now() + timedelta(seconds=wait)
            if not count.errors:  # a failed poll has recorded its own reason
                note = f"Mastodon stream: {reason}; polling with min_id, reconnecting"
                self.worker.ingest.failed(self.account, note, retry_at)
            halt.wait(wait)

    def _read(self, halt: threading.Event) -> str:
        client = mastodon_client(self.account)
        stream = client.stream(
            "user/notification", opened=self._backfill, keep_going=lambda: not halt.is_set()
        )
        try:
            for result in stream:
                if isinstance(result, InboundEvent):
                    self._store([result], [])
                elif isinstance(result, Rejected):
                    self._store([], [result])
        finally:
            close = getattr(stream, "close", None)
            if callable(close):
                close()  # the response first, then the client's pool
            client.close()
        return "the instance closed the stream"

    def _backfill(self) -> None:
        """The stream is open: poll from the stored cursor, then let the stream take over."""
        count, wait = self.worker.poll_safely(self.account, self.workspace)
        if count.errors and wait == float("inf"):
            raise _Gone
        if count.errors:
            raise _Unfilled(count.errors[0])
        self.worker.set_streaming(self.account.id, True)

    def _store(self, events: list[InboundEvent], rejected: list[Rejected]) -> None:
        ingest = self.worker.ingest
        with self.worker.channel_lock(self.account.id):
            with self.worker.uow() as uow:
                stored = uow.channels.cursors(self.account.id).get(CURSOR)
            moved = stored
            for event in events:
                moved = newer_id(moved, event.cursor)
            cursors = {CURSOR: moved} if moved is not None and moved != stored else {}
            ingest.ingest(self.account, self.workspace, events, rejected, cursors)
        if events:
            newest = max(e.occurred_at for e in events)
            ingest.healthy(self.account, newest=newest, heard=True)
