"""The pipeline stage after routing: hand a freshly routed, unassigned case to an agent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mentiondesk.desk.assignment import do_auto_assign
from mentiondesk.domain.ports import Clock
from mentiondesk.pipeline.stages import PipelineItem
from mentiondesk.storage.unit_of_work import UnitOfWork


@dataclass(slots=True)
class AssignNewCase:
    """Runs in its own transaction after the post is stored, so a failed assignment never
    loses a post; a re-delivered post (``created`` False) assigns nothing."""

    uow_factory: Callable[[], UnitOfWork]
    clock: Clock

    def __call__(self, item: PipelineItem) -> PipelineItem:
        outcome = item.outcome
        if outcome is None or not outcome.created or outcome.case_id is None:
            return item
        with self.uow_factory() as uow:
            do_auto_assign(uow, item.workspace, outcome.case_id, now=self.clock.now())
        return item
