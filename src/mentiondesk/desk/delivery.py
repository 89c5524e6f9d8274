"""The reply outbox: delivering recorded replies through the connector of the case's platform.

A reply is recorded ``queued`` in the agent's transaction; delivery happens after commit (right
away in-process, then by the retry sweep). Each attempt is claimed with a conditional update
before the connector is called, and the connector gets the reply's idempotency key, so a reply
is never sent twice even when two workers race. Platform errors that say "later" (a Retry-After,
a transient outage) are retried with exponential backoff, honouring Retry-After, up to the
workspace's ``max_attempts``; then the reply is ``failed`` with the platform's reason and its
text kept, for the agent to see and retry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta

from mentiondesk.connectors.base import Connector, DeliveryFailed, OutgoingReply
from mentiondesk.domain.errors import InvalidTransition, NotFound
from mentiondesk.domain.ports import Clock
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import DeliveryStatus, Reply
from mentiondesk.replies.policy import ReplyPolicy
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["BACKOFF_BASE", "BACKOFF_CAP", "ReplyDelivery", "backoff"]

BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
LEASE = timedelta(minutes=2)  # how long one attempt may take before a sweep may retry it
STALE = timedelta(minutes=1)  # a never-attempted reply older than this lost its first attempt


def backoff(attempts: int, retry_after: float | None) -> timedelta:
    """Delay before the next attempt: doubling from ``BACKOFF_BASE`` (capped), never sooner
    than the platform asked."""
    exponential = min(BACKOFF_BASE * (2 ** max(0, attempts - 1)), BACKOFF_CAP)
    asked = timedelta(seconds=max(0.0, retry_after or 0.0))
    return max(exponential, asked)


class ReplyDelivery:
    """Sends queued replies once each; records ``sent`` with the platform id, a retry, or
    ``failed`` with why."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        connectors: Mapping[Platform, Connector],
        clock: Clock,
    ) -> None:
        self._uow_factory = uow_factory
        self._connectors = connectors
        self._clock = clock

    def deliver(self, workspace_id: int, reply_id: int) -> Reply:
        """Attempt one delivery if the reply is due, and return its state afterwards."""
        with self._uow_factory() as uow:
            reply = uow.replies.get(workspace_id, reply_id)
            if reply is None:
                raise LookupError(f"reply {reply_id} not found")
            if reply.status is DeliveryStatus.QUEUED:
                self._attempt(uow, reply)
            result = uow.replies.get(workspace_id, reply_id)
            assert result is not None
            return result

    def retry_due(self, limit: int = 100) -> list[Reply]:
        """Attempt every reply whose next attempt is due (the sweep and ``outbox retry``)."""
        now = self._clock.now()
        with self._uow_factory() as uow:
            due = uow.replies.due(now, stale_before=now - STALE, limit=limit)
        return [self.deliver(r.workspace_id, r.id) for r in due]

    def do_retry_failed(self, workspace_id: int, reply_id: int) -> Reply:
        """The agent's "retry": a failed reply goes back to the outbox and is attempted now."""
        with self._uow_factory() as uow:
            reply = uow.replies.get(workspace_id, reply_id)
            if reply is None:
                raise NotFound(f"no reply {reply_id}")
            if not uow.replies.requeue(reply.id, self._clock.now()):
                raise InvalidTransition(f"reply {reply_id} is {reply.status.value}, not failed")
            uow.commit()
        return self.deliver(workspace_id, reply_id)

    def _attempt(self, uow: UnitOfWork, reply: Reply) -> None:
        now = self._clock.now()
        if not uow.replies.claim(reply, now=now, lease=LEASE):
            uow.rollback()
            return  # not due yet, or another worker holds this attempt
        uow.commit()
        attempts = reply.attempts + 1
        try:
            delivered = self._send(uow, reply)
        except DeliveryFailed as exc:
            policy = ReplyPolicy.from_dict(uow.reply_settings.get(reply.workspace_id))
            if exc.transient and attempts < policy.max_attempts:
                at = self._clock.now() + backoff(attempts, exc.retry_after)
                uow.replies.schedule_retry(reply.id, exc.reason, at)
            else:
                uow.replies.mark_failed(reply.id, exc.reason)
        else:
            uow.replies.mark_sent(reply.id, delivered, self._clock.now())
        uow.commit()

    def _send(self, uow: UnitOfWork, reply: Reply) -> str:
        workspace_id = reply.workspace_id
        case = uow.cases.get(workspace_id, reply.case_id)
        workspace = uow.workspaces.get(workspace_id)
        assert case is not None and workspace is not None, "a reply always belongs to a case"
        answered = uow.posts.get(workspace_id, reply.in_reply_to_post_id or 0)
        author = uow.authors.get(workspace_id, case.author_id)
        outgoing = OutgoingReply(
            platform=case.platform,
            workspace_slug=workspace.slug,
            text=reply.text,
            visibility=reply.visibility,
            in_reply_to=answered.inbound.platform_post_id if answered else None,
            recipient_handle=author.handle if author else "",
            idempotency_key=reply.idempotency_key,
        )
        connector = self._connectors.get(case.platform)
        if connector is None:
            raise DeliveryFailed(f"no connector is configured for {case.platform.value}")
        return connector.send(outgoing).platform_reply_id
