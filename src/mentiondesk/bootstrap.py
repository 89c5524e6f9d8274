"""The composition root: the one place where engines, connectors, models and the pipeline are
built and wired. Nothing else constructs infrastructure."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from mentiondesk.config import Settings
from mentiondesk.connectors.base import Connector
from mentiondesk.connectors.dev import DevConnector
from mentiondesk.desk.delivery import ReplyDelivery
from mentiondesk.domain.events import Event
from mentiondesk.domain.ports import BrandMatcher, Clock, SystemClock, Triager
from mentiondesk.domain.posts import Platform
from mentiondesk.pipeline import stages
from mentiondesk.pipeline.assignment import AssignNewCase
from mentiondesk.pipeline.runner import InProcessPipeline
from mentiondesk.storage.engine import make_engine
from mentiondesk.storage.migrate import upgrade
from mentiondesk.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    engine: Engine
    clock: Clock
    matcher: BrandMatcher
    triager: Triager
    connectors: dict[Platform, Connector]
    published: list[Event] = field(default_factory=list)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine, self._publish)

    def _publish(self, events: Iterable[Event]) -> None:
        for event in events:
            log.debug("event %s", event)
            self.published.append(event)
        del self.published[:-1000]  # keep a short in-memory tail for the UI and tests

    @property
    def pipeline(self) -> InProcessPipeline:
        def order_pattern(workspace_id: int) -> str | None:
            with self.uow() as uow:
                return uow.workspaces.order_pattern(workspace_id)

        return InProcessPipeline(
            [
                stages.normalise,
                stages.MatchBrand(self.matcher),
                stages.TriagePost(self.triager, self.clock, order_pattern),
                stages.RouteToCase(self.uow, self.clock),
                AssignNewCase(self.uow, self.clock),
            ],
            self.uow,
            self.clock,
        )

    @property
    def delivery(self) -> ReplyDelivery:
        return ReplyDelivery(self.uow, self.connectors, self.clock)

    def close(self) -> None:
        self.engine.dispose()


def default_matcher() -> BrandMatcher:
    from mentiondesk.listening.matching import ListeningMatcher

    return ListeningMatcher()


def default_triager() -> Triager:
    from mentiondesk.triage.basic import BasicTriager

    return BasicTriager()


def bootstrap(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    matcher: BrandMatcher | None = None,
    triager: Triager | None = None,
    connectors: dict[Platform, Connector] | None = None,
    migrate: bool = True,
) -> Services:
    """Build the services for ``settings``; migrate the database to the latest schema."""
    settings = settings or Settings()
    if settings.database_url is None:
        Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    if migrate:
        upgrade(engine)
    sent_log = Path(settings.data_dir) / "dev-outbox.jsonl"
    return Services(
        settings=settings,
        engine=engine,
        clock=clock or SystemClock(),
        matcher=matcher or default_matcher(),
        triager=triager or default_triager(),
        connectors=connectors or {p: DevConnector(p, sent_log) for p in Platform},
    )
