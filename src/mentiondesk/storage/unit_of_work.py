"""One transaction per service call. Events collected during it are published after commit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine

from mentiondesk.domain.events import Event
from mentiondesk.storage.repositories.agents import AgentRepository
from mentiondesk.storage.repositories.audit import AuditRepository, RejectedInputRepository
from mentiondesk.storage.repositories.audit_log import AuditQueries
from mentiondesk.storage.repositories.cases import CaseRepository
from mentiondesk.storage.repositories.corrections import CorrectionRepository
from mentiondesk.storage.repositories.customers import CustomerRepository
from mentiondesk.storage.repositories.erasure import ErasureRepository
from mentiondesk.storage.repositories.hours_posts import HoursPostRepository
from mentiondesk.storage.repositories.inbox import InboxQueries
from mentiondesk.storage.repositories.lifecycle import LifecycleRepository
from mentiondesk.storage.repositories.listening import (
    ListeningPosts,
    ProfileRepository,
    QueryRepository,
)
from mentiondesk.storage.repositories.moderation import ModerationRepository
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

if TYPE_CHECKING:
    from mentiondesk.storage.secret_box import SecretBox

Publisher = Callable[[Iterable[Event]], None]


class UnitOfWork:
    """``with uow: ...; uow.commit()`` — anything not committed is rolled back on exit."""

    connection: Connection

    def __init__(
        self,
        engine: Engine,
        publish: Publisher | None = None,
        *,
        secret_box: SecretBox | None = None,
    ) -> None:
        self._engine = engine
        self._publish = publish
        self._secret_box = secret_box
        self.events: list[Event] = []

    def __enter__(self) -> UnitOfWork:
        self.connection = self._engine.connect()
        self._tx = self.connection.begin()
        conn = self.connection
        self.workspaces = WorkspaceRepository(conn)
        self.users = UserRepository(conn)
        self.sessions = SessionRepository(conn)
        self.sources = SourceRepository(conn, self._secret_box)
        self.throttles = ThrottleRepository(conn)
        self.authors = AuthorRepository(conn)
        self.posts = PostRepository(conn)
        self.cases = CaseRepository(conn)
        self.inbox = InboxQueries(conn)
        self.replies = ReplyRepository(conn)
        self.audit = AuditRepository(conn)
        self.rejected = RejectedInputRepository(conn)
        self.corrections = CorrectionRepository(conn)
        self.hours_posts = HoursPostRepository(conn)
        self.profiles, self.queries = ProfileRepository(conn), QueryRepository(conn)
        self.listening_posts = ListeningPosts(conn)
        self.moderation, self.erasure = ModerationRepository(conn), ErasureRepository(conn)
        self.audit_log = AuditQueries(conn)
        self.sla, self.lifecycle = SlaRepository(conn), LifecycleRepository(conn)
        self.agents, self.presence = AgentRepository(conn), PresenceRepository(conn)
        self.customers = CustomerRepository(conn)
        self.reply_settings = ReplySettingsRepository(conn)
        self.saved_replies = SavedReplyRepository(conn)
        self.events = []
        return self

    def collect(self, events: Iterable[Event]) -> None:
        self.events.extend(events)

    def commit(self) -> None:
        self._tx.commit()
        published, self.events = self.events, []
        if self._publish and published:
            self._publish(published)
        self._tx = self.connection.begin()

    def rollback(self) -> None:
        self._tx.rollback()
        self.events = []
        self._tx = self.connection.begin()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._tx.is_active:
            self._tx.rollback()
        self.connection.close()


UnitOfWorkFactory = Callable[[], UnitOfWork]
