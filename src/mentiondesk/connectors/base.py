"""The contract every channel connector fulfils.

A connector must provide:
- ``platform``: the platform it speaks for;
- ``send(reply)``: deliver an ``OutgoingReply`` publicly (threaded under the customer's post) or
  privately (the platform's DM / private-reply mechanism), and return the platform's id for it;
  raise ``DeliveryFailed`` with the platform's reason (and ``retry_after`` seconds when the
  platform asked to slow down, or ``transient=True`` for an outage worth retrying; anything
  else is final). It must be safe to call twice with one ``idempotency_key``.

A connector may also moderate (the optional ``Moderator`` capability, checked with
``isinstance``): ``hide(target)``, ``unhide(target)`` and ``like(target)`` act on the customer's
post on the platform; none of them deletes it. Each must be safe to repeat and raises
``DeliveryFailed`` when the platform refuses.

A connector that delivers nowhere (the development connector) sets ``simulated = True``: what
it takes is recorded as ``simulated``, never ``sent``, so nobody believes a customer saw it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import ReplyVisibility


@dataclass(frozen=True, slots=True)
class OutgoingReply:
    platform: Platform
    workspace_slug: str
    text: str
    visibility: ReplyVisibility
    in_reply_to: str | None  # the platform post id being answered
    recipient_handle: str
    idempotency_key: str


@dataclass(frozen=True, slots=True)
class Delivered:
    platform_reply_id: str


class DeliveryFailed(Exception):
    """The platform did not take the reply. It is worth retrying when the platform said when
    (``retry_after`` seconds, e.g. a 429) or the failure is ``transient`` (a 5xx, a timeout)."""

    def __init__(
        self, reason: str, *, retry_after: float | None = None, transient: bool = False
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.transient = transient or retry_after is not None


class Connector(Protocol):
    platform: Platform

    def send(self, reply: OutgoingReply) -> Delivered: ...


def is_simulated(connector: object) -> bool:
    """Whether ``connector`` only pretends to deliver (see the module docstring)."""
    return bool(getattr(connector, "simulated", False))


@dataclass(frozen=True, slots=True)
class ModerationTarget:
    """The customer's post a moderation action is about, as the platform knows it."""

    platform: Platform
    workspace_slug: str
    platform_post_id: str
    reason: str = ""


@runtime_checkable
class Moderator(Protocol):
    """Optional capability: hide, unhide or like a post on the platform (never delete it)."""

    def hide(self, target: ModerationTarget) -> None: ...

    def unhide(self, target: ModerationTarget) -> None: ...

    def like(self, target: ModerationTarget) -> None: ...


@dataclass(frozen=True, slots=True)
class OutgoingPost:
    """A post of the brand's own on a channel (not an answer): e.g. "We're here until 20:00"."""

    platform: Platform
    workspace_slug: str
    text: str
    idempotency_key: str


@runtime_checkable
class Publisher(Protocol):
    """Optional capability: a connector that can publish the brand's own posts.

    ``publish`` must be safe to call twice with one ``idempotency_key``."""

    def publish(self, post: OutgoingPost) -> Delivered: ...
