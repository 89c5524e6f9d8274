"""The feed channel's connector: it delivers nothing, and says so.

Feeds are listen-only. A reply queued for one (by mistake, or by a rule) fails at once with a
final, readable reason instead of pretending to be sent."""

from __future__ import annotations

from mentiondesk.connectors.base import Delivered, OutgoingReply
from mentiondesk.connectors.refusals import Failure, FailureKind, PlatformRefused
from mentiondesk.domain.posts import Platform

__all__ = ["FeedConnector"]


class FeedConnector:
    def __init__(self, platform: Platform = Platform.BLOG) -> None:
        self.platform = platform

    def send(self, reply: OutgoingReply) -> Delivered:
        raise PlatformRefused(
            Failure(
                FailureKind.FORBIDDEN,
                "RSS and Atom feeds are listen-only: answer on the site, from the post's link.",
                code="listen_only",
            )
        )
