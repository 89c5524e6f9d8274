"""A fake feed server on real HTTP: static RSS and Atom documents with ETag and Last-Modified,
honouring ``If-None-Match`` and ``If-Modified-Since`` with 304, plus the failures feeds show in
the wild (platforms.md §11): permanent redirects, 410 Gone, malformed XML, missing and
duplicate guids (write them into the document), 429/503 with ``Retry-After``.

    with FakeFeedServer() as fake:
        fake.publish("/blog.xml", rss_document("Acme blog", [FeedItem(...)]))
        fetcher.fetch(FeedState(fake.url("/blog.xml")))
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mentiondesk.connectors.fake_http import FakeHTTPServer, Recorder, ServedFake, record

__all__ = ["MALFORMED_FEED", "FakeFeedServer", "FeedItem", "atom_document", "rss_document"]

MALFORMED_FEED = b"<?xml version='1.0'?><rss><channel><title>Broken</title><item><title>oops"


@dataclass(frozen=True, slots=True)
class FeedItem:
    title: str
    text: str = ""
    link: str | None = None
    guid: str | None = None
    published: datetime | None = None
    author: str | None = None


def rss_document(title: str, items: list[FeedItem], *, link: str = "https://example.org/") -> bytes:
    """An RSS 2.0 document, newest item first as feeds list them."""
    return _document(
        [
            "<rss version='2.0'><channel>",
            f"<title>{escape(title)}</title><link>{escape(link)}</link><description>d</description>",
        ],
        "item",
        items,
        [
            ("text", lambda text: f"<description>{escape(text)}</description>"),
            ("link", lambda link: f"<link>{escape(link)}</link>"),
            ("guid", lambda guid: f"<guid isPermaLink='false'>{escape(guid)}</guid>"),
            ("published", lambda at: f"<pubDate>{format_datetime(at, usegmt=True)}</pubDate>"),
            ("author", lambda author: f"<author>{escape(author)}</author>"),
        ],
        "</channel></rss>",
    )


def atom_document(title: str, items: list[FeedItem], *, feed_id: str = "urn:fake:feed") -> bytes:
    """An Atom 1.0 document; ``guid`` is the entry's ``<id>``, ``published`` its ``<updated>``."""
    now = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
    return _document(
        [
            "<feed xmlns='http://www.w3.org/2005/Atom'>",
            f"<title>{escape(title)}</title><id>{escape(feed_id)}</id><updated>{now}</updated>",
        ],
        "entry",
        items,
        [
            ("guid", lambda guid: f"<id>{escape(guid)}</id>"),
            ("link", lambda link: f"<link href='{escape(link)}'/>"),
            ("published", lambda at: f"<updated>{at.isoformat()}</updated>"),
            ("author", lambda author: f"<author><name>{escape(author)}</name></author>"),
            ("text", lambda text: f"<content type='html'>{escape(text)}</content>"),
        ],
        "</feed>",
    )


def _document(
    head: list[str],
    element: str,
    items: list[FeedItem],
    fields: list[tuple[str, Callable[[Any], str]]],
    tail: str,
) -> bytes:
    """A feed document: each item as ``element`` with its title, then each of ``fields`` that
    the item has, in order, rendered by the format's own tag."""
    parts = ["<?xml version='1.0' encoding='UTF-8'?>", *head]
    for item in items:
        parts.append(f"<{element}><title>{escape(item.title)}</title>")
        for name, render in fields:
            value = getattr(item, name)
            if value:
                parts.append(render(value))
        parts.append(f"</{element}>")
    parts.append(tail)
    return "".join(parts).encode("utf-8")


@dataclass(slots=True)
class _Feed:
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    status: int = 200
    location: str | None = None


@dataclass(slots=True)
class _Feeds:
    by_path: dict[str, _Feed] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class FakeFeedServer(ServedFake):
    """Serves published documents; ``recorder`` holds every request and injected failures
    (``fail_next("rate_limit", retry_after=120)``, ``"unavailable"``, ``"server_error"``)."""

    def __init__(self) -> None:
        self.recorder = Recorder()
        self._feeds = _Feeds()
        self._server = FakeHTTPServer(self._app(), name="fake-feeds")
        self._version = 0

    def url(self, path: str) -> str:
        return self._server.base_url + path

    def publish(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str = "application/rss+xml; charset=utf-8",
        etag: bool = True,
        last_modified: bool = True,
    ) -> None:
        """Serve ``body`` at ``path``; each publication gets a new ETag and Last-Modified."""
        with self._feeds.lock:
            self._version += 1
            stamp = datetime(2026, 3, 1, tzinfo=UTC).timestamp() + self._version * 60
            self._feeds.by_path[path] = _Feed(
                body,
                content_type,
                f'"{hashlib.sha256(body).hexdigest()[:16]}"' if etag else None,
                format_datetime(datetime.fromtimestamp(stamp, UTC), usegmt=True)
                if last_modified
                else None,
            )

    def move(self, path: str, to: str, *, status: int = 301) -> None:
        """Redirect ``path`` to ``to`` (301/308 permanent, 302/307 temporary)."""
        with self._feeds.lock:
            self._feeds.by_path[path] = _Feed(b"", "text/plain", None, None, status, to)

    def remove(self, path: str) -> None:
        """Answer 410 Gone at ``path`` from now on."""
        with self._feeds.lock:
            self._feeds.by_path[path] = _Feed(b"gone", "text/plain", None, None, 410)

    def _app(self) -> Starlette:
        async def serve(request: Request) -> Response:
            recorded, injected = await record(self.recorder, request)
            if injected is not None:
                return _failure(injected.kind, injected.options)
            with self._feeds.lock:
                feed = self._feeds.by_path.get(recorded.path)
            if feed is None:
                return Response("not found", 404)
            if feed.status != 200:
                headers = {"Location": feed.location} if feed.location else {}
                return Response(feed.body, feed.status, headers=headers)
            headers = {}
            if feed.etag:
                headers["ETag"] = feed.etag
            if feed.last_modified:
                headers["Last-Modified"] = feed.last_modified
            match = recorded.headers.get("if-none-match")
            since = recorded.headers.get("if-modified-since")
            if (feed.etag and match == feed.etag) or (
                not match and feed.last_modified and since == feed.last_modified
            ):
                return Response(status_code=304, headers=headers)
            return Response(feed.body, 200, headers=headers, media_type=feed.content_type)

        return Starlette(routes=[Route("/{path:path}", serve, methods=["GET", "HEAD"])])


def _failure(kind: str, options: dict[str, object]) -> Response:
    retry = options.get("retry_after")
    headers = {"Retry-After": str(retry)} if retry is not None else {}
    if kind == "rate_limit":
        return Response("Too Many Requests", 429, headers=headers)
    if kind == "unavailable":
        return Response("Service Unavailable", 503, headers=headers)
    return Response("Internal Server Error", 500)
