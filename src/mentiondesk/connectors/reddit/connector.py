"""``RedditConnector``: the ``Connector`` for one account.

Reddit has no idempotency key. After an uncertain failure (a timeout, a 5xx) a retry first
looks for the brand's own comment with the same text under the same parent among the account's
latest comments, so a reply that did go through is not posted twice."""

from __future__ import annotations

from mentiondesk.connectors.base import Delivered, OutgoingReply
from mentiondesk.connectors.inbound import obj, text
from mentiondesk.connectors.reddit.client import RedditClient
from mentiondesk.connectors.reddit.parser import listing
from mentiondesk.connectors.refusals import Failure, FailureKind, PlatformRefused
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import ReplyVisibility

__all__ = ["RedditConnector"]


class RedditConnector:
    platform = Platform.REDDIT

    def __init__(self, client: RedditClient) -> None:
        self.client = client
        self._uncertain: set[str] = set()

    def send(self, reply: OutgoingReply) -> Delivered:
        if reply.visibility is ReplyVisibility.PRIVATE:
            self.client.compose(reply.recipient_handle, "Re: your post", reply.text)
            return Delivered(f"pm:{reply.recipient_handle}:{reply.idempotency_key}")
        if reply.in_reply_to is None:
            raise PlatformRefused(
                Failure(FailureKind.INVALID, "a reply needs the thing it answers")
            )
        if reply.idempotency_key in self._uncertain:
            found = self._already_posted(reply.in_reply_to, reply.text)
            if found is not None:
                self._uncertain.discard(reply.idempotency_key)
                return Delivered(found)
        try:
            name = self.client.comment(reply.in_reply_to, reply.text)
        except PlatformRefused as exc:
            if exc.failure.uncertain:
                self._uncertain.add(reply.idempotency_key)
            raise
        self._uncertain.discard(reply.idempotency_key)
        return Delivered(name)

    def _already_posted(self, parent: str, body: str) -> str | None:
        path = f"/user/{self.client.username}/comments"
        children, _, _ = listing(self.client.call("GET", path, params={"limit": 25}))
        for child in children:
            data = obj(obj(child).get("data"))
            if data.get("parent_id") == parent and text(data.get("body")) == body:
                return text(data.get("name"))
        return None
