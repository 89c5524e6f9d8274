"""Draining the inbound journal: webhook bodies stored on receipt go through the pipeline in
batches, behind the webhook's answer.

A body is marked done only after the pipeline committed it; a drain killed in between leaves
it queued, and the next drain finds the post stored (``duplicate``: nothing changes). A batch
that fails as a whole (the database went away) is retried at the next drain; a body that
failed ``MAX_ATTEMPTS`` times is given up and kept in ``rejected_inputs`` with the reason, so
nothing is lost and nothing is silent."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.ports import Clock
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.pipeline.payload import loads_json
from mentiondesk.pipeline.runner import ImportStats, IngestResult, InProcessPipeline
from mentiondesk.storage.repositories.inbound_journal import JournalEntry
from mentiondesk.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BATCH = 512


@dataclass(slots=True)
class DrainStats:
    taken: int = 0
    failed: int = 0
    given_up: int = 0
    results: ImportStats = field(default_factory=ImportStats)


def do_journal_body(
    uow: UnitOfWork, workspace: Workspace, source: str, body: bytes, *, clock: Clock
) -> IngestResult:
    """Store an authenticated body to be processed behind; committed before the answer."""
    journal_id = uow.journal.add(workspace.id, source, body, now=clock.now())
    uow.commit()
    return IngestResult("queued", journal_id=journal_id)


def drain_journal(
    pipeline: InProcessPipeline,
    uow: Callable[[], UnitOfWork],
    clock: Clock,
    *,
    batch: int = BATCH,
) -> DrainStats:
    """Process up to ``batch`` queued bodies, oldest first."""
    stats = DrainStats()
    with uow() as work:
        entries = work.journal.queued(batch)
        workspaces = {i: work.workspaces.get(i) for i in {e.workspace_id for e in entries}}
    if not entries:
        return stats
    stats.taken = len(entries)
    items: list[tuple[Workspace, object, str]] = []
    parsed: list[JournalEntry] = []
    unreadable: list[JournalEntry] = []
    for entry in entries:
        workspace = workspaces[entry.workspace_id]
        assert workspace is not None, "a journal row belongs to a workspace"
        try:
            raw = loads_json(entry.body)
        except InvalidInput as exc:
            stats.results.add(
                pipeline.reject(
                    workspace, entry.body, source=entry.source, field=exc.field, reason=exc.reason
                )
            )
            unreadable.append(entry)
            continue
        items.append((workspace, raw, entry.source))
        parsed.append(entry)
    try:
        for result in pipeline.ingest_batch(items):
            stats.results.add(result)
    except Exception as exc:  # the batch as a whole: retried, then given up with the reason
        log.exception("draining %d journal rows failed", len(parsed))
        _record_failure(pipeline, uow, clock, parsed, workspaces, exc, stats)
        parsed = []
    with uow() as work:
        work.journal.mark_done([e.id for e in parsed + unreadable], now=clock.now())
        work.commit()
    return stats


def _record_failure(
    pipeline: InProcessPipeline,
    uow: Callable[[], UnitOfWork],
    clock: Clock,
    entries: list[JournalEntry],
    workspaces: dict[int, Workspace | None],
    exc: Exception,
    stats: DrainStats,
) -> None:
    reason = f"unexpected {type(exc).__name__}: {exc}"[:2000]
    for entry in entries:
        give_up = entry.attempts + 1 >= MAX_ATTEMPTS
        if give_up:
            pipeline.reject(
                workspaces[entry.workspace_id],
                entry.body,
                source=entry.source,
                field="journal",
                reason=f"failed {MAX_ATTEMPTS} times: {reason}",
                kind="dead-letter",
            )
            stats.given_up += 1
        with uow() as work:
            work.journal.record_failure(entry.id, reason, give_up=give_up, now=clock.now())
            work.commit()
        stats.failed += 1


def drain_until_empty(
    pipeline: InProcessPipeline, uow: Callable[[], UnitOfWork], clock: Clock
) -> DrainStats:
    """Drain batch after batch until nothing is queued or a batch fails (``worker --once``)."""
    total = DrainStats()
    while True:
        stats = drain_journal(pipeline, uow, clock)
        total.taken += stats.taken
        total.failed += stats.failed
        total.given_up += stats.given_up
        for name in ("created", "duplicate", "rejected"):
            setattr(
                total.results, name, getattr(total.results, name) + getattr(stats.results, name)
            )
        if stats.taken == 0 or stats.failed:
            return total
