"""The in-process pipeline: runs the stages in order and records anything it must reject.

Nothing that enters is lost: an input a stage refuses (``InvalidInput``) is kept in
``rejected_inputs`` with the field and the reason; an input that passed validation but made a
later stage fail unexpectedly is kept there too, as a ``dead-letter`` with the error, and the
failure is logged with its traceback. Either way the rest of a batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.ports import Clock
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.pipeline.payload import storable
from mentiondesk.pipeline.stages import PipelineItem, Stage
from mentiondesk.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What happened to one input: ``created``, ``duplicate``, ``rejected`` with a reason,
    ``dead-letter`` (valid, but a later stage failed; kept with the error for the operators),
    or ``queued`` in the inbound journal (``journal_id``) to be processed behind."""

    status: str
    post_id: int | None = None
    case_id: int | None = None
    field: str | None = None
    reason: str | None = None
    rejected_id: int | None = None
    journal_id: int | None = None


@dataclass(slots=True)
class ImportStats:
    created: int = 0
    duplicate: int = 0
    rejected: int = 0

    def add(self, result: IngestResult) -> None:
        """Dead letters count as rejected: both are kept in ``rejected_inputs``."""
        name = "rejected" if result.status == "dead-letter" else result.status
        setattr(self, name, getattr(self, name) + 1)


class InProcessPipeline:
    def __init__(
        self, stages: Sequence[Stage], uow_factory: Callable[[], UnitOfWork], clock: Clock
    ) -> None:
        self._stages = stages
        self._uow_factory = uow_factory
        self._clock = clock

    def ingest(self, workspace: Workspace, raw: Any, *, source: str) -> IngestResult:
        return self._run([PipelineItem(workspace=workspace, raw=raw, source=source)])[0]

    def ingest_batch(self, items: Sequence[tuple[Workspace, Any, str]]) -> list[IngestResult]:
        """(workspace, raw, source) inputs, results in order: normalised and matched one by
        one, triaged together, routed in one transaction per workspace."""
        return self._run([PipelineItem(workspace=w, raw=raw, source=s) for w, raw, s in items])

    def _run(self, items: list[PipelineItem]) -> list[IngestResult]:
        """Run ``items`` through the stages, stage by stage; a stage with a ``many`` method gets
        the whole chunk at once. An item refused by a stage drops out with its reason kept."""
        results: dict[int, IngestResult] = {}
        live = list(enumerate(items))
        for stage in self._stages:
            many = getattr(stage, "many", None)
            if many is not None:
                try:
                    done = many([item for _, item in live])
                    live = [(i, item) for (i, _), item in zip(live, done, strict=True)]
                    continue
                except Exception:  # the culprit is found one by one below
                    log.info("stage %s failed on a chunk; retrying one by one", _name(stage))
            survivors = []
            for index, item in live:
                try:
                    survivors.append((index, stage(item)))
                except InvalidInput as exc:
                    results[index] = self.reject(
                        item.workspace,
                        item.raw,
                        source=item.source,
                        field=exc.field,
                        reason=exc.reason,
                    )
                except Exception as exc:
                    log.exception("stage %s failed on input from %s", _name(stage), item.source)
                    results[index] = self.reject(
                        item.workspace,
                        item.raw,
                        source=item.source,
                        field=_name(stage),
                        reason=f"unexpected {type(exc).__name__}: {exc}"[:2000],
                        kind="dead-letter",
                    )
            live = survivors
        for index, item in live:
            outcome = item.outcome
            assert outcome is not None, "the route stage runs last"
            results[index] = IngestResult(
                "created" if outcome.created else "duplicate", outcome.post_id, outcome.case_id
            )
        return [results[i] for i in range(len(items))]

    def reject(
        self,
        workspace: Workspace | None,
        raw: Any,
        *,
        source: str,
        field: str,
        reason: str,
        kind: str = "rejected",
    ) -> IngestResult:
        """Keep the bad input (bytes, text or parsed JSON) for inspection and say why it was
        refused. The same input from the same source is kept once."""
        payload, digest = storable(raw)
        with self._uow_factory() as uow:
            rejected_id = uow.rejected.add(
                workspace_id=workspace.id if workspace else None,
                source=source,
                field=field,
                reason=storable(reason)[0],
                payload=payload,
                at=self._clock.now(),
                raw_sha256=digest,
                kind=kind,
            )
            uow.commit()
        status = "dead-letter" if kind == "dead-letter" else "rejected"
        return IngestResult(status, field=field, reason=reason, rejected_id=rejected_id)

    def ingest_many(
        self, workspace: Workspace, raws: Iterable[Any], *, source: str, chunk: int = 512
    ) -> Iterator[IngestResult]:
        """Each input in its own transaction, in chunks so batch-capable stages (triage) run
        once per chunk: one bad post never stops the rest."""
        batch: list[PipelineItem] = []
        for raw in raws:
            batch.append(PipelineItem(workspace=workspace, raw=raw, source=source))
            if len(batch) >= chunk:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)


def _name(stage: Any) -> str:
    return getattr(stage, "__name__", type(stage).__name__)
