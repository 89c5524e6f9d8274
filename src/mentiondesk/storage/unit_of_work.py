"""One transaction per service call. Events collected during it are published after commit."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from sqlalchemy import Connection, Engine

from mentiondesk.domain.events import Event
from mentiondesk.storage.repositories.agents import AgentRepository
from mentiondesk.storage.repositories.alerts import AlertRepository
from mentiondesk.storage.repositories.approvals import ApprovalRepository
from mentiondesk.storage.repositories.audit import AuditRepository, RejectedInputRepository
from mentiondesk.storage.repositories.cases import CaseRepository
from mentiondesk.storage.repositories.channels import ChannelRepository
from mentiondesk.storage.repositories.corrections import CorrectionRepository
from mentiondesk.storage.repositories.customers import CustomerRepository
from mentiondesk.storage.repositories.erasure import ErasureRepository
from mentiondesk.storage.repositories.hours_posts import HoursPostRepository
from mentiondesk.storage.repositories.inbound_journal import InboundJournalRepository
from mentiondesk.storage.repositories.inbox import InboxQueries
from mentiondesk.storage.repositories.inbox_views import InboxViewRepository
from mentiondesk.storage.repositories.integrations import (
    ApiTokenRepository,
    WebhookSubscriptionRepository,
)
from mentiondesk.storage.repositories.lifecycle import LifecycleRepository
from mentiondesk.storage.repositories.listening import (
    ListeningPosts,
    ProfileRepository,
    QueryRepository,
)
from mentiondesk.storage.repositories.moderation import ModerationRepository
from mentiondesk.storage.repositories.outbox import OutboxRepository
from mentiondesk.storage.repositories.pending_effects import PendingEffectRepository
from mentiondesk.storage.repositories.posts import AuthorRepository, PostRepository
from mentiondesk.storage.repositories.presence import PresenceRepository
from mentiondesk.storage.repositories.replies import ReplyRepository
from mentiondesk.storage.repositories.reply_settings import ReplySettingsRepository
from mentiondesk.storage.repositories.saved_replies import SavedReplyRepository
from mentiondesk.storage.repositories.sla import SlaRepository
from mentiondesk.storage.repositories.throttles import ThrottleRepository
from mentiondesk.storage.repositories.workspaces import (
    SessionRepository,
    SourceRepository,
    UserRepository,
    WorkspaceRepository,
)

T = TypeVar("T")


class Dispatcher(Protocol):
    """What the unit of work hands its events to (the handler table, wired in bootstrap).

    ``before_commit`` runs inside the transaction: it writes the durable records of what must
    follow (outbox rows, pending effects) beside the change itself, and returns what to run
    once the change is committed. A follow-up that fails there stays written down for a sweep."""

    def before_commit(self, uow: UnitOfWork, events: Sequence[Event]) -> Callable[[], None]: ...


if TYPE_CHECKING:
    from mentiondesk.storage.secret_box import SecretBox


class HeldTransactionRolledBack(RuntimeError):
    """A call inside ``hold_commits`` rolled back: everything held before it is gone too, so
    the caller must redo its calls one transaction each."""


class UnitOfWork:
    """``with uow: ...; uow.commit()`` — anything not committed is rolled back on exit."""

    connection: Connection

    def __init__(
        self,
        engine: Engine,
        dispatcher: Dispatcher | None = None,
        *,
        secret_box: SecretBox | None = None,
    ) -> None:
        self._engine = engine
        self._dispatcher = dispatcher
        self._secret_box = secret_box
        self.events: list[Event] = []
        self.commits = 0
        self._held: list[Callable[[], None]] | None = None
        self._read: dict[Hashable, Any] = {}
        self._also: list[Callable[[UnitOfWork], None]] = []

    def also_on_commit(self, write: Callable[[UnitOfWork], None]) -> UnitOfWork:
        """Run ``write(self)`` inside the transaction right before its next commit, so what it
        writes (a channel's cursor) is committed with the change it covers, or not at all."""
        self._also.append(write)
        return self

    def __enter__(self) -> UnitOfWork:
        self.connection = self._engine.connect()
        self._tx = self.connection.begin()
        conn = self.connection
        self.workspaces = WorkspaceRepository(conn)
        self.users = UserRepository(conn)
        self.sessions = SessionRepository(conn)
        self.sources = SourceRepository(conn, self._secret_box)
        self.channels = ChannelRepository(conn, self._secret_box)
        self.throttles = ThrottleRepository(conn)
        self.authors = AuthorRepository(conn)
        self.posts = PostRepository(conn)
        self.cases = CaseRepository(conn)
        self.inbox = InboxQueries(conn)
        self.inbox_views = InboxViewRepository(conn)
        self.replies = ReplyRepository(conn)
        self.audit = AuditRepository(conn)
        self.rejected = RejectedInputRepository(conn)
        self.corrections = CorrectionRepository(conn)
        self.hours_posts = HoursPostRepository(conn)
        self.profiles, self.queries = ProfileRepository(conn), QueryRepository(conn)
        self.listening_posts = ListeningPosts(conn)
        self.moderation, self.erasure = ModerationRepository(conn), ErasureRepository(conn)
        self.sla, self.lifecycle = SlaRepository(conn), LifecycleRepository(conn)
        self.agents, self.presence = AgentRepository(conn), PresenceRepository(conn)
        self.customers = CustomerRepository(conn)
        self.reply_settings = ReplySettingsRepository(conn)
        self.saved_replies = SavedReplyRepository(conn)
        self.outbox, self.pending_effects = OutboxRepository(conn), PendingEffectRepository(conn)
        self.approvals = ApprovalRepository(conn)
        self.journal = InboundJournalRepository(conn)
        self.alerts = AlertRepository(conn)
        self.api_tokens = ApiTokenRepository(conn)
        self.webhooks = WebhookSubscriptionRepository(conn, self._secret_box)
        self.events = []
        return self

    def collect(self, events: Iterable[Event]) -> None:
        self.events.extend(events)

    def hold_commits(self) -> None:
        """Make ``commit`` a checkpoint until ``commit_held``: its events are handed to the
        dispatcher inside the transaction as usual, but the transaction stays open and what
        runs after commit waits. Several service calls (a post's follow-ups, a batch of
        routed posts) then cost one transaction. A rollback drops everything held."""
        self._held = []

    def commit_held(self) -> None:
        """Commit what the checkpoints held in one transaction, then run what follows each."""
        self.release_held()()

    def read_once(self, key: Hashable, load: Callable[[], T]) -> T:
        """``load()``, remembered for the rest of a held transaction: the settings, rules and
        workspace every post of a batch needs are read once, not once per post. Outside a
        held transaction it just loads (a service call may change what it read)."""
        if self._held is None:
            return load()
        if key not in self._read:
            self._read[key] = load()
        return cast(T, self._read[key])

    def release_held(self) -> Callable[[], None]:
        """Commit what the checkpoints held in one transaction; return what follows each
        commit, for the caller to run once its own error handling is out of the way."""
        held, self._held = self._held or [], None
        self._read.clear()
        self.commit()

        def follow() -> None:
            for after_commit in held:
                after_commit()

        return follow

    def commit(self) -> None:
        also, self._also = self._also, []
        for write in also:
            write(self)
        events, self.events = self.events, []
        after_commit = self._dispatcher.before_commit(self, events) if self._dispatcher else None
        if self._held is not None:
            if after_commit is not None:
                self._held.append(after_commit)
            return
        self._tx.commit()
        self.commits += 1
        self._tx = self.connection.begin()
        if after_commit is not None:
            after_commit()

    def rollback(self) -> None:
        self._tx.rollback()
        self.events = []
        if self._held is not None:
            self._held = None
            self._read.clear()
            raise HeldTransactionRolledBack("a rollback undid the held transaction")
        self._tx = self.connection.begin()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._held = None
        if self._tx.is_active:
            self._tx.rollback()
        self.connection.close()


UnitOfWorkFactory = Callable[[], UnitOfWork]
