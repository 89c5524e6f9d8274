"""``BlueskyConnector``: the ``Connector``, ``Moderator`` and ``Publisher`` for one account.

Bluesky has no idempotency keys, but a record's key (``rkey``) may be chosen by the client: the
connector derives it from the outbox's idempotency key, so a retried reply or post collides with
the first instead of posting twice. A private answer is a direct message to the post's author
(``recipient_handle`` is their DID or handle). Hiding a reply writes the threadgate of the
brand's own root post; under someone else's thread Bluesky cannot, and the refusal says so."""

from __future__ import annotations

import hashlib

from mentiondesk.connectors.base import Delivered, ModerationTarget, OutgoingPost, OutgoingReply
from mentiondesk.connectors.bluesky.client import BlueskyClient
from mentiondesk.connectors.http import Clock, utc_now
from mentiondesk.connectors.refusals import Failure, FailureKind, PlatformRefused
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import ReplyVisibility

__all__ = ["BlueskyConnector", "record_key"]

_TID_CHARS = "234567abcdefghijklmnopqrstuvwxyz"


def record_key(idempotency_key: str) -> str:
    """A 13-character TID-shaped record key derived from ``idempotency_key``."""
    number = int.from_bytes(hashlib.sha256(idempotency_key.encode()).digest()[:8]) >> 1
    chars = []
    for _ in range(13):
        chars.append(_TID_CHARS[number & 31])
        number >>= 5
    return "".join(reversed(chars))


class BlueskyConnector:
    platform = Platform.BLUESKY

    def __init__(self, client: BlueskyClient, *, clock: Clock = utc_now) -> None:
        self.client = client
        self.clock = clock

    def send(self, reply: OutgoingReply) -> Delivered:
        if reply.visibility is ReplyVisibility.PRIVATE:
            return Delivered(self.client.send_message(reply.recipient_handle, reply.text))
        if reply.in_reply_to is None:
            raise PlatformRefused(Failure(FailureKind.INVALID, "a reply needs the post it answers"))
        ref = self.client.reply(
            reply.in_reply_to, reply.text, self.clock(), rkey=record_key(reply.idempotency_key)
        )
        return Delivered(ref.uri)

    def publish(self, post: OutgoingPost) -> Delivered:
        ref = self.client.post(post.text, self.clock(), rkey=record_key(post.idempotency_key))
        return Delivered(ref.uri)

    def like(self, target: ModerationTarget) -> None:
        self.client.like(target.platform_post_id, self.clock())

    def hide(self, target: ModerationTarget) -> None:
        self.client.set_reply_hidden(target.platform_post_id, True, self.clock())

    def unhide(self, target: ModerationTarget) -> None:
        self.client.set_reply_hidden(target.platform_post_id, False, self.clock())
