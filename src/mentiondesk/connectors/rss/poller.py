"""One poll of one feed: fetch conditionally, parse, keep only what is new or edited."""

from __future__ import annotations

from dataclasses import dataclass, field

from mentiondesk.connectors.inbound import InboundEvent, Rejected
from mentiondesk.connectors.rss.dedupe import SeenEntries
from mentiondesk.connectors.rss.fetch import FeedFetcher, FeedState
from mentiondesk.connectors.rss.parser import parse_feed
from mentiondesk.domain.posts import Platform

__all__ = ["FeedPoll", "poll_feed"]


@dataclass(slots=True)
class FeedPoll:
    state: FeedState  # store it: URL, ETag and Last-Modified for the next poll
    events: list[InboundEvent] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    warning: str | None = None
    not_modified: bool = False
    moved: bool = False  # the feed moved for good; ``state.url`` is its new address


def poll_feed(
    fetcher: FeedFetcher,
    state: FeedState,
    seen: SeenEntries,
    *,
    platform: Platform = Platform.BLOG,
) -> FeedPoll:
    """Poll ``state``'s feed once. ``seen`` is updated in place. Raises ``PlatformRefused``
    when the server refuses (a 410 has ``failure.code == "gone"``: stop polling)."""
    fetched = fetcher.fetch(state)
    if fetched.content is None:
        return FeedPoll(fetched.state, not_modified=True, moved=fetched.moved)
    parsed = parse_feed(
        fetched.content,
        feed_url=fetched.state.url,
        now=fetcher.http.clock(),
        platform=platform,
        headers=fetched.headers,
    )
    return FeedPoll(
        fetched.state,
        events=seen.sort(parsed.entries),
        rejected=parsed.rejected,
        warning=parsed.warning,
        moved=fetched.moved,
    )
