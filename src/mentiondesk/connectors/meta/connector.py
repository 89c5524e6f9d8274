"""One Facebook Page or Instagram professional account as a mentiondesk connector.

``MetaConnector`` fulfils ``connectors.base.Connector`` and the ``Moderator`` and ``Publisher``
capabilities over a ``GraphClient``:

- ``send`` a public reply (``POST /{comment}/comments``; Instagram ``/{comment}/replies``), or a
  private one: to a comment or visitor post, the one private reply Meta allows
  (``POST /{messaging-id}/messages`` with ``recipient.comment_id``/``post_id``); in a
  conversation, a direct message to the customer (``recipient_handle``), first as a response
  and, when Meta says the 24-hour window has closed and the app holds the Human Agent feature,
  again with the ``HUMAN_AGENT`` tag. Which one is decided by ``in_reply_to``: Graph objects
  have numeric ids (``123_456``), message ids never are.
- ``hide``/``unhide`` a comment; ``like`` it (Facebook only); ``publish`` a Page post.

Every Graph failure becomes ``errors.MetaRefused`` (a ``PlatformRefused`` that is transient, with
``retry_after``, for rate limits and outages) or the shared ``refusals.TokenInvalid``.

Graph has no idempotency keys, so ``send`` and ``publish`` remember each key's result, and after
an attempt that may have gone through (a timeout, a 5xx) they look on the platform for the
Page's reply or post with the same text before writing again. Direct messages cannot be looked
up that way: a retry after a timed-out message may deliver it twice.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any, TypeVar

from mentiondesk.connectors.base import (
    Delivered,
    DeliveryFailed,
    ModerationTarget,
    OutgoingPost,
    OutgoingReply,
)
from mentiondesk.connectors.meta.capabilities import (
    CAPABILITIES,
    HUMAN_AGENT_TAG,
    check_publish,
)
from mentiondesk.connectors.meta.errors import (
    FailureKind,
    GraphError,
    GraphFailure,
    MetaRefused,
    meta_refusal,
)
from mentiondesk.connectors.meta.graph import GraphClient
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import ReplyVisibility

__all__ = ["MetaAccount", "MetaConnector"]

_GRAPH_OBJECT_ID = re.compile(r"\d+(_\d+)?")
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class MetaAccount:
    platform: Platform  # facebook or instagram
    account_id: str  # the Page id, or the Instagram professional account id
    token: str  # the Page token (Instagram with Facebook Login uses its Page's token)
    messaging_id: str | None = None  # whose /messages edge sends (Instagram: its Page)

    @property
    def sender_id(self) -> str:
        return self.messaging_id or self.account_id


class MetaConnector:
    def __init__(
        self, graph: GraphClient, account: MetaAccount, *, human_agent: bool = False
    ) -> None:
        if account.platform not in CAPABILITIES:
            raise ValueError(f"{account.platform.value} is not a Meta platform")
        self.platform = account.platform
        self.account = account
        self.human_agent = human_agent
        self._graph = graph
        self._delivered: dict[str, Delivered] = {}
        self._uncertain: set[str] = set()
        self._lock = threading.Lock()

    # -- Connector ----------------------------------------------------------------------

    def send(self, reply: OutgoingReply) -> Delivered:
        if reply.platform is not self.platform:
            raise DeliveryFailed(f"a {reply.platform.value} reply cannot go to {self.platform}")
        target = reply.in_reply_to
        if reply.visibility is ReplyVisibility.PUBLIC:
            if not target or not _GRAPH_OBJECT_ID.fullmatch(target):
                raise DeliveryFailed("a public reply needs the comment or post it answers")
            return self._once(
                reply.idempotency_key,
                lambda: self._public(target, reply.text),
                lambda: self._find_reply(target, reply.text),
            )
        if target and _GRAPH_OBJECT_ID.fullmatch(target):
            return self._once(reply.idempotency_key, lambda: self._private(target, reply.text))
        if not reply.recipient_handle:
            raise DeliveryFailed("a direct message needs the customer's id")
        return self._once(
            reply.idempotency_key, lambda: self._message(reply.recipient_handle, reply.text)
        )

    # -- Moderator ----------------------------------------------------------------------

    def hide(self, target: ModerationTarget) -> None:
        self._call(lambda: self._set_hidden(target.platform_post_id, True))

    def unhide(self, target: ModerationTarget) -> None:
        self._call(lambda: self._set_hidden(target.platform_post_id, False))

    def like(self, target: ModerationTarget) -> None:
        if not CAPABILITIES[self.platform].like:
            raise DeliveryFailed(f"{self.platform.value.capitalize()} has no like in its API.")
        self._call(lambda: self._graph.like(self.account.token, target.platform_post_id))

    # -- Publisher ----------------------------------------------------------------------

    def publish(self, post: OutgoingPost) -> Delivered:
        verdict = check_publish(self.platform)
        if not verdict:
            raise DeliveryFailed(verdict.reason)
        return self._once(
            post.idempotency_key,
            lambda: self._publish(post.text),
            lambda: self._find_post(post.text),
        )

    # -- the Graph calls ----------------------------------------------------------------

    def _public(self, target: str, text: str) -> Delivered:
        if self.platform is Platform.INSTAGRAM:
            return Delivered(self._graph.reply_instagram(self.account.token, target, text))
        return Delivered(self._graph.comment(self.account.token, target, text))

    def _private(self, target: str, text: str) -> Delivered:
        # A visitor post's id starts with the Page's id; a comment's with its post's number.
        to_post = target.startswith(f"{self.account.account_id}_")
        sent = self._graph.private_reply(
            self.account.token, self.account.sender_id, target, text, to_post=to_post
        )
        return Delivered(sent.message_id)

    def _message(self, recipient: str, text: str) -> Delivered:
        token, sender = self.account.token, self.account.sender_id
        try:
            return Delivered(self._graph.send_message(token, sender, recipient, text).message_id)
        except GraphError as exc:
            if not self.human_agent or exc.failure.kind is not FailureKind.WINDOW_CLOSED:
                raise
        sent = self._graph.send_message(token, sender, recipient, text, tag=HUMAN_AGENT_TAG)
        return Delivered(sent.message_id)

    def _set_hidden(self, comment_id: str, hidden: bool) -> None:
        instagram = self.platform is Platform.INSTAGRAM
        self._graph.set_hidden(self.account.token, comment_id, hidden, instagram=instagram)

    def _publish(self, text: str) -> Delivered:
        return Delivered(self._graph.publish(self.account.token, self.account.account_id, text))

    # -- at most once, as far as Meta lets us -------------------------------------------

    def _once(
        self,
        key: str,
        attempt: Callable[[], Delivered],
        find: Callable[[], str | None] | None = None,
    ) -> Delivered:
        with self._lock:
            if key in self._delivered:
                return self._delivered[key]
            uncertain = key in self._uncertain
        try:
            earlier = find() if uncertain and find is not None else None
            delivered = Delivered(earlier) if earlier else attempt()
        except GraphError as exc:
            if exc.failure.uncertain:
                with self._lock:
                    self._uncertain.add(key)
            raise _refusal(exc.failure, after_uncertain=uncertain) from exc
        with self._lock:
            self._delivered[key] = delivered
            self._uncertain.discard(key)
        return delivered

    def _call(self, action: Callable[[], _T]) -> _T:
        try:
            return action()
        except GraphError as exc:
            raise _refusal(exc.failure) from exc

    def _find_reply(self, target: str, text: str) -> str | None:
        token = self.account.token
        if self.platform is Platform.INSTAGRAM:
            nodes = self._graph.replies(token, target, fields="id,text,from")
        else:
            nodes = self._graph.comments(token, target, fields="id,message,from")
        return _ours(nodes, self.account.account_id, text)

    def _find_post(self, text: str) -> str | None:
        recent = self._graph.feed(self.account.token, self.account.account_id, limit=25)
        return _ours(islice(recent, 25), self.account.account_id, text)


def _refusal(failure: GraphFailure, *, after_uncertain: bool = False) -> MetaRefused:
    if after_uncertain and failure.kind is FailureKind.ALREADY_REPLIED:
        note = " (an earlier attempt that got no answer may have delivered it)"
        failure = replace(failure, message=failure.message + note)
    return meta_refusal(failure)


def _ours(nodes: Iterator[dict[str, Any]], account_id: str, text: str) -> str | None:
    """The id of the account's own node carrying exactly ``text``, if any."""
    for node in nodes:
        author = node.get("from")
        author_id = str(author.get("id")) if isinstance(author, dict) else None
        body = node.get("message", node.get("text"))
        if author_id == account_id and body == text and isinstance(node.get("id"), str):
            return str(node["id"])
    return None
