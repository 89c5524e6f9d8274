"""The Jetstream loop: connect, read in batches, match, hand on, reconnect where it stopped.

``JetstreamConsumer.run`` reads messages from ``/subscribe`` into batches (up to
``batch_size`` messages or ``batch_seconds``), passes each through ``read_and_match`` and
calls ``deliver(batch)`` — the place to store the events and then the cursor. When the
connection drops it reconnects with backoff from the stored cursor; Jetstream replays from
there and ``JetstreamCursor`` drops what was already processed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import websockets
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from mentiondesk.connectors.bluesky.jetstream import (
    JetstreamBatch,
    JetstreamCursor,
    TextMatcher,
    read_and_match,
    subscribe_url,
)

__all__ = ["JetstreamConsumer"]

Deliver = Callable[[JetstreamBatch], Awaitable[None] | None]


class JetstreamConsumer:
    def __init__(
        self,
        base_url: str,
        matcher: TextMatcher,
        deliver: Deliver,
        *,
        cursor: JetstreamCursor | None = None,
        brand_did: str | None = None,
        batch_size: int = 500,
        batch_seconds: float = 0.5,
        max_backoff: float = 60.0,
    ) -> None:
        self.base_url = base_url
        self.matcher = matcher
        self.deliver = deliver
        self.cursor = cursor or JetstreamCursor()
        self.brand_did = brand_did
        self.batch_size = batch_size
        self.batch_seconds = batch_seconds
        self.max_backoff = max_backoff
        self.connections = 0
        self.last_error: str | None = None
        self._stop = asyncio.Event()

    def stop(self) -> None:
        self._stop.set()

    async def run(self, *, max_connections: int | None = None) -> None:
        """Read until ``stop()`` (or ``max_connections`` connections have ended)."""
        backoff = 1.0
        while not self._stop.is_set():
            if max_connections is not None and self.connections >= max_connections:
                return
            self.connections += 1
            try:
                await self._connection()
                backoff = 1.0
            except (OSError, ConnectionClosed, InvalidHandshake, InvalidURI) as exc:
                self.last_error = f"{type(exc).__name__}: {exc}"
                if self._stop.is_set():
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=backoff)
                backoff = min(backoff * 2, self.max_backoff)

    async def _connection(self) -> None:
        url = subscribe_url(self.base_url, self.cursor.resume())
        async with websockets.connect(url, max_size=2**22, open_timeout=10) as socket:
            lines: list[bytes | str] = []
            loop = asyncio.get_running_loop()
            deadline = loop.time() + self.batch_seconds
            try:
                while not self._stop.is_set():
                    timeout = max(deadline - loop.time(), 0.001)
                    with contextlib.suppress(TimeoutError):
                        lines.append(await asyncio.wait_for(socket.recv(), timeout=timeout))
                    if len(lines) >= self.batch_size or loop.time() >= deadline:
                        await self._flush(lines)
                        lines = []
                        deadline = loop.time() + self.batch_seconds
            finally:
                await self._flush(lines)

    async def _flush(self, lines: list[bytes | str]) -> None:
        if not lines:
            return
        before = self.cursor.time_us
        batch = read_and_match(lines, self.matcher, self.cursor, brand_did=self.brand_did)
        try:
            outcome = self.deliver(batch)
            if outcome is not None:
                await outcome
        except BaseException:
            self.cursor.time_us = before  # not delivered: read it again after a reconnect
            raise
