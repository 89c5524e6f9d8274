"""The outbox: every action the desk asks a platform to take, one row each.

A row is written in the same transaction as the change that causes it (a reply recorded, a
post hidden, an opening post due), so the action cannot be lost; a worker then claims it,
calls the channel with the row's idempotency key, and records ``sent`` (or ``simulated`` for
the development channel), a retry, or ``failed`` with the platform's reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from mentiondesk.domain.replies import DeliveryStatus


class PlatformAction(StrEnum):
    PUBLIC_REPLY = "reply.public"
    PRIVATE_REPLY = "reply.private"
    DIRECT_MESSAGE = "message.direct"
    HIDE = "post.hide"
    UNHIDE = "post.unhide"
    LIKE = "post.like"
    PUBLISH = "post.publish"
    NOTIFY_EMAIL = "notify.email"  # channel "email": an alert or breach to a person
    NOTIFY_WEBHOOK = "notify.webhook"  # channel "webhook": the same to a signed URL


@dataclass(slots=True)
class OutboxItem:
    id: int
    workspace_id: int
    action: PlatformAction
    channel: str
    dedupe_key: str
    idempotency_key: str
    status: DeliveryStatus = DeliveryStatus.QUEUED
    reply_id: int | None = None
    post_id: int | None = None
    hours_post_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    attempts: int = 0
    next_attempt_at: datetime | None = None
    failure_reason: str | None = None
    platform_ref: str | None = None
    created_at: datetime | None = None
    done_at: datetime | None = None

    @classmethod
    def notification(
        cls, workspace_id: int, action: PlatformAction, key: str, payload: dict[str, Any]
    ) -> OutboxItem:
        """An e-mail or a webhook call to queue, sent once per ``key``."""
        channel = "email" if action is PlatformAction.NOTIFY_EMAIL else "webhook"
        return cls(0, workspace_id, action, channel, key, key, payload=payload)
