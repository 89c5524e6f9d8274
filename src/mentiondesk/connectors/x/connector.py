"""``XConnector``: the ``Connector`` and ``Moderator`` for one X account.

A public reply is sent and X decides whether the brand was summoned; its 403 comes back as a
final refusal in X's own words. A private answer is a direct message to the author
(``recipient_handle`` holds their user id). Hide and unhide act on replies under the brand's
posts; like is refused (removed from self-serve access). X has no idempotency key: a reply is
remembered per outbox key, so a retry after success returns the same post."""

from __future__ import annotations

from mentiondesk.connectors.base import Delivered, ModerationTarget, OutgoingPost, OutgoingReply
from mentiondesk.connectors.capability import Action
from mentiondesk.connectors.refusals import Failure, FailureKind, PlatformRefused
from mentiondesk.connectors.x import capabilities
from mentiondesk.connectors.x.client import XClient
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import ReplyVisibility

__all__ = ["XConnector"]


class XConnector:
    platform = Platform.X

    def __init__(self, client: XClient) -> None:
        self.client = client
        self._sent: dict[str, Delivered] = {}

    def send(self, reply: OutgoingReply) -> Delivered:
        if reply.idempotency_key in self._sent:
            return self._sent[reply.idempotency_key]
        if reply.visibility is ReplyVisibility.PRIVATE:
            delivered = Delivered(self.client.send_dm(reply.recipient_handle, reply.text))
        elif reply.in_reply_to is None:
            raise PlatformRefused(Failure(FailureKind.INVALID, "a reply needs the post it answers"))
        else:
            delivered = Delivered(self.client.reply(reply.in_reply_to, reply.text))
        self._sent[reply.idempotency_key] = delivered
        return delivered

    def publish(self, post: OutgoingPost) -> Delivered:
        if post.idempotency_key not in self._sent:
            self._sent[post.idempotency_key] = Delivered(self.client.post(post.text))
        return self._sent[post.idempotency_key]

    def hide(self, target: ModerationTarget) -> None:
        self.client.hide_reply(target.platform_post_id, True)

    def unhide(self, target: ModerationTarget) -> None:
        self.client.hide_reply(target.platform_post_id, False)

    def like(self, target: ModerationTarget) -> None:
        reason = capabilities.check(Action.LIKE).reason
        raise PlatformRefused(Failure(FailureKind.FORBIDDEN, reason, code="unsupported"))
