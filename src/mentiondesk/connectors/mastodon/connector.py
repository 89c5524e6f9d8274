"""``MastodonConnector``: the ``Connector``, ``Moderator`` and ``Publisher`` for one account.

Every status is sent with the outbox's idempotency key as ``Idempotency-Key``, so a retry
after a timeout returns the status already made instead of posting twice (Mastodon keeps keys
for an hour). Replies start with the author's ``@acct`` when the text does not name them,
because Mastodon notifies only the accounts a status mentions — a direct status without it
would reach no one.
"""

from __future__ import annotations

from mentiondesk.connectors.base import (
    Delivered,
    ModerationTarget,
    OutgoingPost,
    OutgoingReply,
)
from mentiondesk.connectors.capability import Action
from mentiondesk.connectors.inbound import ident
from mentiondesk.connectors.mastodon import capabilities
from mentiondesk.connectors.mastodon.client import MastodonClient
from mentiondesk.connectors.refusals import Failure, FailureKind, PlatformRefused
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import ReplyVisibility

__all__ = ["MastodonConnector", "addressed"]


def addressed(text: str, handle: str) -> str:
    """``text`` naming ``@handle`` (added in front when it does not already)."""
    mention = "@" + handle.lstrip("@")
    return text if mention.lower() in text.lower() else f"{mention} {text}"


class MastodonConnector:
    platform = Platform.MASTODON

    def __init__(self, client: MastodonClient) -> None:
        self.client = client

    def send(self, reply: OutgoingReply) -> Delivered:
        private = reply.visibility is ReplyVisibility.PRIVATE
        status = self.client.post_status(
            addressed(reply.text, reply.recipient_handle),
            idempotency_key=reply.idempotency_key,
            in_reply_to_id=reply.in_reply_to,
            visibility="direct" if private else "public",
        )
        return Delivered(self._id(status))

    def publish(self, post: OutgoingPost) -> Delivered:
        status = self.client.post_status(post.text, idempotency_key=post.idempotency_key)
        return Delivered(self._id(status))

    def like(self, target: ModerationTarget) -> None:
        self.client.favourite(target.platform_post_id)

    def hide(self, target: ModerationTarget) -> None:
        raise self._cannot(Action.HIDE)

    def unhide(self, target: ModerationTarget) -> None:
        raise self._cannot(Action.UNHIDE)

    @staticmethod
    def _cannot(action: Action) -> PlatformRefused:
        reason = capabilities.check(action).reason
        return PlatformRefused(Failure(FailureKind.FORBIDDEN, reason, code="unsupported"))

    @staticmethod
    def _id(status: dict[str, object]) -> str:
        status_id = ident(status.get("id"))
        if status_id is None:
            failure = Failure(
                FailureKind.SERVER, "Mastodon answered without a status id", uncertain=True
            )
            raise PlatformRefused(failure)
        return status_id
