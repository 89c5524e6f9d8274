"""The outbox worker: the one loop that carries every queued platform action to its channel.

Public and private replies, direct messages, hide/unhide/like and the brand's own posts are all
rows of one table (``storage/tables_effects.py``), written in the transaction that decided
them. Each attempt is claimed with a conditional update and a lease before the channel is
called, and the channel gets the row's idempotency key, so an action is never taken twice even
when two workers race. A platform that says "later" (a Retry-After, a transient outage) is
retried with exponential backoff, never sooner than it asked, up to the workspace's
``max_attempts``; then the row is ``failed`` with the platform's reason, for a person to see and
retry. A channel's rate limit (a token bucket per channel, in this process) postpones an attempt
without spending one. The development channel records what it would send: its rows end
``simulated``, never ``sent``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from mentiondesk.connectors.base import (
    Connector,
    DeliveryFailed,
    ModerationTarget,
    Moderator,
    OutgoingPost,
    OutgoingReply,
    Publisher,
    is_simulated,
)
from mentiondesk.desk.outbox_service import do_retry_item
from mentiondesk.domain.alerts import Notification, Notifier
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.errors import InvalidTransition, NotFound
from mentiondesk.domain.events import ReplyDelivered
from mentiondesk.domain.outbox import OutboxItem, PlatformAction
from mentiondesk.domain.ports import Clock
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import DeliveryStatus, Reply, ReplyVisibility
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_CAP",
    "DEFAULT_MAX_ATTEMPTS",
    "OutboxWorker",
    "RateLimits",
    "TokenBucket",
    "backoff",
]

BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
LEASE = timedelta(minutes=2)  # how long one attempt may take before a sweep may retry it
STALE = timedelta(minutes=1)  # a never-attempted row older than this lost its first attempt
DEFAULT_MAX_ATTEMPTS = 5
MODERATION = {PlatformAction.HIDE, PlatformAction.UNHIDE, PlatformAction.LIKE}
NOTIFICATIONS = {PlatformAction.NOTIFY_EMAIL, PlatformAction.NOTIFY_WEBHOOK}


def backoff(attempts: int, retry_after: float | None) -> timedelta:
    """Delay before the next attempt: doubling from ``BACKOFF_BASE`` (capped), never sooner
    than the platform asked."""
    exponential = min(BACKOFF_BASE * (2 ** max(0, attempts - 1)), BACKOFF_CAP)
    asked = timedelta(seconds=max(0.0, retry_after or 0.0))
    return max(exponential, asked)


@dataclass(slots=True)
class TokenBucket:
    """``per_minute`` actions a minute on average, bursts of up to ``burst``."""

    per_minute: float
    burst: float = 10.0
    tokens: float = -1.0
    updated: float = field(default_factory=time.monotonic)

    def take(self, now: float | None = None) -> float:
        """Take a token: 0.0 when one was free, else the seconds until one will be."""
        now = time.monotonic() if now is None else now
        if self.tokens < 0:
            self.tokens = self.burst
        rate = self.per_minute / 60.0
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / rate


class RateLimits:
    """One token bucket per channel named in ``per_minute``; other channels are unlimited."""

    def __init__(self, per_minute: Mapping[str, float] | None = None) -> None:
        self._buckets = {
            channel: TokenBucket(rate, burst=max(1.0, min(10.0, rate / 6)))
            for channel, rate in (per_minute or {}).items()
            if rate > 0
        }
        self._lock = threading.Lock()

    def wait(self, channel: str) -> float:
        """Seconds to wait before acting on ``channel``; 0.0 takes a token now."""
        bucket = self._buckets.get(channel)
        if bucket is None:
            return 0.0
        with self._lock:
            return bucket.take()


Route = Callable[[UnitOfWork, OutboxItem], Connector | None]
"""Picks the connector of the channel account a row belongs to; ``None``: the platform's
default connector (``desk.channel_delivery.ChannelConnectors.route``)."""


Hold = Callable[[UnitOfWork, OutboxItem], float]
"""Seconds a row must wait without spending an attempt (its channel is paused); 0.0: go."""


class OutboxWorker:
    """Attempts queued outbox rows once each and records what the channel said."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        connectors: Mapping[Platform, Connector],
        clock: Clock,
        rate_limits: RateLimits | None = None,
        notifiers: Mapping[str, Notifier] | None = None,
        route: Route | None = None,
        hold: Hold | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._notifiers = dict(notifiers or {})
        self._connectors = connectors
        self._route = route
        self._hold = hold
        self._clock = clock
        self._limits = rate_limits or RateLimits()

    # -- the loop ---------------------------------------------------------------------------
    def attempt(self, item_id: int) -> OutboxItem:
        """Attempt one row if it is due, and return its state afterwards."""
        with self._uow_factory() as uow:
            item = uow.outbox.get(item_id)
            if item is None:
                raise NotFound(f"no outbox item {item_id}")
            if item.status is DeliveryStatus.QUEUED:
                self._attempt(uow, item)
            result = uow.outbox.get(item_id)
            assert result is not None
            return result

    def run_due(self, limit: int = 100) -> list[OutboxItem]:
        """Attempt every row whose next attempt is due (the web sweeper and ``outbox retry``)."""
        now = self._clock.now()
        with self._uow_factory() as uow:
            due = uow.outbox.due(now, stale_before=now - STALE, limit=limit)
        return [self.attempt(item.id) for item in due]

    def do_retry(self, workspace_id: int, item_id: int) -> OutboxItem:
        """A person's "retry": a failed row goes back to the queue and is attempted now."""
        with self._uow_factory() as uow:
            do_retry_item(uow, workspace_id, item_id, now=self._clock.now())
        return self.attempt(item_id)  # done already when the unit of work dispatches

    # -- replies, as the desk shows them ------------------------------------------------------
    def deliver(self, workspace_id: int, reply_id: int) -> Reply:
        """Attempt the reply's outbox row if it is due; the reply's state afterwards."""
        item = self._reply_item(workspace_id, reply_id)
        if item is not None:
            self.attempt(item.id)
        return self._reply(workspace_id, reply_id)

    def retry_due(self, limit: int = 100) -> list[Reply]:
        """``run_due``, answered as the replies among the rows attempted."""
        done = self.run_due(limit)
        return [self._reply(i.workspace_id, i.reply_id) for i in done if i.reply_id is not None]

    def do_retry_failed(self, workspace_id: int, reply_id: int) -> Reply:
        """The agent's "retry" on a failed reply."""
        item = self._reply_item(workspace_id, reply_id)
        if item is None:
            raise NotFound(f"no reply {reply_id}")
        try:
            self.do_retry(workspace_id, item.id)
        except InvalidTransition:
            reply = self._reply(workspace_id, reply_id)
            raise InvalidTransition(
                f"reply {reply_id} is {reply.status.value}, not failed"
            ) from None
        return self._reply(workspace_id, reply_id)

    def _reply_item(self, workspace_id: int, reply_id: int) -> OutboxItem | None:
        with self._uow_factory() as uow:
            if uow.replies.get(workspace_id, reply_id) is None:
                raise NotFound(f"no reply {reply_id}")
            return uow.outbox.for_reply(reply_id)

    def _reply(self, workspace_id: int, reply_id: int | None) -> Reply:
        with self._uow_factory() as uow:
            reply = uow.replies.get(workspace_id, reply_id or 0)
        if reply is None:
            raise NotFound(f"no reply {reply_id}")
        return reply

    # -- one attempt --------------------------------------------------------------------------
    def _attempt(self, uow: UnitOfWork, item: OutboxItem) -> None:
        now = self._clock.now()
        if item.next_attempt_at is not None and item.next_attempt_at > now:
            return  # not due yet, or another worker holds this attempt
        held = self._hold(uow, item) if self._hold is not None else 0.0
        wait = held if held > 0 else self._limits.wait(item.channel)
        if wait > 0:
            uow.outbox.postpone(item.id, now + timedelta(seconds=wait))
            uow.commit()
            return
        if not uow.outbox.claim(item, now=now, lease=LEASE):
            uow.rollback()
            return  # another worker took this attempt
        uow.commit()
        attempts = item.attempts + 1
        try:
            status, ref = self._call(uow, item)
        except DeliveryFailed as exc:
            if exc.transient and attempts < self._max_attempts(uow, item.workspace_id):
                at = self._clock.now() + backoff(attempts, exc.retry_after)
                uow.outbox.schedule_retry(item.id, exc.reason, at)
            else:
                uow.outbox.finish(
                    item.id, DeliveryStatus.FAILED, at=self._clock.now(), reason=exc.reason
                )
        else:
            uow.outbox.finish(item.id, status, at=self._clock.now(), platform_ref=ref)
        self._record(uow, item.id)
        uow.commit()

    def _max_attempts(self, uow: UnitOfWork, workspace_id: int) -> int:
        """The workspace's reply policy sets how patient the outbox is."""
        stored = uow.reply_settings.get(workspace_id) or {}
        try:
            return max(1, int(stored.get("max_attempts", DEFAULT_MAX_ATTEMPTS)))
        except (TypeError, ValueError):
            return DEFAULT_MAX_ATTEMPTS

    def _record(self, uow: UnitOfWork, item_id: int) -> None:
        """Carry the row's new state to what it stands for (a reply shows it already): the
        hours post, or the audit log for a moderation the platform refused."""
        item = uow.outbox.get(item_id)
        assert item is not None
        reply = (
            uow.replies.get(item.workspace_id, item.reply_id)
            if item.reply_id is not None and item.status is not DeliveryStatus.QUEUED
            else None
        )
        if reply is not None:  # rollups count it; event webhooks call out when it was sent
            uow.collect(
                [
                    ReplyDelivered(
                        reply.id,
                        item.workspace_id,
                        reply.case_id,
                        item.status.value,
                        item.done_at or self._clock.now(),
                    )
                ]
            )
        if item.hours_post_id is not None:
            _record_hours_post(uow, item)
        if item.action in MODERATION and item.status in (
            DeliveryStatus.FAILED,
            DeliveryStatus.UNSUPPORTED,
        ):
            uow.audit.append(
                AuditEntry.by_system(
                    item.workspace_id,
                    "post.moderation_failed",
                    f"post:{item.post_id}",
                    at=self._clock.now(),
                    reason=item.failure_reason or item.status.value,
                    data={"attempted": _MODERATION_AUDIT[item.action], "outbox_id": item.id},
                )
            )

    def _call(self, uow: UnitOfWork, item: OutboxItem) -> tuple[DeliveryStatus, str | None]:
        """Call the channel; the final state (sent, simulated, unsupported) and its reference."""
        if item.action in NOTIFICATIONS:
            return self._notify(uow, item)
        connector = self._route(uow, item) if self._route is not None else None
        if connector is None:
            platform = Platform._value2member_map_.get(item.channel)
            connector = self._connectors.get(platform) if isinstance(platform, Platform) else None
        if connector is None:
            raise DeliveryFailed(f"no connector is configured for {item.channel}")
        done = DeliveryStatus.SIMULATED if is_simulated(connector) else DeliveryStatus.SENT
        workspace = uow.workspaces.get(item.workspace_id)
        assert workspace is not None, "an outbox row belongs to a workspace"
        payload = item.payload
        if item.action in MODERATION:
            if not isinstance(connector, Moderator):
                return DeliveryStatus.UNSUPPORTED, None
            target = ModerationTarget(
                connector.platform,
                workspace.slug,
                str(payload["platform_post_id"]),
                str(payload.get("reason", "")),
            )
            call = {
                PlatformAction.HIDE: connector.hide,
                PlatformAction.UNHIDE: connector.unhide,
                PlatformAction.LIKE: connector.like,
            }
            call[item.action](target)
            return done, None
        if item.action is PlatformAction.PUBLISH:
            if not isinstance(connector, Publisher):
                raise DeliveryFailed(f"no connector can publish on channel {item.channel!r}")
            text = str(payload["text"])
            posted = connector.publish(
                OutgoingPost(connector.platform, workspace.slug, text, item.idempotency_key)
            )
            return done, posted.platform_reply_id
        visibility = (
            ReplyVisibility.PUBLIC
            if item.action is PlatformAction.PUBLIC_REPLY
            else ReplyVisibility.PRIVATE
        )
        sent = connector.send(
            OutgoingReply(
                platform=connector.platform,
                workspace_slug=workspace.slug,
                text=str(payload["text"]),
                visibility=visibility,
                in_reply_to=payload.get("in_reply_to"),
                recipient_handle=str(payload.get("recipient_handle", "")),
                idempotency_key=item.idempotency_key,
            )
        )
        return done, sent.platform_reply_id

    def _notify(self, uow: UnitOfWork, item: OutboxItem) -> tuple[DeliveryStatus, str | None]:
        """An e-mail (one message to each address), or a webhook call: about an alert, or an
        event a subscription hears (signed with that subscription's secret)."""
        notifier = self._notifiers.get(item.channel)
        if notifier is None:
            setting = _NOTIFIER_SETTINGS.get(item.channel, item.channel)
            raise DeliveryFailed(f"no {item.channel} notifier is configured (set {setting})")
        done = DeliveryStatus.SIMULATED if is_simulated(notifier) else DeliveryStatus.SENT
        payload = item.payload
        if item.action is PlatformAction.NOTIFY_WEBHOOK:
            secret = None
            if payload.get("subscription_id") is not None:
                secret = uow.webhooks.secret(int(payload["subscription_id"]))
                if secret is None:
                    raise DeliveryFailed("the webhook subscription was removed")
            body = dict(payload["body"])
            message = Notification(str(payload["url"]), "", "", body, secret=secret)
            return done, notifier.send(message, item.idempotency_key)
        refs = [
            notifier.send(
                Notification(str(to), str(payload["subject"]), str(payload["text"])),
                f"{item.idempotency_key}:{to}",
            )
            for to in payload["to"]
        ]
        joined = ",".join(r for r in refs if r)[:200]
        return done, joined or None


_NOTIFIER_SETTINGS = {
    "email": "MENTIONDESK_SMTP_HOST",
    "webhook": "MENTIONDESK_ALERT_WEBHOOK_SECRET",
}

_MODERATION_AUDIT = {
    PlatformAction.HIDE: "post.hide",
    PlatformAction.UNHIDE: "post.unhide",
    PlatformAction.LIKE: "post.acknowledge",
}


def _record_hours_post(uow: UnitOfWork, item: OutboxItem) -> None:
    assert item.hours_post_id is not None
    if item.status is DeliveryStatus.QUEUED:
        return
    published = item.status in (DeliveryStatus.SENT, DeliveryStatus.SIMULATED)
    status = {DeliveryStatus.SENT: "published", DeliveryStatus.SIMULATED: "simulated"}.get(
        item.status, item.status.value
    )
    uow.hours_posts.mark(
        item.hours_post_id,
        status,
        platform_post_id=item.platform_ref,
        failure_reason=item.failure_reason,
    )
    at = item.done_at or item.created_at
    assert at is not None, "a finished row has its time"
    uow.audit.append(
        AuditEntry.by_system(
            item.workspace_id,
            f"hours.{item.payload.get('kind', 'opening')}_post",
            f"channel:{item.channel}",
            at=at,
            reason=status if published else f"failed: {item.failure_reason}",
            data={"due_at": item.payload.get("due_at"), "text": item.payload.get("text")},
        )
    )
