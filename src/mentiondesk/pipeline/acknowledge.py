"""The stage after routing: acknowledge posts that arrive while the desk is closed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mentiondesk.desk.acknowledgements import do_acknowledge_out_of_hours
from mentiondesk.desk.delivery import ReplyDelivery
from mentiondesk.domain.ports import Clock
from mentiondesk.pipeline.stages import PipelineItem
from mentiondesk.storage.unit_of_work import UnitOfWork


@dataclass(slots=True)
class AcknowledgeOutOfHours:
    """Records the acknowledgement in its own transaction (the post is already safely stored)
    and delivers it after commit; a re-delivered post is never acknowledged twice."""

    uow_factory: Callable[[], UnitOfWork]
    clock: Clock
    delivery: ReplyDelivery

    def __call__(self, item: PipelineItem) -> PipelineItem:
        outcome = item.outcome
        if outcome is None or not outcome.created or outcome.case_id is None:
            return item
        with self.uow_factory() as uow:
            reply = do_acknowledge_out_of_hours(
                uow, item.workspace, outcome.case_id, outcome.post_id, now=self.clock.now()
            )
        if reply is not None:
            self.delivery.deliver(item.workspace.id, reply.id)
        return item
