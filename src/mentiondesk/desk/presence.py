"""Collision detection: who else is looking at or answering a case right now.

The case page reports a heartbeat every few seconds and on keystrokes in the composer; sending a
reply while a colleague is typing is refused with ``ConcurrentChange`` until the agent confirms,
so two people do not answer the same customer twice."""

from __future__ import annotations

from datetime import datetime

from mentiondesk.desk.access import Actor
from mentiondesk.desk.inbox_feed import InboxFeed, PresenceChange
from mentiondesk.domain.errors import ConcurrentChange, NotFound
from mentiondesk.domain.presence import TYPING_HOLD, Presence, PresenceState, others, typing
from mentiondesk.storage.unit_of_work import UnitOfWork


def _require_case(uow: UnitOfWork, actor: Actor, case_id: int) -> None:
    if uow.cases.get(actor.workspace.id, case_id) is None:
        raise NotFound(f"no case {case_id}")


def do_report_presence(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    state: PresenceState,
    *,
    now: datetime,
    feed: InboxFeed | None = None,
) -> list[Presence]:
    """Record the actor's heartbeat; return the colleagues on the case. A viewer (the brand's
    client) is never shown as typing: they cannot answer. With ``feed``, the stored state is
    published to the open inboxes after commit."""
    _require_case(uow, actor, case_id)
    if not actor.role.can_act_on_cases:
        state = PresenceState.VIEWING
    uow.presence.report(actor.workspace.id, case_id, actor.user.id, state, now)
    uow.commit()
    entries = uow.presence.for_case(actor.workspace.id, case_id)
    if feed is not None:
        for mine in (p for p in entries if p.user_id == actor.user.id):
            held = now - mine.heartbeat_at < TYPING_HOLD
            typing_now = mine.state is PresenceState.TYPING and held
            shown = PresenceState.TYPING if typing_now else PresenceState.VIEWING
            feed.publish_presence(
                PresenceChange(actor.workspace.id, case_id, mine.user_id, mine.name, shown.value)
            )
    return others(entries, actor.user.id, now)


def who_else(uow: UnitOfWork, actor: Actor, case_id: int, *, now: datetime) -> list[Presence]:
    _require_case(uow, actor, case_id)
    return others(uow.presence.for_case(actor.workspace.id, case_id), actor.user.id, now)


def refuse_if_someone_types(uow: UnitOfWork, actor: Actor, case_id: int, *, now: datetime) -> None:
    """Raise ``ConcurrentChange`` naming the colleagues typing a reply on this case."""
    busy = typing(uow.presence.for_case(actor.workspace.id, case_id), actor.user.id, now)
    if busy:
        names = " and ".join(p.name for p in busy)
        verb = "is" if len(busy) == 1 else "are"
        raise ConcurrentChange(
            f"{names} {verb} typing a reply to this case right now; "
            "tick “Send anyway” to send yours too"
        )


def do_leave_case(uow: UnitOfWork, actor: Actor, case_id: int) -> None:
    """Forget the actor's heartbeat (after sending, or leaving the page)."""
    uow.presence.leave(case_id, actor.user.id)
    uow.commit()
