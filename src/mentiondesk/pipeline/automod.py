"""The auto-moderation stage: after routing, run the workspace's enabled rules on a post that
was just stored. A re-delivered post (a duplicate) is left alone, so a rule acts once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from mentiondesk.connectors.base import Connector
from mentiondesk.domain.ports import Clock
from mentiondesk.domain.posts import Platform
from mentiondesk.moderation.actions import ModerationDelivery
from mentiondesk.moderation.rules import apply_rules
from mentiondesk.pipeline.stages import PipelineItem
from mentiondesk.storage.unit_of_work import UnitOfWork


@dataclass(slots=True)
class AutoModerate:
    uow_factory: Callable[[], UnitOfWork]
    clock: Clock
    connectors: Mapping[Platform, Connector]

    def __call__(self, item: PipelineItem) -> PipelineItem:
        outcome = item.outcome
        if outcome is None or not outcome.created:
            return item
        with self.uow_factory() as uow:
            done = apply_rules(uow, item.workspace, outcome.post_id, now=self.clock.now())
        if done:
            delivery = ModerationDelivery(self.uow_factory, self.connectors, self.clock)
            delivery.deliver_all(item.workspace, done)
        return item
