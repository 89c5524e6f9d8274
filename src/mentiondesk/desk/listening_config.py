"""What each workspace listens for, read once and served from memory to the matcher.

The pipeline matches every post, so reading the profile and the queries from the database per
post would cost more than matching. Entries are dropped when a ``ListeningChanged`` event is
published (a save in this process) and expire after ``max_age`` seconds, which is how a change
made by another process (the CLI next to a running server) arrives.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from mentiondesk.domain.events import Event
from mentiondesk.domain.profiles import BrandProfile, ListeningChanged, SavedQuery
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.listening.matching import identity_profile
from mentiondesk.listening.queries import QueryRejectedError, QuerySyntaxError, compile_query
from mentiondesk.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def _runnable(workspace: Workspace, queries: Sequence[SavedQuery]) -> tuple[SavedQuery, ...]:
    """Queries are validated when saved, but a stricter library version may refuse an old
    one: that query is left out (and logged) rather than failing every incoming post."""
    kept = []
    for query in queries:
        try:
            compile_query(query.text)
        except (QuerySyntaxError, QueryRejectedError) as exc:
            log.warning("workspace %s: saved query %r skipped: %s", workspace.slug, query.name, exc)
            continue
        kept.append(query)
    return tuple(kept)


@dataclass(frozen=True, slots=True)
class _Entry:
    profile: BrandProfile
    queries: tuple[SavedQuery, ...]
    loaded_at: float


class ListeningConfig:
    """The ``profiles=`` and ``queries=`` sources of ``ListeningMatcher``."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        *,
        max_age: float = 30.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._uow = uow_factory
        self._max_age = max_age
        self._now = monotonic
        self._entries: dict[int, _Entry] = {}
        self._lock = threading.Lock()
        self.loads = 0  # database reads so far, for tests and diagnostics

    def profile(self, workspace: Workspace) -> BrandProfile:
        return self._entry(workspace).profile

    def queries(self, workspace: Workspace) -> Sequence[SavedQuery]:
        return self._entry(workspace).queries

    def invalidate(self, workspace_id: int | None = None) -> None:
        with self._lock:
            if workspace_id is None:
                self._entries.clear()
            else:
                self._entries.pop(workspace_id, None)

    def observe(self, events: Iterable[Event]) -> None:
        """Drop what a committed ``ListeningChanged`` made stale."""
        for event in events:
            if isinstance(event, ListeningChanged):
                self.invalidate(event.workspace_id)

    def _entry(self, workspace: Workspace) -> _Entry:
        entry = self._entries.get(workspace.id)
        if entry is not None and self._now() - entry.loaded_at < self._max_age:
            return entry
        with self._uow() as uow:
            stored = uow.profiles.get(workspace.id)
            queries = _runnable(workspace, uow.queries.list(workspace.id, enabled_only=True))
        entry = _Entry(stored or identity_profile(workspace), queries, self._now())
        with self._lock:
            self._entries[workspace.id] = entry
            self.loads += 1
        return entry
