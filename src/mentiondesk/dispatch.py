"""The dispatcher: hands the events a unit of work collected to the handler table
(``handlers.EVENT_HANDLERS``), each handler in its phase.

- ``IN_TRANSACTION`` handlers run inside the transaction that made the change, just before it
  commits: they write the durable record of what must follow (an outbox row), so the change and
  its consequence commit together or not at all. An ``in_transaction_batch`` handler runs there
  too, once per commit with all of the commit's events it handles (a routed batch of posts
  updates a rollup once, not once per post).
- ``DURABLE`` handlers are written down as a ``pending_effects`` row in that same transaction
  and run right after the commit, all of one commit's together in one transaction that also
  marks their rows done (one transaction per post, or per routed batch, not one per handler);
  if one of them raises, they are redone one transaction each so the others still happen and
  the culprit's failure is recorded. A row left behind (the process was killed, the handler
  raised) is picked up by ``sweep``.
- ``AFTER_COMMIT`` handlers run once the change is safe and may be lost with the process:
  dropping a cache, notifying. Outbox rows queued in the transaction are attempted here too;
  the outbox sweep retries them if this attempt never happens. Rows of a handler made with
  ``in_background`` (calls to other systems' webhooks) are attempted off the caller's thread
  when the dispatcher has a ``background`` runner, so a slow receiver never slows the desk.
- The ``…_BATCH`` phases run a handler once per commit with all of that commit's events it is
  listed for, in order, so a routed batch of 512 posts costs it one call, not 512.

Nothing a handler raises reaches the caller, whose change is already committed: it is logged
with its traceback and, for durable handlers, retried with backoff from its row.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any

from mentiondesk.desk.outbox import OutboxWorker, backoff
from mentiondesk.domain.events import Event
from mentiondesk.domain.ports import Clock
from mentiondesk.storage.repositories.pending_effects import PENDING
from mentiondesk.storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from mentiondesk.analytics.crisis_watch import CrisisWatch
    from mentiondesk.desk.listening_config import ListeningConfig

log = logging.getLogger(__name__)

GRACE = timedelta(minutes=1)  # the sweep leaves a fresh effect to the in-process run
MAX_EFFECT_ATTEMPTS = 10


class Phase(Enum):
    IN_TRANSACTION = "in transaction"
    IN_TRANSACTION_BATCH = "in transaction, once per commit"
    DURABLE = "durable, after commit"
    AFTER_COMMIT = "after commit"
    AFTER_COMMIT_BATCH = "after commit, once per commit"


@dataclass(frozen=True, slots=True)
class Context:
    """What handlers may use besides the event (and, except after commit, the unit of work)."""

    uow: Callable[[], UnitOfWork]
    clock: Clock
    outbox: OutboxWorker
    listening: ListeningConfig | None = None
    crisis: CrisisWatch | None = None
    rota_webhooks: bool = True  # whether alerts are also sent to the rota's webhook URL


@dataclass(frozen=True, slots=True)
class Handler:
    """``fn(event, uow, context)``: ``uow`` is the change's own transaction (in transaction),
    the handler's transaction (durable) or None (after commit). An in-transaction handler
    returns the id (or ids) of the outbox rows it queued, if any."""

    fn: Callable[[Any, Any, Context], object]
    phase: Phase
    background: bool = False  # its outbox rows are attempted off the caller's thread

    @property
    def name(self) -> str:
        return self.fn.__name__


def in_transaction(
    fn: Callable[[Any, UnitOfWork, Context], int | list[int] | None],
) -> Handler:
    return Handler(fn, Phase.IN_TRANSACTION)


def in_background(
    fn: Callable[[Any, UnitOfWork, Context], int | list[int] | None],
) -> Handler:
    """In the transaction, as ``in_transaction``; its rows are attempted in the background."""
    return Handler(fn, Phase.IN_TRANSACTION, background=True)


def in_transaction_batch(fn: Callable[[Sequence[Any], UnitOfWork, Context], None]) -> Handler:
    """``fn(events, uow, context)`` with every event of one commit it is listed for, in order."""
    return Handler(fn, Phase.IN_TRANSACTION_BATCH)


def durable(fn: Callable[[Any, UnitOfWork, Context], None]) -> Handler:
    return Handler(fn, Phase.DURABLE)


def after_commit(fn: Callable[[Any, None, Context], None]) -> Handler:
    return Handler(fn, Phase.AFTER_COMMIT)


def after_commit_batch(fn: Callable[[Sequence[Any], None, Context], None]) -> Handler:
    return Handler(fn, Phase.AFTER_COMMIT_BATCH)


HandlerTable = Mapping[type[Event], Sequence[Handler]]


def encode(event: Event) -> dict[str, Any]:
    """An event as JSON-safe values (datetimes tagged so they come back as datetimes)."""

    def plain(value: Any) -> Any:
        if isinstance(value, datetime):
            return {"$datetime": value.isoformat()}
        if isinstance(value, tuple):
            return [plain(v) for v in value]
        return value

    return {f.name: plain(getattr(event, f.name)) for f in fields(event)}


def decode(cls: type[Event], payload: Mapping[str, Any]) -> Event:
    def revive(value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"$datetime"}:
            return datetime.fromisoformat(value["$datetime"])
        if isinstance(value, list):
            return tuple(revive(v) for v in value)
        return value

    return cls(**{name: revive(value) for name, value in payload.items()})


class Dispatcher:
    """Implements the unit of work's ``Dispatcher`` over a handler table."""

    def __init__(
        self,
        table: HandlerTable,
        context: Context,
        observers: Sequence[Callable[[Sequence[Event]], None]] = (),
        background: Callable[[Callable[[], None]], object] | None = None,
    ) -> None:
        self._table = table
        self._context = context
        self._observers = observers
        self._background = background
        self._durable = {
            h.name: (event_type, h)
            for event_type, handlers in table.items()
            for h in handlers
            if h.phase is Phase.DURABLE
        }

    # -- called by the unit of work ------------------------------------------------------------
    def before_commit(self, uow: UnitOfWork, events: Sequence[Event]) -> Callable[[], None]:
        queued: list[int] = []
        later: list[int] = []
        durable: list[dict[str, Any]] = []
        work: list[tuple[str, Event]] = []
        batches: dict[Callable[..., object], list[Event]] = {}
        now = self._context.clock.now()
        for event in events:
            for handler in self._table.get(type(event), ()):
                if handler.phase is Phase.IN_TRANSACTION:
                    item_id = handler.fn(event, uow, self._context)
                    into = later if handler.background and self._background else queued
                    if isinstance(item_id, int):
                        into.append(item_id)
                    elif isinstance(item_id, list):
                        into.extend(item_id)
                elif handler.phase is Phase.IN_TRANSACTION_BATCH:
                    batches.setdefault(handler.fn, []).append(event)
                elif handler.phase is Phase.DURABLE:
                    durable.append(self._write_down(handler, event))
                    work.append((handler.name, event))
        for fn, batch in batches.items():
            fn(batch, uow, self._context)
        written = uow.pending_effects.add_many(durable, now=now, not_before=now + GRACE)
        pending = {
            written[row["dedupe_key"]]: todo
            for row, todo in zip(durable, work, strict=True)
            if row["dedupe_key"] in written
        }
        return lambda: self._after_commit(events, pending, queued, later)

    @staticmethod
    def _write_down(handler: Handler, event: Event) -> dict[str, Any]:
        """The pending-effect row of ``handler`` for ``event``; written once however often
        the event is dispatched (its key is a digest of both)."""
        payload = encode(event)
        key = json.dumps([handler.name, type(event).__name__, payload], sort_keys=True)
        return {
            "workspace_id": getattr(event, "workspace_id", None),
            "handler": handler.name,
            "event": type(event).__name__,
            "payload": payload,
            "dedupe_key": hashlib.sha256(key.encode()).hexdigest(),
        }

    def _after_commit(
        self,
        events: Sequence[Event],
        pending: Mapping[int, tuple[str, Event]],
        queued: Sequence[int],
        later: Sequence[int] = (),
    ) -> None:
        for observe in self._observers:
            observe(events)
        self.run_effects(list(pending), known=pending)
        self._attempt(queued)
        if later and self._background is not None:
            self._background(lambda: self._attempt(later))
        batches: dict[Handler, list[Event]] = {}
        for event in events:
            for handler in self._table.get(type(event), ()):
                if handler.phase is Phase.AFTER_COMMIT_BATCH:
                    batches.setdefault(handler, []).append(event)
                if handler.phase is not Phase.AFTER_COMMIT:
                    continue
                try:
                    handler.fn(event, None, self._context)
                except Exception:  # committed already; logged, never silent
                    log.exception("handler %s failed on %s", handler.name, event)
        for handler, batch in batches.items():
            try:
                handler.fn(batch, None, self._context)
            except Exception:
                log.exception("handler %s failed on %d events", handler.name, len(batch))

    def _attempt(self, item_ids: Sequence[int]) -> None:
        for item_id in item_ids:
            try:
                self._context.outbox.attempt(item_id)
            except Exception:  # the row stays queued; the outbox sweep retries it
                log.exception("outbox item %s: the attempt after commit failed", item_id)

    # -- durable effects --------------------------------------------------------------------
    def run_effect(self, effect_id: int) -> bool:
        """Do one pending effect in a transaction that also marks it done; True when done.
        Safe to call from two places at once: only one takes the row."""
        context = self._context
        with context.uow() as uow:
            effect = uow.pending_effects.get(effect_id)
            if effect is None or effect.status != PENDING or effect.handler not in self._durable:
                return False
            event_type, handler = self._durable[effect.handler]
            try:
                if not uow.pending_effects.take(effect_id, now=context.clock.now()):
                    uow.rollback()
                    return False
                before = uow.commits
                handler.fn(decode(event_type, effect.payload), uow, context)
                if uow.commits == before:
                    uow.commit()
            except Exception as exc:
                uow.rollback()
                log.exception("effect %s (%s) failed", effect_id, effect.handler)
                attempts = effect.attempts + 1
                retry_at = (
                    context.clock.now() + backoff(attempts, None)
                    if attempts < MAX_EFFECT_ATTEMPTS
                    else None
                )
                uow.pending_effects.record_failure(effect_id, repr(exc), retry_at=retry_at)
                uow.commit()
                return False
        return True

    def run_effects(
        self,
        effect_ids: Sequence[int],
        known: Mapping[int, tuple[str, Event]] | None = None,
    ) -> int:
        """Do pending effects in one transaction that also marks them done; how many were
        done. ``known`` holds the handler name and event of effects written by this
        process's own commit, which then need not be read back. When one raises, everything
        is rolled back and each is redone on its own (``run_effect``), so one failing handler
        neither blocks nor undoes the others."""
        if len(effect_ids) <= 1:
            return sum(self.run_effect(effect_id) for effect_id in effect_ids)
        context = self._context
        done = 0
        with context.uow() as uow:
            uow.hold_commits()
            try:
                todo = known if known is not None else self._read_back(uow, effect_ids)
                taken = uow.pending_effects.take_many(list(todo), now=context.clock.now())
                for effect_id, (name, event) in sorted(todo.items()):
                    if effect_id in taken:
                        self._durable[name][1].fn(event, uow, context)
                        done += 1
                follow = uow.release_held()
            except Exception:
                log.info("%d effects failed together; redoing them one by one", len(effect_ids))
                follow = None
        if follow is None:
            return sum(self.run_effect(effect_id) for effect_id in effect_ids)
        follow()
        return done

    def _read_back(
        self, uow: UnitOfWork, effect_ids: Sequence[int]
    ) -> dict[int, tuple[str, Event]]:
        """The handler name and event of each pending effect of ``effect_ids`` this table
        knows."""
        todo = {}
        for effect in uow.pending_effects.get_many(effect_ids):
            if effect.status == PENDING and effect.handler in self._durable:
                event_type = self._durable[effect.handler][0]
                todo[effect.id] = (effect.handler, decode(event_type, effect.payload))
        return todo

    def sweep(self, limit: int = 100) -> int:
        """Run every pending effect left behind (due); how many were done."""
        with self._context.uow() as uow:
            due = uow.pending_effects.due(self._context.clock.now(), limit=limit)
        return self.run_effects([effect.id for effect in due])
