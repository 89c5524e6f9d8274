"""The outbox as people see it: a reply's delivery state, the list, and "retry".

Services only: they record and emit (``PlatformActionRequeued``); the handler table has the
outbox worker attempt the row after commit."""

from __future__ import annotations

from datetime import datetime

from mentiondesk.desk.access import Actor
from mentiondesk.domain import events
from mentiondesk.domain.errors import InvalidTransition, NotFound
from mentiondesk.domain.outbox import OutboxItem
from mentiondesk.domain.replies import DeliveryStatus, Reply
from mentiondesk.storage.unit_of_work import UnitOfWork


def reply_state(uow: UnitOfWork, actor: Actor, reply_id: int) -> Reply:
    """The reply as it stands now (after the in-process delivery attempt, if any)."""
    reply = uow.replies.get(actor.workspace.id, reply_id)
    if reply is None:
        raise NotFound(f"no reply {reply_id}")
    return reply


def platform_actions(uow: UnitOfWork, actor: Actor, case_id: int) -> dict[int, list[OutboxItem]]:
    """Hide, unhide and like actions on the case's posts, by post id, oldest first: what the
    case page shows beside each post."""
    by_post: dict[int, list[OutboxItem]] = {}
    for item in uow.outbox.moderation_for_case(actor.workspace.id, case_id):
        if item.post_id is not None and item.reply_id is None:
            by_post.setdefault(item.post_id, []).append(item)
    return by_post


def do_retry_item(uow: UnitOfWork, workspace_id: int, item_id: int, *, now: datetime) -> None:
    """Put a failed row back in the queue with fresh attempts; it is attempted after commit."""
    item = uow.outbox.in_workspace(workspace_id, item_id)
    if item is None:
        raise NotFound(f"no outbox item {item_id}")
    if not uow.outbox.requeue(item.id, now):
        raise InvalidTransition(f"outbox item {item_id} is {item.status.value}, not failed")
    uow.collect([events.PlatformActionRequeued(item.id, workspace_id, now)])
    uow.commit()


def do_retry_reply(uow: UnitOfWork, actor: Actor, reply_id: int, *, now: datetime) -> None:
    """The agent's "retry sending" on a failed reply."""
    actor.require_case_work()
    reply = reply_state(uow, actor, reply_id)
    item = uow.outbox.for_reply(reply.id)
    if item is None or reply.status is not DeliveryStatus.FAILED:
        raise InvalidTransition(f"reply {reply_id} is {reply.status.value}, not failed")
    do_retry_item(uow, actor.workspace.id, item.id, now=now)


def outbox_listing(
    uow: UnitOfWork,
    *,
    workspace_id: int | None = None,
    status: DeliveryStatus | None = None,
    limit: int = 100,
) -> list[OutboxItem]:
    """Newest first; every workspace's when ``workspace_id`` is None (the operator's view)."""
    return uow.outbox.listing(workspace_id=workspace_id, status=status, limit=limit)
