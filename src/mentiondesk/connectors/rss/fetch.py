"""Fetching a feed politely: conditional GET, redirects understood, one classifier.

The server's ``ETag`` and ``Last-Modified`` are stored verbatim in ``FeedState`` and sent back
as ``If-None-Match`` and ``If-Modified-Since`` (some servers honour only one of them); a 304
means nothing changed. A permanent redirect (301, 308) moves the stored URL; a temporary one
(302, 303, 307) is followed without moving it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urljoin

from mentiondesk.connectors.http import Clock, PlatformHTTP, utc_now
from mentiondesk.connectors.refusals import Failure, FailureKind, header, refusal
from mentiondesk.connectors.rss.errors import classify

__all__ = ["MAX_FEED_BYTES", "USER_AGENT", "FeedFetcher", "FeedState", "Fetched"]

MAX_FEED_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "mentiondesk-feed-reader/1 (+https://github.com/mentiondesk)"
_PERMANENT = frozenset({301, 308})
_TEMPORARY = frozenset({302, 303, 307})


@dataclass(frozen=True, slots=True)
class FeedState:
    """What is remembered about a feed between polls."""

    url: str
    etag: str | None = None
    modified: str | None = None


@dataclass(frozen=True, slots=True)
class Fetched:
    state: FeedState  # to store for the next poll (the URL moves on a permanent redirect)
    content: bytes | None  # ``None``: not modified since the last poll
    headers: Mapping[str, str]
    moved: bool = False

    @property
    def not_modified(self) -> bool:
        return self.content is None


class FeedFetcher:
    """Fetches feeds at absolute URLs with conditional GET."""

    def __init__(
        self, *, timeout: float = 20.0, user_agent: str = USER_AGENT, clock: Clock = utc_now
    ) -> None:
        self.http = PlatformHTTP(
            "", classify, timeout=timeout, headers={"User-Agent": user_agent}, clock=clock
        )

    def fetch(self, state: FeedState) -> Fetched:
        """Fetch ``state.url``; raises ``PlatformRefused`` when the server refuses."""
        conditional: dict[str, str] = {}
        if state.etag:
            conditional["If-None-Match"] = state.etag
        if state.modified:
            conditional["If-Modified-Since"] = state.modified
        url, stored, moved, permanent_chain = state.url, state.url, False, True
        for _ in range(MAX_REDIRECTS + 1):
            response = self.http.request("GET", url, headers=conditional)
            location = header(response.headers, "location")
            if response.status_code in _PERMANENT | _TEMPORARY and location:
                url = urljoin(url, location)
                permanent_chain = permanent_chain and response.status_code in _PERMANENT
                if permanent_chain:
                    stored, moved = url, True
                continue
            if response.status_code == 304:
                return Fetched(replace(state, url=stored), None, response.headers, moved)
            if len(response.content) > MAX_FEED_BYTES:
                raise refusal(Failure(FailureKind.INVALID, "the feed is larger than 10 MB"))
            fresh = FeedState(
                stored, header(response.headers, "etag"), header(response.headers, "last-modified")
            )
            return Fetched(fresh, response.content, response.headers, moved)
        raise refusal(Failure(FailureKind.REFUSED, "the feed redirects too many times"))

    def close(self) -> None:
        self.http.close()
