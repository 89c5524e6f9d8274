"""Scale-out on NATS JetStream: raw posts published to a stream, processed by any number of
``mentiondesk worker`` processes sharing one durable pull consumer.

A message is acknowledged only after the pipeline committed its batch, so a worker killed
mid-batch leaves its messages to be redelivered (to it or another worker); redelivery changes
nothing, because routing is idempotent (same platform post id → ``duplicate``). A message that
fails ``MAX_DELIVER`` times is published to the dead-letter subject and kept in
``rejected_inputs`` with the reason, then terminated, so nothing is lost and nothing loops."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import nats
from nats.aio.client import Client
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, StreamConfig

from mentiondesk.domain.workspaces import Workspace
from mentiondesk.pipeline.runner import ImportStats, InProcessPipeline
from mentiondesk.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

MAX_DELIVER = 5
BATCH = 256
ACK_WAIT = 60.0  # seconds a worker may hold a batch before it is redelivered


@dataclass(frozen=True, slots=True)
class Names:
    """The stream, subjects and durable consumer of one desk (``prefix`` keeps two desks, or
    two test runs, on one server apart)."""

    prefix: str = "mentiondesk"
    ack_wait: float = ACK_WAIT  # seconds; set when the consumer is first created

    @property
    def stream(self) -> str:
        return f"{self.prefix.upper().replace('.', '_').replace('-', '_')}_POSTS"

    @property
    def subject(self) -> str:
        return f"{self.prefix}.posts"

    @property
    def dead_subject(self) -> str:
        return f"{self.prefix}.dead.posts"

    @property
    def durable(self) -> str:
        return f"{self.prefix}-workers"


DEFAULT = Names()


async def connect(url: str, names: Names = DEFAULT) -> tuple[Client, JetStreamContext]:
    """A connection and its JetStream context, with the stream and consumer in place."""
    client = await nats.connect(url, connect_timeout=5, max_reconnect_attempts=-1)
    js = client.jetstream()
    await js.add_stream(
        StreamConfig(name=names.stream, subjects=[names.subject, names.dead_subject])
    )
    await js.add_consumer(
        names.stream,
        ConsumerConfig(
            durable_name=names.durable,
            filter_subject=names.subject,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=names.ack_wait,
            max_deliver=MAX_DELIVER + 1,  # the last delivery dead-letters it
        ),
    )
    return client, js


def encode(workspace_id: int, source: str, raw: Any) -> tuple[bytes, str]:
    """A message body and its id (JetStream drops a republish of the same id for a while)."""
    body = json.dumps({"workspace_id": workspace_id, "source": source, "raw": raw}).encode()
    return body, hashlib.sha256(body).hexdigest()


async def publish(
    js: JetStreamContext,
    workspace_id: int,
    source: str,
    raws: Iterable[Any],
    names: Names = DEFAULT,
) -> int:
    """Publish raw posts (parsed JSON, as the pipeline takes them); how many were stored."""
    sent = 0
    pending = []
    for raw in raws:
        body, msg_id = encode(workspace_id, source, raw)
        pending.append(js.publish(names.subject, body, headers={"Nats-Msg-Id": msg_id}))
        if len(pending) >= 500:
            sent += len(await asyncio.gather(*pending))
            pending = []
    sent += len(await asyncio.gather(*pending))
    return sent


def publish_sync(
    url: str, workspace_id: int, source: str, raws: Iterable[Any], names: Names = DEFAULT
) -> int:
    async def run() -> int:
        client, js = await connect(url, names)
        try:
            return await publish(js, workspace_id, source, raws, names)
        finally:
            await client.close()

    return asyncio.run(run())


@dataclass(slots=True)
class WorkerStats:
    batches: int = 0
    messages: int = 0
    dead: int = 0
    results: ImportStats | None = None


class JetStreamWorker:
    """Fetches batches from the durable consumer and runs them through the pipeline."""

    def __init__(
        self, pipeline: InProcessPipeline, uow: Any, url: str, names: Names = DEFAULT
    ) -> None:
        self._pipeline = pipeline
        self._uow = uow
        self._url = url
        self._names = names
        self.stats = WorkerStats(results=ImportStats())

    async def run(
        self,
        *,
        once: bool = False,
        idle: float = 1.0,
        on_idle: Callable[[], object] | None = None,
    ) -> WorkerStats:
        """Process batches until stopped; with ``once`` until a fetch finds nothing. When a
        fetch finds nothing, ``on_idle`` runs (in a thread): the sweep of follow-ups a killed
        worker left behind."""
        names = self._names
        client, js = await connect(self._url, names)
        try:
            sub = await js.pull_subscribe(names.subject, durable=names.durable, stream=names.stream)
            while True:
                try:
                    messages = await sub.fetch(BATCH, timeout=idle)
                except (TimeoutError, NatsTimeout):  # nothing waiting
                    if once:
                        return self.stats
                    if on_idle is not None:
                        try:
                            await asyncio.to_thread(on_idle)
                        except Exception:  # logged; the next idle pass tries again
                            log.exception("the idle sweep failed")
                    continue
                await self._handle(js, messages)
        finally:
            await client.close()

    async def _handle(self, js: JetStreamContext, messages: list[Any]) -> None:
        workspaces: dict[int, Workspace | None] = {}
        items: list[tuple[Workspace, Any, str]] = []
        taken: list[Any] = []
        for msg in messages:
            try:
                data = json.loads(msg.data)
                workspace_id = int(data["workspace_id"])
                if workspace_id not in workspaces:
                    workspaces[workspace_id] = await asyncio.to_thread(
                        self._workspace, workspace_id
                    )
                workspace = workspaces[workspace_id]
                if workspace is None:
                    raise LookupError(f"no workspace {workspace_id}")
            except Exception as exc:
                await self._failed(js, msg, None, exc)
                continue
            items.append((workspace, data["raw"], str(data["source"])))
            taken.append(msg)
        if not items:
            return
        try:
            results = await asyncio.to_thread(self._pipeline.ingest_batch, items)
        except Exception as exc:  # the batch as a whole: each message retried, then dead
            log.exception("a batch of %d messages failed", len(items))
            for msg, (workspace, _, _) in zip(taken, items, strict=True):
                await self._failed(js, msg, workspace, exc)
            return
        for msg in taken:
            await msg.ack()  # after commit: a crash before this redelivers, harmlessly
        self.stats.batches += 1
        self.stats.messages += len(taken)
        assert self.stats.results is not None
        for result in results:
            self.stats.results.add(result)

    def _workspace(self, workspace_id: int) -> Workspace | None:
        uow: UnitOfWork
        with self._uow() as uow:
            return uow.workspaces.get(workspace_id)

    async def _failed(
        self, js: JetStreamContext, msg: Any, workspace: Workspace | None, exc: Exception
    ) -> None:
        """Retry later, or after ``MAX_DELIVER`` deliveries dead-letter it with the reason."""
        delivered = msg.metadata.num_delivered
        if delivered < MAX_DELIVER:
            await msg.nak(delay=min(2.0**delivered, 30.0))
            return
        reason = f"failed {delivered} times: {type(exc).__name__}: {exc}"[:2000]
        await js.publish(
            self._names.dead_subject, msg.data, headers={"Mentiondesk-Reason": reason[:500]}
        )
        await asyncio.to_thread(
            self._pipeline.reject,
            workspace,
            msg.data,
            source="jetstream",
            field="message",
            reason=reason,
            kind="dead-letter",
        )
        await msg.term()
        self.stats.dead += 1
