"""Delivering recorded replies through the connector of the case's platform."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from mentiondesk.connectors.base import Connector, DeliveryFailed, OutgoingReply
from mentiondesk.domain.ports import Clock
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import DeliveryStatus, Reply
from mentiondesk.storage.unit_of_work import UnitOfWork


class ReplyDelivery:
    """Sends a queued reply once; records ``sent`` with the platform id or ``failed`` with why."""

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
        with self._uow_factory() as uow:
            reply = uow.replies.get(workspace_id, reply_id)
            if reply is None:
                raise LookupError(f"reply {reply_id} not found")
            if reply.status is DeliveryStatus.SENT:
                return reply
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
            try:
                if connector is None:
                    raise DeliveryFailed(f"no connector is configured for {case.platform.value}")
                delivered = connector.send(outgoing)
            except DeliveryFailed as exc:
                uow.replies.mark_failed(reply.id, exc.reason)
                uow.commit()
            else:
                uow.replies.mark_sent(reply.id, delivered.platform_reply_id, self._clock.now())
                uow.commit()
            result = uow.replies.get(workspace_id, reply_id)
            assert result is not None
            return result
