"""Outgoing event webhooks: a workspace's owners and admins subscribe URLs to what happens in
the desk (``WEBHOOK_EVENTS``); each call is a JSON body signed with the subscription's own
secret, as inbound webhooks are signed (``X-Mentiondesk-Timestamp`` and
``X-Mentiondesk-Signature: sha256=<HMAC-SHA256 of "{ts}." + body>``).

Calls are outbox rows (``notify.webhook`` on channel ``webhook``), queued by the handlers in
``handlers.py`` in the transaction of the change, so the outbox delivers and retries them as it
does alert webhooks. A subscription's deliveries are its outbox rows (their dedupe key starts
``hook:{id}:``), which is what the page lists with their status.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mentiondesk.desk.access import Actor
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.errors import InvalidInput, NotFound
from mentiondesk.domain.integrations import (
    WebhookSubscription,
    WebhookTestRequested,
    parse_events,
    valid_webhook_url,
)
from mentiondesk.domain.outbox import OutboxItem, PlatformAction
from mentiondesk.storage.repositories.integrations import delivery_key_prefix
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = [
    "AddedWebhook",
    "SubscriptionView",
    "case_data",
    "do_add_webhook",
    "do_remove_webhook",
    "do_send_test_event",
    "do_set_webhook_paused",
    "queue_event_calls",
    "queue_test_call",
    "webhook_views",
]

SECRET_PREFIX = "whsec_"
MAX_DESCRIPTION = 200
MAX_SUBSCRIPTIONS = 20


@dataclass(frozen=True, slots=True)
class AddedWebhook:
    subscription: WebhookSubscription
    secret: str  # shown once, to set up the receiver; stored sealed


@dataclass(frozen=True, slots=True)
class SubscriptionView:
    subscription: WebhookSubscription
    deliveries: list[OutboxItem]


def _get(uow: UnitOfWork, actor: Actor, subscription_id: int) -> WebhookSubscription:
    found = uow.webhooks.get(actor.workspace.id, subscription_id)
    if found is None:
        raise NotFound(f"no webhook subscription {subscription_id}")
    return found


def do_add_webhook(
    uow: UnitOfWork,
    actor: Actor,
    url: str,
    events: list[str] | tuple[str, ...],
    *,
    now: datetime,
    description: str = "",
) -> AddedWebhook:
    actor.require_settings()
    clean_url = valid_webhook_url(url)
    chosen = parse_events(events)
    text = " ".join(description.split())
    if len(text) > MAX_DESCRIPTION:
        raise InvalidInput("description", f"at most {MAX_DESCRIPTION} characters")
    if len(uow.webhooks.in_workspace(actor.workspace.id)) >= MAX_SUBSCRIPTIONS:
        raise InvalidInput("url", f"a workspace has at most {MAX_SUBSCRIPTIONS} subscriptions")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    subscription = WebhookSubscription(
        0, actor.workspace.id, clean_url, chosen, now, paused=False, description=text
    )
    new_id = uow.webhooks.add(subscription, secret, actor.user.id or None)
    uow.audit.append(
        AuditEntry.by(
            actor,
            "webhook.add",
            f"webhook:{new_id}",
            at=now,
            data={"url": clean_url, "events": list(chosen)},
        )
    )
    uow.commit()
    return AddedWebhook(_get(uow, actor, new_id), secret)


def webhook_views(uow: UnitOfWork, actor: Actor, deliveries: int = 10) -> list[SubscriptionView]:
    actor.require_settings()
    return [
        SubscriptionView(s, uow.webhooks.deliveries(actor.workspace.id, s.id, deliveries))
        for s in uow.webhooks.in_workspace(actor.workspace.id)
    ]


def do_set_webhook_paused(
    uow: UnitOfWork, actor: Actor, subscription_id: int, paused: bool, *, now: datetime
) -> WebhookSubscription:
    """A paused subscription hears nothing until it is resumed (calls queued before still go)."""
    actor.require_settings()
    found = _get(uow, actor, subscription_id)
    uow.webhooks.set_paused(found.id, paused)
    action = "webhook.pause" if paused else "webhook.resume"
    uow.audit.append(AuditEntry.by(actor, action, f"webhook:{found.id}", at=now))
    uow.commit()
    return _get(uow, actor, subscription_id)


def do_remove_webhook(
    uow: UnitOfWork, actor: Actor, subscription_id: int, *, now: datetime
) -> None:
    actor.require_settings()
    found = _get(uow, actor, subscription_id)
    uow.webhooks.remove(found.id)
    uow.audit.append(
        AuditEntry.by(
            actor, "webhook.remove", f"webhook:{found.id}", at=now, data={"url": found.url}
        )
    )
    uow.commit()


def do_send_test_event(
    uow: UnitOfWork, actor: Actor, subscription_id: int, *, now: datetime
) -> OutboxItem:
    """Queue a ``webhook.test`` call (even when paused), attempted at once after commit; the
    delivery as that attempt left it."""
    actor.require_settings()
    found = _get(uow, actor, subscription_id)
    nonce = secrets.token_hex(6)
    uow.audit.append(AuditEntry.by(actor, "webhook.test", f"webhook:{found.id}", at=now))
    uow.collect([WebhookTestRequested(found.id, actor.workspace.id, nonce, now)])
    uow.commit()
    key = f"{delivery_key_prefix(found.id)}test:{nonce}"
    sent = [
        d for d in uow.webhooks.deliveries(actor.workspace.id, found.id, 20) if d.dedupe_key == key
    ]
    assert sent, "the test call was queued in the committed transaction"
    return sent[0]


# -- what the handlers queue ------------------------------------------------------------------
def case_data(uow: UnitOfWork, workspace_id: int, case_id: int) -> dict[str, Any] | None:
    """What a call says about a case."""
    case = uow.cases.get(workspace_id, case_id)
    if case is None:
        return None
    author = uow.authors.get(workspace_id, case.author_id)
    return {
        "case": {
            "id": case.id,
            "platform": case.platform.value,
            "status": case.status.value,
            "priority": case.priority,
            "assignee_id": case.assignee_id,
            "opened_at": case.opened_at.isoformat(),
            "resolved_at": case.resolved_at.isoformat() if case.resolved_at else None,
            "author_handle": author.handle if author else None,
        }
    }


def _item(
    subscription: WebhookSubscription,
    slug: str,
    event: str,
    key: str,
    data: dict[str, Any],
    at: datetime,
) -> OutboxItem:
    dedupe = f"{delivery_key_prefix(subscription.id)}{key}"
    body = {
        "id": dedupe,
        "event": event,
        "workspace": slug,
        "occurred_at": at.isoformat(),
        "data": data,
    }
    return OutboxItem.notification(
        subscription.workspace_id,
        PlatformAction.NOTIFY_WEBHOOK,
        dedupe,
        {
            "url": subscription.url,
            "body": body,
            "subscription_id": subscription.id,
            "event": event,
        },
    )


def queue_event_calls(
    uow: UnitOfWork,
    workspace_id: int,
    event: str,
    key: str,
    data: Callable[[], dict[str, Any] | None],
    *,
    at: datetime,
) -> list[int]:
    """One outbox row per active subscription hearing ``event``; ``key`` makes each row
    once-only (the same event dispatched twice is one call). ``data`` is read only when
    someone listens (None: nothing to say). The ids of the rows queued."""
    subscriptions = uow.read_once(
        ("webhooks", workspace_id), lambda: uow.webhooks.in_workspace(workspace_id)
    )
    listening = [s for s in subscriptions if not s.paused and event in s.events]
    if not listening:
        return []
    workspace = uow.read_once(("workspace", workspace_id), lambda: uow.workspaces.get(workspace_id))
    said = data() if workspace is not None else None
    if workspace is None or said is None:
        return []
    queued = []
    for subscription in listening:
        item = _item(subscription, workspace.slug, event, f"{event}:{key}", said, at)
        item_id = uow.outbox.enqueue(item, now=at)
        if item_id is not None:
            queued.append(item_id)
    return queued


def queue_test_call(uow: UnitOfWork, request: WebhookTestRequested) -> int | None:
    subscription = uow.webhooks.get(request.workspace_id, request.subscription_id)
    workspace = uow.workspaces.get(request.workspace_id)
    if subscription is None or workspace is None:
        return None
    data = {"message": "A test event from mentiondesk: this subscription is set up."}
    item = _item(
        subscription, workspace.slug, "webhook.test", f"test:{request.nonce}", data, request.at
    )
    return uow.outbox.enqueue(item, now=request.at)
