"""Tells open inboxes what changed, as soon as it is committed.

The dispatcher hands every committed batch of events to ``InboxFeed.publish`` (an observer
wired in ``bootstrap``); the feed turns the case events into small ``InboxChange`` messages and
puts them on the queue of each inbox open on that workspace. Publishing happens on whatever
thread committed (a request's worker thread, the pipeline, a CLI); each subscriber lives on
the web server's event loop, so delivery crosses over with ``call_soon_threadsafe``.

Collision presence rides the same queues: an agent opening or typing in a case is published as
a ``PresenceChange`` when the heartbeat is stored, so other agents' lists and panes show it at
once instead of at their next poll.

In process only: a second web process gets its own feed. A subscriber that falls more than
``QUEUE_LIMIT`` changes behind is told to reload once instead of being sent every change.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from mentiondesk.domain import events as ev

__all__ = ["FeedItem", "InboxChange", "InboxFeed", "PresenceChange", "Subscription", "changes_of"]

QUEUE_LIMIT = 500

_KINDS: dict[type[ev.Event], str] = {
    ev.CaseOpened: "opened",
    ev.CustomerWrote: "post",
    ev.CaseAssigned: "assigned",
    ev.CaseReplied: "replied",
    ev.CaseResolved: "resolved",
    ev.CaseReopened: "reopened",
    ev.CaseSnoozed: "snoozed",
    ev.CasesMerged: "merged",
    ev.CaseSplit: "split",
}


@dataclass(frozen=True, slots=True)
class InboxChange:
    """One thing an open inbox should show: ``kind`` happened to case ``case_id``."""

    workspace_id: int
    case_id: int
    kind: str
    agent_id: int | None = None

    def as_sse(self) -> str:
        """The change as one server-sent event (``event: case``, JSON data)."""
        data = {"case_id": self.case_id, "kind": self.kind, "agent_id": self.agent_id}
        return f"event: case\ndata: {json.dumps(data)}\n\n"


@dataclass(frozen=True, slots=True)
class PresenceChange:
    """Agent ``user_id`` is now ``state`` (viewing, typing) on case ``case_id``."""

    workspace_id: int
    case_id: int
    user_id: int
    name: str
    state: str

    def as_sse(self) -> str:
        """The heartbeat as one server-sent event (``event: presence``, JSON data)."""
        data = {"case_id": self.case_id, "user_id": self.user_id, "name": self.name}
        return f"event: presence\ndata: {json.dumps({**data, 'state': self.state})}\n\n"


FeedItem = InboxChange | PresenceChange


def changes_of(events: Iterable[ev.Event]) -> list[InboxChange]:
    """The inbox changes among ``events``; a new post that opened its case counts once."""
    found: list[InboxChange] = []
    opened: set[int] = set()
    for event in events:
        kind = _KINDS.get(type(event))
        case_id = getattr(event, "case_id", None)
        workspace_id = getattr(event, "workspace_id", None)
        if kind is None or not isinstance(case_id, int) or not isinstance(workspace_id, int):
            continue
        if kind == "opened":
            opened.add(case_id)
        elif kind == "post" and case_id in opened:
            continue
        agent = getattr(event, "agent_id", None) if kind == "assigned" else None
        found.append(InboxChange(workspace_id, case_id, kind, agent))
        if kind == "split":
            new_case = getattr(event, "new_case_id", None)
            if isinstance(new_case, int):
                found.append(InboxChange(workspace_id, new_case, "opened"))
    return found


@dataclass(eq=False)
class Subscription:
    """One open inbox: its queue, read on ``loop``. ``behind`` is set when changes were
    dropped because the queue was full; the stream then asks the page to reload."""

    workspace_id: int
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[FeedItem] = field(
        default_factory=lambda: asyncio.Queue(maxsize=QUEUE_LIMIT)
    )
    behind: bool = False

    def offer(self, change: FeedItem) -> None:
        """Runs on the subscriber's loop."""
        try:
            self.queue.put_nowait(change)
        except asyncio.QueueFull:
            self.behind = True


class InboxFeed:
    """The in-process broadcaster: subscribe per workspace, publish committed events."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[int, set[Subscription]] = {}

    def subscribe(self, workspace_id: int) -> Subscription:
        """Call on the event loop that will read the subscription's queue."""
        subscription = Subscription(workspace_id, asyncio.get_running_loop())
        with self._lock:
            self._subscribers.setdefault(workspace_id, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            mine = self._subscribers.get(subscription.workspace_id)
            if mine is not None:
                mine.discard(subscription)
                if not mine:
                    del self._subscribers[subscription.workspace_id]

    def subscribers(self, workspace_id: int) -> int:
        with self._lock:
            return len(self._subscribers.get(workspace_id, ()))

    def publish(self, events: Iterable[ev.Event]) -> None:
        """Hand the changes among ``events`` to the inboxes open on their workspace."""
        for change in changes_of(events):
            self._deliver(change)

    def publish_presence(self, change: PresenceChange) -> None:
        """Hand an agent's stored heartbeat to the inboxes open on its workspace."""
        self._deliver(change)

    def _deliver(self, change: FeedItem) -> None:
        with self._lock:
            targets = list(self._subscribers.get(change.workspace_id, ()))
        for subscription in targets:
            if subscription.loop.is_closed():
                self.unsubscribe(subscription)
                continue
            subscription.loop.call_soon_threadsafe(subscription.offer, change)
