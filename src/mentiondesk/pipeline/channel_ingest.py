"""Handing what an open channel read to the pipeline, with the channel's cursors committed in
the same transaction as the posts they cover, and keeping the channel's health.

The posts of one read are routed in one transaction (``RouteToCase.many``); the cursors are
written inside it, right before its commit, so a restart resumes exactly after what was
stored — no gap, and no post read twice. When the batch cannot go in one transaction (the
runner then routes post by post) or nothing was routed, the cursors are stored after the
posts: a crash in between re-reads posts whose idempotent insert keeps them once.
A malformed entry is kept in ``rejected_inputs`` with the channel and the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from mentiondesk.connectors.inbound import InboundEvent, Rejected
from mentiondesk.desk.channels import do_mark_disconnected
from mentiondesk.domain.channels import ChannelAccount
from mentiondesk.domain.ports import Clock
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.pipeline.runner import InProcessPipeline
from mentiondesk.pipeline.stages import PipelineItem, RouteToCase, Stage
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["ChannelIngest", "IngestCount", "source_of"]


def source_of(account: ChannelAccount) -> str:
    """How ``rejected_inputs`` names the channel an input came from."""
    return f"channel:{account.id}:{account.kind}"


@dataclass(slots=True)
class IngestCount:
    new: int = 0
    duplicates: int = 0
    rejected: int = 0
    ignored: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: IngestCount) -> None:
        self.new += other.new
        self.duplicates += other.duplicates
        self.rejected += other.rejected
        self.ignored += other.ignored
        self.errors.extend(other.errors)


class _RouteWithCursors:
    """``RouteToCase`` whose batch transaction also stores the channel's cursors."""

    def __init__(self, route: RouteToCase, write: Callable[[UnitOfWork], None]) -> None:
        self.route = route
        self.write = write
        self.wrote = False
        self.__name__ = "RouteToCase"

    def __call__(self, item: PipelineItem) -> PipelineItem:
        return self.route(item)

    def many(self, items: list[PipelineItem]) -> list[PipelineItem]:
        base = self.route.uow_factory
        batch = RouteToCase(lambda: base().also_on_commit(self.write), self.route.clock)
        done = batch.many(items)
        self.wrote = True
        return done


class ChannelIngest:
    """``ingest(account, events, rejected, cursors)`` for the channel worker."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        stages: Callable[[], Sequence[Stage]],
        clock: Clock,
    ) -> None:
        self.uow = uow_factory
        self.stages = stages  # normalise, match, triage, route (the last one a RouteToCase)
        self.clock = clock

    def ingest(
        self,
        account: ChannelAccount,
        workspace: Workspace,
        events: Sequence[InboundEvent],
        rejected: Sequence[Rejected],
        cursors: dict[str, str],
    ) -> IngestCount:
        count = IngestCount()
        source = source_of(account)
        now = self.clock.now()

        def write(uow: UnitOfWork) -> None:
            if cursors:
                uow.channels.set_cursors(account.id, cursors, now=now)

        stages = list(self.stages())
        route = stages[-1]
        assert isinstance(route, RouteToCase), "the route stage runs last"
        routed = _RouteWithCursors(route, write)
        pipeline = InProcessPipeline([*stages[:-1], routed], self.uow, self.clock)
        for bad in rejected:
            pipeline.reject(
                workspace, bad.fragment, source=source, field="entry", reason=bad.reason
            )
            count.rejected += 1
        items: list[tuple[Workspace, Any, str]] = []
        for event in events:
            if event.post is None or event.ours:
                count.ignored += 1  # a deletion, or the brand's own words
                continue
            raw = dict(event.post)
            given = raw.get("meta")
            meta: dict[str, Any] = given if isinstance(given, dict) else {}
            raw["meta"] = {**meta, "channel_account": account.external_id, "heard": event.kind}
            items.append((workspace, raw, source))
        for result in pipeline.ingest_batch(items) if items else []:
            if result.status == "created":
                count.new += 1
            elif result.status == "duplicate":
                count.duplicates += 1
            else:
                count.rejected += 1
        if not routed.wrote and cursors:
            with self.uow() as uow:
                write(uow)
                uow.commit()
        return count

    def healthy(
        self,
        account: ChannelAccount,
        *,
        newest: datetime | None,
        heard: bool,
        note: str = "",
        spent: tuple[Decimal, str] | None = None,
        secrets: dict[str, str] | None = None,
    ) -> None:
        """After a good read: the lag behind the platform, the error cleared (or the note)."""
        now = self.clock.now()
        values: dict[str, Any] = {
            "lag_seconds": max((now - newest).total_seconds(), 0.0) if newest else 0.0,
            "last_error": note,
            "last_error_at": now if note else None,
            "retry_at": None,
        }
        with self.uow() as uow:
            uow.channels.record_health(account.id, **values)
            if spent is not None:
                uow.channels.add_spend(account.id, *spent)
            if secrets is not None:
                uow.channels.store_secrets(account.id, secrets)
            if heard:
                uow.channels.touch(account.id, now)
            uow.commit()

    def failed(self, account: ChannelAccount, reason: str, retry_at: datetime | None) -> None:
        with self.uow() as uow:
            uow.channels.record_health(
                account.id,
                last_error=reason[:2000],
                last_error_at=self.clock.now(),
                retry_at=retry_at,
            )
            uow.commit()

    def disconnected(self, account: ChannelAccount, reason: str) -> None:
        """The credentials stopped working: only this channel is marked, with the reason."""
        with self.uow() as uow:
            do_mark_disconnected(uow, account.id, reason, now=self.clock.now())
        self.failed(account, reason, None)
