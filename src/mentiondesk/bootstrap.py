"""The composition root: the one place where engines, connectors, models and the pipeline are
built and wired. Nothing else constructs infrastructure."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from mentiondesk.analytics.crisis_watch import CrisisWatch
from mentiondesk.config import Settings
from mentiondesk.connectors.base import Connector
from mentiondesk.connectors.dev import DevConnector
from mentiondesk.connectors.meta.connector import MetaAccount, MetaConnector
from mentiondesk.connectors.meta.graph import GraphClient
from mentiondesk.connectors.meta.parser import parse_webhook
from mentiondesk.connectors.notify import SmtpMailer, WebhookSender
from mentiondesk.desk.channel_delivery import ChannelConnectors
from mentiondesk.desk.channels import MetaApp
from mentiondesk.desk.inbox_feed import InboxFeed
from mentiondesk.desk.meta_inbound import SOURCE as META_SOURCE
from mentiondesk.desk.meta_inbound import WebhookOutcome, apply_meta_results
from mentiondesk.desk.meta_reconcile import ReconcileReport, do_reconcile, fetch_missing_content
from mentiondesk.desk.open_clients import open_connector
from mentiondesk.desk.outbox import OutboxWorker, RateLimits
from mentiondesk.dispatch import Context, Dispatcher
from mentiondesk.domain.alerts import Notifier
from mentiondesk.domain.channels import ChannelAccount
from mentiondesk.domain.events import Event
from mentiondesk.domain.ports import BrandMatcher, Clock, SystemClock, Triager
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.handlers import EVENT_HANDLERS
from mentiondesk.pipeline import stages
from mentiondesk.pipeline.channel_ingest import ChannelIngest
from mentiondesk.pipeline.listen import ChannelWorker, WorkerTiming
from mentiondesk.pipeline.runner import InProcessPipeline
from mentiondesk.pipeline.stages import Stage
from mentiondesk.replies.history import ReplyHistoryCache
from mentiondesk.storage.engine import make_engine
from mentiondesk.storage.migrate import upgrade
from mentiondesk.storage.secret_box import (
    SecretBox,
    SecretKeyError,
    read_or_create_key_file,
    split_keys,
)
from mentiondesk.storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from mentiondesk.desk.listening_config import ListeningConfig

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    engine: Engine
    clock: Clock
    matcher: BrandMatcher
    triager: Triager
    connectors: dict[Platform, Connector]
    listening: ListeningConfig | None = None
    notifiers: dict[str, Notifier] = field(default_factory=dict)
    crisis: CrisisWatch = field(default_factory=CrisisWatch)
    published: list[Event] = field(default_factory=list)
    reply_history: ReplyHistoryCache = field(default_factory=ReplyHistoryCache)
    secret_box: SecretBox | None = None
    meta: MetaApp | None = None
    channel_connectors: ChannelConnectors | None = None
    inbox_feed: InboxFeed = field(default_factory=InboxFeed)
    outbox: OutboxWorker = field(init=False)
    dispatcher: Dispatcher = field(init=False)
    background: ThreadPoolExecutor = field(init=False)

    def __post_init__(self) -> None:
        limits = RateLimits(self.settings.outbox_rate_limits)
        channels = self.channel_connectors
        self.outbox = OutboxWorker(
            self.uow,
            self.connectors,
            self.clock,
            limits,
            self.notifiers,
            route=channels.route if channels else None,
            hold=channels.hold if channels else None,
        )
        context = Context(self.uow, self.clock, self.outbox, self.listening, self.crisis)
        # Calls to other systems' webhooks leave the request's thread: a slow receiver must
        # not hold an agent's click or an import. Closing waits for the calls in flight.
        self.background = ThreadPoolExecutor(max_workers=2, thread_name_prefix="md-outbound")
        self.dispatcher = Dispatcher(
            EVENT_HANDLERS,
            context,
            observers=[self._record, self.inbox_feed.publish],
            background=self._later,
        )

    def _later(self, job: Callable[[], None]) -> None:
        try:
            self.background.submit(job)
        except RuntimeError:  # closing: the outbox sweep sends what this would have
            log.info("services closing; an outbound call is left to the outbox sweep")

    def uow(self) -> UnitOfWork:
        """A unit of work whose events go through the handler table after commit."""
        return UnitOfWork(self.engine, self.dispatcher, secret_box=self.secret_box)

    def _record(self, events: Sequence[Event]) -> None:
        for event in events:
            log.debug("event %s", event)
            self.published.append(event)
        del self.published[:-1000]  # keep a short in-memory tail for the UI and tests

    def sweep_effects(self) -> int:
        """Run the follow-ups a killed process left behind, then the outbox rows that are
        due; how many of each were done (the web sweeper and ``outbox retry``)."""
        done = self.dispatcher.sweep()
        return done + len(self.outbox.run_due())

    def stages(self) -> list[Stage]:
        """normalise → match brand → triage → route to case (the route stage last)."""

        def order_pattern(workspace_id: int) -> str | None:
            with self.uow() as uow:
                return uow.workspaces.order_pattern(workspace_id)

        return [
            stages.normalise,
            stages.MatchBrand(self.matcher),
            stages.TriagePost(self.triager, self.clock, order_pattern),
            stages.RouteToCase(self.uow, self.clock),
        ]

    @property
    def pipeline(self) -> InProcessPipeline:
        return InProcessPipeline(self.stages(), self.uow, self.clock)

    def channel_worker(self, timing: WorkerTiming | None = None) -> ChannelWorker:
        """The worker that hears every open channel (``mentiondesk listen``, ``serve``)."""
        ingest = ChannelIngest(self.uow, self.stages, self.clock)
        return ChannelWorker(self.uow, ingest, self.matcher, self.clock, timing)

    # -- Meta: webhooks and reconcile, handed to the one pipeline ----------------------------
    def _meta_ingest(self, workspace: Workspace, raw: dict[str, Any], source: str) -> Any:
        return self.pipeline.ingest(workspace, raw, source=source)

    def _meta_reject(self, workspace: Workspace | None, fragment: Any, reason: str) -> Any:
        return self.pipeline.reject(
            workspace, fragment, source=META_SOURCE, field="meta", reason=reason
        )

    def apply_meta_webhook(self, body: bytes) -> WebhookOutcome:
        """A signed webhook body's events, applied (new posts through the pipeline)."""
        return apply_meta_results(
            self.uow,
            parse_webhook(body),
            ingest=self._meta_ingest,
            reject=self._meta_reject,
            app_id=self.meta.app_id if self.meta else "",
            now=self.clock.now(),
        )

    def fetch_meta_content(self, outcome: WebhookOutcome) -> WebhookOutcome:
        """Read from Graph what a webhook only named (mentions, brand posts), then ingest."""
        assert self.meta is not None
        return fetch_missing_content(
            self.uow,
            self.meta,
            outcome.to_fetch,
            ingest=self._meta_ingest,
            reject=self._meta_reject,
            now=self.clock.now(),
        )

    def reconcile_meta(
        self, workspace_id: int | None = None, *, every: timedelta | None = None
    ) -> ReconcileReport:
        """Read connected Pages' recent posts and comments and ingest what is missing."""
        assert self.meta is not None
        return do_reconcile(
            self.uow,
            self.meta,
            ingest=self._meta_ingest,
            reject=self._meta_reject,
            now=self.clock.now(),
            workspace_id=workspace_id,
            every=every,
        )

    def close(self) -> None:
        self.background.shutdown(wait=True)
        if self.channel_connectors is not None:
            self.channel_connectors.close()
        self.engine.dispose()


def default_notifiers(settings: Settings) -> dict[str, Notifier]:
    """E-mail when an SMTP server is configured; the outgoing webhook always (event
    subscriptions sign with their own secrets; alerts need a secret from the settings).
    Without them such outbox rows fail, saying which setting is missing."""
    notifiers: dict[str, Notifier] = {}
    notifiers["webhook"] = WebhookSender(settings.alert_webhook_secret or settings.secret_key)
    if settings.smtp_host:
        notifiers["email"] = SmtpMailer(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_from,
            settings.smtp_user,
            settings.smtp_password,
            settings.smtp_starttls,
        )
    return notifiers


def default_matcher(config: ListeningConfig | None = None) -> BrandMatcher:
    """The listening matcher, reading each workspace's stored profile and enabled queries
    through ``config`` (its identity alone when no config is given)."""
    from mentiondesk.listening.matching import ListeningMatcher

    if config is None:
        return ListeningMatcher()
    return ListeningMatcher(profiles=config.profile, queries=config.queries)


def default_triager() -> Triager:
    from mentiondesk.triage.service import build_triager

    return build_triager()


def secret_box_for(settings: Settings) -> SecretBox:
    """The box that seals stored secrets: the key from the settings, or outside production a
    key generated once into the data folder. Production without a key refuses to start."""
    if settings.secret_key:
        return SecretBox(split_keys(settings.secret_key))
    if settings.env == "production":
        raise SecretKeyError(
            "MENTIONDESK_SECRET_KEY is required when MENTIONDESK_ENV=production "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    return SecretBox(read_or_create_key_file(Path(settings.data_dir)))


def meta_app(settings: Settings) -> MetaApp:
    return MetaApp(
        app_id=settings.meta_app_id,
        app_secret=settings.meta_app_secret,
        verify_token=settings.meta_verify_token,
        graph_url=settings.meta_graph_url,
        dialog_url=settings.meta_dialog_url,
        human_agent=settings.meta_human_agent,
    )


def channel_connectors(
    app: MetaApp, clock: Clock, uow_factory: Callable[[], UnitOfWork] | None = None
) -> ChannelConnectors:
    """One connector per stored channel account: Meta's share one Graph client; each open
    channel gets its platform's connector, built from its configuration; credentials a
    platform renews while answering are stored sealed through ``uow_factory``."""
    graph = GraphClient(app.graph_url, app_secret=app.app_secret or None)

    def store(account_id: int, secrets: dict[str, str]) -> None:
        if uow_factory is None:
            return
        with uow_factory() as uow:
            uow.channels.store_secrets(account_id, secrets)
            uow.commit()

    def build(account: ChannelAccount) -> Connector:
        if account.listened:
            return open_connector(account, store)
        meta_account = MetaAccount(
            account.platform, account.external_id, account.token, account.messaging_id
        )
        return MetaConnector(graph, meta_account, human_agent=app.human_agent)

    return ChannelConnectors(build, clock.now, graph.close)


def private_data_dir(path: Path) -> None:
    """Create the data folder readable by its owner only (0700): it holds the database and
    the key file."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)


def bootstrap(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    matcher: BrandMatcher | None = None,
    triager: Triager | None = None,
    connectors: dict[Platform, Connector] | None = None,
    notifiers: dict[str, Notifier] | None = None,
    migrate: bool = True,
) -> Services:
    """Build the services for ``settings``; migrate the database to the latest schema."""
    settings = settings or Settings()
    if settings.database_url is None or not settings.secret_key:
        private_data_dir(Path(settings.data_dir))
    box = secret_box_for(settings)
    engine = make_engine(settings.resolved_database_url)
    if migrate:
        upgrade(engine, secret_box=box)
        with UnitOfWork(engine, secret_box=box) as uow:
            if uow.sources.seal_plain_secrets():
                uow.commit()
    sent_log = Path(settings.data_dir) / "dev-outbox.jsonl"
    from mentiondesk.desk.listening_config import ListeningConfig

    listening = ListeningConfig(lambda: UnitOfWork(engine))
    clock = clock or SystemClock()
    meta = meta_app(settings)
    return Services(
        settings=settings,
        engine=engine,
        clock=clock,
        matcher=matcher or default_matcher(listening),
        listening=listening,
        triager=triager or default_triager(),
        connectors=connectors or {p: DevConnector(p, sent_log) for p in Platform},
        secret_box=box,
        meta=meta,
        channel_connectors=channel_connectors(
            meta, clock, lambda: UnitOfWork(engine, secret_box=box)
        ),
        notifiers=default_notifiers(settings) if notifiers is None else notifiers,
    )
