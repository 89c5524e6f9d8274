"""A client for the Mastodon REST and streaming API of one instance, as one account.

Reads walk forward with ``min_id`` (the id of the newest item already seen): Mastodon then
returns the items right after it, so nothing is skipped when more than a page arrived between
two polls (``since_id`` would return only the newest page). Without a cursor (a new channel)
a read takes the newest page only and starts the cursor there, rather than walking the
account's whole history. Each read returns the parsed
results and the cursor to store. Writes send an ``Idempotency-Key``; Mastodon keeps keys for an
hour and answers a repeated key with the status it already made.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from mentiondesk.connectors.http import Clock, PlatformHTTP, utc_now
from mentiondesk.connectors.inbound import InboundEvent, ParseResult, ident, obj
from mentiondesk.connectors.mastodon.errors import RateLimit, classify, rate_limit
from mentiondesk.connectors.mastodon.parser import (
    SSEDecoder,
    parse_notification,
    parse_status,
    parse_stream_event,
)

__all__ = ["MAX_PAGES", "MastodonClient", "Page"]

PAGE_LIMIT = 40  # notifications allow 80, timelines 40, search 40
MAX_PAGES = 10  # per poll; the rest waits for the next poll, from the stored cursor


@dataclass(slots=True)
class Page:
    results: list[ParseResult] = field(default_factory=list)
    cursor: str | None = None  # the newest id read; pass it back as ``min_id`` next time

    @property
    def events(self) -> list[InboundEvent]:
        return [r for r in self.results if isinstance(r, InboundEvent)]


class MastodonClient:
    def __init__(
        self,
        instance_url: str,
        token: str,
        *,
        timeout: float = 10.0,
        clock: Clock = utc_now,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.http = PlatformHTTP(
            instance_url,
            classify,
            timeout=timeout,
            headers={"Authorization": f"Bearer {token}"},
            clock=clock,
            transport=transport,
        )
        self.account_id: str | None = None

    @property
    def rate_limit(self) -> RateLimit | None:
        """What the instance said about the quota on its last answer."""
        last = self.http.last_response
        return rate_limit(last.headers) if last is not None else None

    def verify_credentials(self) -> dict[str, Any]:
        """The brand's account; also learns its id, so its own statuses are told apart."""
        account = obj(self.http.request("GET", "/api/v1/accounts/verify_credentials").json())
        self.account_id = ident(account.get("id"))
        return account

    # -- reads --------------------------------------------------------------------------

    def mentions(self, min_id: str | None) -> Page:
        """Mention notifications (private mentions included) after ``min_id``."""
        params: dict[str, Any] = {"types[]": ["mention", "quote"], "limit": PAGE_LIMIT}
        return self._walk(
            "/api/v1/notifications",
            params,
            min_id,
            lambda item: parse_notification(item, brand_account_id=self.account_id),
        )

    def hashtag(self, tag: str, min_id: str | None) -> Page:
        """Public statuses tagged ``#tag`` after ``min_id``."""
        return self._walk(
            f"/api/v1/timelines/tag/{tag.lstrip('#')}",
            {"limit": PAGE_LIMIT},
            min_id,
            lambda item: parse_status(item, brand_account_id=self.account_id),
        )

    def search(self, query: str, min_id: str | None) -> Page:
        """Statuses matching ``query``; the instance must have full-text search enabled."""
        params = {"q": query, "type": "statuses", "limit": PAGE_LIMIT, "resolve": "false"}
        return self._walk(
            "/api/v2/search",
            params,
            min_id,
            lambda item: parse_status(item, brand_account_id=self.account_id),
            key="statuses",
        )

    def stream(
        self,
        stream: str = "user/notification",
        *,
        opened: Callable[[], None] | None = None,
        keep_going: Callable[[], bool] | None = None,
        **params: str,
    ) -> Iterator[ParseResult]:
        """Events from ``GET /api/v1/streaming/<stream>`` (SSE) until the server closes it.
        Streams lose what is sent while disconnected: poll ``mentions`` from the stored
        cursor in ``opened`` (once the instance accepted the stream) after every reconnect.
        ``keep_going`` is asked after every chunk (heartbeats included): False ends the read."""
        decoder = SSEDecoder()
        path = f"/api/v1/streaming/{stream}"
        chunks = self.http.stream("GET", path, params=params, opened=opened)
        with contextlib.closing(chunks):  # leaving early closes the connection now
            for chunk in chunks:
                for event, data in decoder.feed(chunk):
                    yield parse_stream_event(
                        event, data, now=self.http.clock(), brand_account_id=self.account_id
                    )
                if keep_going is not None and not keep_going():
                    return

    def _walk(
        self,
        path: str,
        params: dict[str, Any],
        min_id: str | None,
        parse: Callable[[Any], ParseResult],
        key: str = "",
    ) -> Page:
        page = Page(cursor=min_id)
        for _ in range(MAX_PAGES):
            query = dict(params)
            if page.cursor is not None:
                query["min_id"] = page.cursor
            body = self.http.request("GET", path, params=query).json()
            items = obj(body).get(key) if key else body
            if not isinstance(items, list) or not items:
                break
            # Mastodon lists newest first; results go out oldest first.
            ordered = sorted(items, key=_id_order)
            page.results.extend(parse(item) for item in ordered)
            newest = ident(obj(ordered[-1]).get("id"))
            if newest is None or newest == page.cursor:
                break
            page.cursor = newest
            if len(items) < int(params.get("limit", PAGE_LIMIT)):
                break
        return page

    # -- writes -------------------------------------------------------------------------

    def post_status(
        self,
        text: str,
        *,
        idempotency_key: str,
        in_reply_to_id: str | None = None,
        visibility: str = "public",
    ) -> dict[str, Any]:
        form: dict[str, Any] = {"status": text, "visibility": visibility}
        if in_reply_to_id is not None:
            form["in_reply_to_id"] = in_reply_to_id
        response = self.http.request(
            "POST",
            "/api/v1/statuses",
            data=form,
            headers={"Idempotency-Key": idempotency_key},
            write=True,
        )
        return obj(response.json())

    def favourite(self, status_id: str) -> dict[str, Any]:
        return obj(
            self.http.request("POST", f"/api/v1/statuses/{status_id}/favourite", write=True).json()
        )

    def unfavourite(self, status_id: str) -> dict[str, Any]:
        return obj(
            self.http.request(
                "POST", f"/api/v1/statuses/{status_id}/unfavourite", write=True
            ).json()
        )

    def close(self) -> None:
        self.http.close()


def _id_order(item: Any) -> tuple[int, str]:
    raw = ident(obj(item).get("id")) or ""
    return (int(raw), raw) if raw.isdigit() else (0, raw)
