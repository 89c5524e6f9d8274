"""The four stages and the item that flows through them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from mentiondesk.desk.routing import Routable, RouteOutcome, do_route_post, do_route_posts
from mentiondesk.domain.errors import ConcurrentChange
from mentiondesk.domain.ports import BatchTriager, BrandMatcher, Clock, Triager
from mentiondesk.domain.posts import InboundPost, Mention
from mentiondesk.domain.triage import TriageResult
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.pipeline.payload import parse_payload
from mentiondesk.storage.unit_of_work import UnitOfWork


@dataclass(slots=True)
class PipelineItem:
    workspace: Workspace
    raw: Any
    source: str
    post: InboundPost | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    mentions: tuple[Mention, ...] = ()
    triage: TriageResult | None = None
    outcome: RouteOutcome | None = None


Stage = Callable[[PipelineItem], PipelineItem]


def normalise(item: PipelineItem) -> PipelineItem:
    """Validate the raw payload into an ``InboundPost`` (raises ``InvalidInput``)."""
    payload = parse_payload(item.raw)
    item.post = payload.to_inbound()
    item.meta = payload.meta
    return item


@dataclass(slots=True)
class MatchBrand:
    matcher: BrandMatcher

    def __call__(self, item: PipelineItem) -> PipelineItem:
        assert item.post is not None, "normalise runs first"
        item.mentions = tuple(self.matcher.match(item.workspace, item.post))
        return item


@dataclass(slots=True)
class TriagePost:
    triager: Triager
    clock: Clock
    order_patterns: Callable[[int], str | None]

    def many(self, items: list[PipelineItem]) -> list[PipelineItem]:
        """Triage a chunk in one model call when the triager can (imports, replays)."""
        if not isinstance(self.triager, BatchTriager) or not items:
            return [self(item) for item in items]
        now = self.clock.now()
        by_workspace: dict[int, list[PipelineItem]] = {}
        for item in items:
            by_workspace.setdefault(item.workspace.id, []).append(item)
        for group in by_workspace.values():
            workspace = group[0].workspace
            results = self.triager.triage_posts(
                [(self._seen_by_triage(item), self._mentioned(item)) for item in group],
                languages=workspace.languages,
                now=now,
                order_pattern=self.order_patterns(workspace.id),
            )
            for item, result in zip(group, results, strict=True):
                item.triage = result
        return items

    @staticmethod
    def _seen_by_triage(item: PipelineItem) -> InboundPost:
        """For triage, a post that @-tags the brand is addressed to it like a DM or a comment
        under its own post: somebody expects an answer."""
        assert item.post is not None, "normalise runs first"
        if not item.post.to_brand and any(m.tagged for m in item.mentions):
            return replace(item.post, to_brand=True)
        return item.post

    @staticmethod
    def _mentioned(item: PipelineItem) -> bool:
        assert item.post is not None, "normalise runs first"
        return bool(item.mentions) or item.post.to_brand

    def __call__(self, item: PipelineItem) -> PipelineItem:
        item.triage = self.triager.triage(
            self._seen_by_triage(item),
            mentioned=self._mentioned(item),
            languages=item.workspace.languages,
            now=self.clock.now(),
            order_pattern=self.order_patterns(item.workspace.id),
        )
        return item


@dataclass(slots=True)
class RouteToCase:
    uow_factory: Callable[[], UnitOfWork]
    clock: Clock

    attempts: int = 3

    def __call__(self, item: PipelineItem) -> PipelineItem:
        """Route the post; if an agent saved its case at the same moment, the whole
        transaction is rolled back and routed again against the fresh case."""
        for attempt in range(1, self.attempts + 1):
            try:
                return self._route(item)
            except ConcurrentChange:
                if attempt == self.attempts:
                    raise
        raise AssertionError("unreachable")

    def many(self, items: list[PipelineItem]) -> list[PipelineItem]:
        """Route a chunk in one transaction per workspace (``do_route_posts``). If that
        raises (a concurrent writer, a post that breaks a constraint) nothing of it is kept,
        and the runner routes the chunk again post by post, with the retries above."""
        by_workspace: dict[int, list[PipelineItem]] = {}
        for item in items:
            by_workspace.setdefault(item.workspace.id, []).append(item)
        for group in by_workspace.values():
            batch = []
            for item in group:
                assert item.post is not None, "normalise runs first"
                batch.append(Routable(item.post, item.mentions, item.triage, item.meta))
            with self.uow_factory() as uow:
                outcomes = do_route_posts(uow, group[0].workspace, batch, now=self.clock.now())
            for item, outcome in zip(group, outcomes, strict=True):
                item.outcome = outcome
        return items

    def _route(self, item: PipelineItem) -> PipelineItem:
        assert item.post is not None, "normalise runs first"
        with self.uow_factory() as uow:
            item.outcome = do_route_post(
                uow,
                item.workspace,
                item.post,
                mentions=item.mentions,
                triage=item.triage,
                meta=item.meta,
                now=self.clock.now(),
            )
        return item
