"""One poll of an open channel: what is new on each of its streams since the stored cursors.

A reader is built once per channel and kept by the channel worker, so its client keeps its
session (Bluesky's is refreshed, never a login per request; Reddit's token is reused until it
expires). ``poll(cursors, terms)`` returns the events, the rejected entries and the cursors to
store with them; it raises ``PlatformRefused`` when the platform refuses (``TokenInvalid`` for
credentials that stopped working). ``terms`` are the brand's search terms when the channel has
none of its own. Bluesky's Jetstream is a stream, read by the worker, not here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from typing import Any, Protocol

from mentiondesk.connectors.inbound import InboundEvent, ParseResult, Rejected
from mentiondesk.connectors.reddit.client import RedditClient
from mentiondesk.connectors.refusals import PlatformRefused
from mentiondesk.connectors.rss.dedupe import SeenEntries
from mentiondesk.connectors.rss.fetch import FeedFetcher, FeedState
from mentiondesk.connectors.rss.poller import poll_feed
from mentiondesk.connectors.x.budget import PRICES, Price
from mentiondesk.connectors.x.oauth import UserToken
from mentiondesk.desk.open_clients import (
    bluesky_client,
    mastodon_client,
    reddit_client,
    session_secret,
    stored_session,
    synced_budget,
    x_budget,
    x_client,
    x_secrets,
    x_user_token,
)
from mentiondesk.domain.channels import ChannelAccount
from mentiondesk.domain.posts import Platform

__all__ = ["ChannelRead", "ChannelReader", "newest", "reader_for", "refreshed"]


@dataclass(slots=True)
class ChannelRead:
    events: list[InboundEvent] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    cursors: dict[str, str] = field(default_factory=dict)  # streams that moved
    note: str = ""  # something an admin should see (X polling stopped at the cap)
    slow: float = 1.0  # stretch the next polling interval by this much
    spent_usd: Decimal | None = None  # X: what this poll cost
    spent_month: str | None = None
    secrets: dict[str, str] | None = None  # to seal and store (a refreshed Bluesky session)
    stored: Callable[[], None] | None = None  # run once the read's posts are stored

    def take(self, results: Sequence[ParseResult], stream: str, cursor: str | None) -> None:
        for result in results:
            if isinstance(result, InboundEvent):
                self.events.append(result)
            elif isinstance(result, Rejected):
                self.rejected.append(result)
        if cursor is not None:
            self.cursors[stream] = cursor


class ChannelReader(Protocol):
    def poll(self, cursors: dict[str, str], terms: Sequence[str]) -> ChannelRead: ...

    def close(self) -> None: ...


def refreshed(reader: ChannelReader, account: ChannelAccount, *, streaming: bool = False) -> None:
    """Give a long-lived reader what changed in the stored account since it was built (the
    X budget others spent), and whether a live stream brings its notifications."""
    if isinstance(reader, XReader):
        synced_budget(reader.budget, account)
        reader.adopt_stored(account)
    if isinstance(reader, MastodonReader):
        reader.streaming = streaming


def _scope(account: ChannelAccount, key: str) -> list[str]:
    value = account.config.get(key) or []
    return [str(v) for v in value] if isinstance(value, list) else []


class MastodonReader:
    def __init__(self, account: ChannelAccount) -> None:
        self.account = account
        self.client = mastodon_client(account)
        self.streaming = False  # the user stream is live: it brings the notifications

    def poll(self, cursors: dict[str, str], terms: Sequence[str]) -> ChannelRead:
        read = ChannelRead()
        if self.client.account_id is None:
            self.client.verify_credentials()
        if not self.streaming:
            page = self.client.mentions(cursors.get("notifications"))
            read.take(page.results, "notifications", page.cursor)
        for tag in _scope(self.account, "hashtags"):
            page = self.client.hashtag(tag, cursors.get(f"tag:{tag}"))
            read.take(page.results, f"tag:{tag}", page.cursor)
        for term in _scope(self.account, "search") or list(terms):
            page = self.client.search(term, cursors.get(f"search:{term}"))
            read.take(page.results, f"search:{term}", page.cursor)
        return read

    def close(self) -> None:
        self.client.close()


class BlueskyReader:
    """Notifications (mentions, replies, quotes); the network's posts come from Jetstream."""

    def __init__(self, account: ChannelAccount) -> None:
        self.secrets = account.secrets
        self.client = bluesky_client(account)

    def poll(self, cursors: dict[str, str], terms: Sequence[str]) -> ChannelRead:
        read = ChannelRead()
        results, seen_at = self.client.new_notifications(cursors.get("notifications"))
        read.take(results, "notifications", seen_at)
        session = self.client.session
        if session is not None and session != stored_session(self.secrets):
            self.secrets = {**self.secrets, "session": session_secret(session)}
            read.secrets = self.secrets  # logged in or refreshed: keep it for the next process
        return read

    def close(self) -> None:
        self.client.close()


class RedditReader:
    def __init__(self, account: ChannelAccount) -> None:
        self.account = account
        self.client = reddit_client(account)

    def poll(self, cursors: dict[str, str], terms: Sequence[str]) -> ChannelRead:
        read = ChannelRead()
        inbox: list[str] = []
        for stream, fetch in self._streams(terms):
            page = fetch(cursors.get(stream))
            read.take(page.results, stream, page.cursor)
            if stream in ("mentions", "inbox"):
                inbox += [e.platform_post_id for e in page.events if e.post is not None]
        if inbox:
            unique = list(dict.fromkeys(inbox))
            read.stored = partial(self.client.mark_read, unique)
        return read

    def _streams(self, terms: Sequence[str]) -> list[tuple[str, Callable[[str | None], Any]]]:
        c = self.client
        streams: list[tuple[str, Callable[[str | None], Any]]] = [
            ("mentions", c.mentions),
            ("inbox", c.inbox),
        ]
        for sub in _scope(self.account, "subreddits"):
            streams.append((f"r/{sub}/new", partial(_sub_posts, c, sub)))
            streams.append((f"r/{sub}/comments", partial(_sub_comments, c, sub)))
        for term in _scope(self.account, "search") or list(terms):
            streams.append((f"search:{term}", partial(_search, c, term)))
        return streams

    def close(self) -> None:
        self.client.close()


def _sub_posts(client: RedditClient, sub: str, before: str | None) -> Any:
    return client.new_posts(sub, before)


def _sub_comments(client: RedditClient, sub: str, before: str | None) -> Any:
    return client.new_comments(sub, before)


def _search(client: RedditClient, term: str, before: str | None) -> Any:
    return client.search(term, before)


class FeedReader:
    """Conditional GET (ETag / Last-Modified); entries deduplicated by id, link or hash."""

    def __init__(self, account: ChannelAccount) -> None:
        self.account = account
        self.fetcher = FeedFetcher()

    def poll(self, cursors: dict[str, str], terms: Sequence[str]) -> ChannelRead:
        state = FeedState(
            cursors.get("url") or self.account.config.get("url") or self.account.external_id,
            cursors.get("etag") or None,
            cursors.get("modified") or None,
        )
        seen = SeenEntries(json.loads(cursors.get("seen") or "{}"))
        polled = poll_feed(self.fetcher, state, seen, platform=self.account.platform)
        read = ChannelRead(events=polled.events, rejected=polled.rejected)
        read.cursors = {
            "url": polled.state.url,
            "etag": polled.state.etag or "",
            "modified": polled.state.modified or "",
            "seen": json.dumps(seen.snapshot(), separators=(",", ":")),
        }
        read.note = polled.warning or ""
        return read

    def close(self) -> None:
        self.fetcher.close()


class XReader:
    """Mentions and recent search with ``since_id``; every read is counted against the month's
    budget, polling slows near the cap and stops at it (``note`` says so)."""

    def __init__(self, account: ChannelAccount) -> None:
        self.account = account
        self.secrets = dict(account.secrets)
        self.renewed = False  # the user token was refreshed: store the pair with this read
        self.budget = x_budget(account)
        self.client = x_client(account, self.budget, on_refresh=self._renewed)

    def _renewed(self, token: UserToken) -> None:
        self.secrets = x_secrets(self.secrets, token)
        self.renewed = True

    def adopt_stored(self, account: ChannelAccount) -> None:
        """The outbox (or another process) refreshed the user token and stored the pair: the
        refresh token this reader holds was spent, so take the stored one."""
        stored = x_user_token(account.secrets)
        mine = self.client.token
        if stored is None or mine is None or stored.refresh == mine.refresh:
            return
        if (stored.expires_at or datetime.min.replace(tzinfo=UTC)) > (
            mine.expires_at or datetime.min.replace(tzinfo=UTC)
        ):
            self.client.adopt(stored)
            self.secrets = dict(account.secrets)

    def poll(self, cursors: dict[str, str], terms: Sequence[str]) -> ChannelRead:
        read = ChannelRead()
        self.budget.roll(self.client.http.clock())
        before = self.budget.spent
        wanted = _scope(self.account, "search") or list(terms)
        query = " OR ".join(f'"{t}"' for t in wanted)
        query = f"({query})" if len(wanted) > 1 else query
        reads: list[tuple[str, Callable[[str | None], Any]]] = [("mentions", self.client.mentions)]
        if query:
            search = f"{query} -is:retweet"[:512]
            reads.append(("search", partial(self.client.search, search)))
        for stream, fetch in reads:
            if self.budget.pace() is None:
                break
            try:
                page = fetch(cursors.get(stream))
            except PlatformRefused as exc:
                if exc.failure.code != "budget":
                    raise
                break  # the next call would pass the cap: stop here, say so below
            read.take(page.results, stream, page.cursor)
        pace = self.budget.pace()
        if pace is None or self.budget.remaining < PRICES[Price.OWNED_READ]:
            read.note = (
                f"X budget of ${self.budget.monthly} reached "
                f"(${self.budget.spent} spent this month): polling stopped"
            )
            read.slow = 0.0
        elif pace > 1:
            read.note = f"X budget ${self.budget.spent} of ${self.budget.monthly}: polling slowed"
            read.slow = pace
        read.spent_usd, read.spent_month = self.budget.spent - before, self.budget.month
        read.secrets = self.unsaved_secrets()
        return read

    def unsaved_secrets(self) -> dict[str, str] | None:
        """A refreshed pair not stored yet (also after a failed poll: the old refresh token
        is spent, so the new one must be kept whatever happened next)."""
        if not self.renewed:
            return None
        self.renewed = False
        return dict(self.secrets)

    def close(self) -> None:
        self.client.close()


def reader_for(account: ChannelAccount) -> ChannelReader:
    match account.platform:
        case Platform.MASTODON:
            return MastodonReader(account)
        case Platform.BLUESKY:
            return BlueskyReader(account)
        case Platform.REDDIT:
            return RedditReader(account)
        case Platform.X:
            return XReader(account)
        case _:
            return FeedReader(account)


def newest(events: Sequence[InboundEvent]) -> datetime | None:
    return max((e.occurred_at for e in events), default=None)
