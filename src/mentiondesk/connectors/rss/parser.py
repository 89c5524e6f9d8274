"""Parse a feed document into entries the desk can ingest; never raises.

feedparser reads RSS 0.9x/1.0/2.0 and Atom alike and sanitises their HTML. A document it
cannot read at all (not XML, no feed in it) is one ``Rejected`` with feedparser's reason; a
document that is malformed but still yields entries (feedparser's ``bozo``) keeps its entries
and reports a ``warning``, since most such feeds are readable and dropping them would lose
posts. An entry with no text at all is rejected on its own.

Each entry gets a ``key`` for dedupe — its id (Atom ``<id>``, RSS ``<guid>``), else its link,
else a hash of its content — and a content ``digest`` that tells an edited entry from a
repeated one. Two entries of one document sharing an id are both kept: the second is keyed by
id and digest.
"""

from __future__ import annotations

import calendar
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser

from mentiondesk.connectors.inbound import Rejected, content_hash, fragment, raw_post
from mentiondesk.domain.posts import Platform, PostKind

__all__ = ["FeedEntry", "ParsedFeed", "parse_feed"]

MAX_TEXT_CHARS = 20_000
_TAG = re.compile(r"<[^>]*>")
_BLOCK = re.compile(r"</?(p|br|div|li|h[1-6]|blockquote|tr)\b[^>]*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\n\s*\n+")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    key: str  # ``id:…``, ``link:…`` or ``hash:…``; stable across polls
    digest: str  # changes when the entry's content changes
    post: dict[str, Any]  # the pipeline's raw post shape
    updated: datetime | None


@dataclass(slots=True)
class ParsedFeed:
    title: str = ""
    entries: list[FeedEntry] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    warning: str | None = None  # malformed but readable: say so, keep the entries


def parse_feed(
    content: bytes | str,
    *,
    feed_url: str,
    now: datetime,
    platform: Platform = Platform.BLOG,
    headers: Mapping[str, str] | None = None,
) -> ParsedFeed:
    """The entries of one fetched feed document. ``now`` dates entries that carry no date."""
    try:
        parsed = feedparser.parse(content, response_headers=dict(headers or {}), sanitize_html=True)
    except Exception as exc:  # feedparser promises not to raise; a bug there must not stop us
        return ParsedFeed(
            rejected=[Rejected(f"feed could not be parsed: {exc}", fragment(content))]
        )
    problem = _bozo_reason(parsed)
    if not parsed.get("version") and not parsed.entries:
        reason = f"not a feed: {problem}" if problem else "not an RSS or Atom feed"
        return ParsedFeed(rejected=[Rejected(reason, fragment(content))])
    result = ParsedFeed(title=_plain(parsed.feed.get("title", "")) or "")
    source = result.title or urlsplit(feed_url).hostname or feed_url
    keys: set[str] = set()
    for raw in parsed.entries:
        entry = _entry(raw, source=source, platform=platform, now=now, keys=keys)
        if isinstance(entry, Rejected):
            result.rejected.append(entry)
        else:
            result.entries.append(entry)
    if problem and not result.entries:
        reason = f"feed is not well-formed XML: {problem}"
        return ParsedFeed(title=result.title, rejected=[Rejected(reason, fragment(content))])
    if problem:
        result.warning = f"feed is malformed but readable: {problem}"
    return result


def _entry(
    raw: Any, *, source: str, platform: Platform, now: datetime, keys: set[str]
) -> FeedEntry | Rejected:
    raw = dict(raw)  # plain keys: feedparser's aliases (updated -> published) warn
    title = _plain(raw.get("title", ""))
    body = _body(raw)
    link = _link(raw)
    if not title and not body:
        return Rejected("feed entry has neither a title nor any text", fragment(raw))
    published = _when(raw.get("published_parsed")) or _when(raw.get("updated_parsed"))
    updated = _when(raw.get("updated_parsed"))
    digest = content_hash(title, body, link)
    entry_id = (raw.get("id") or "").strip() if isinstance(raw.get("id"), str) else ""
    if entry_id:
        key = f"id:{entry_id}"
    elif link:
        key = f"link:{link}"
    else:
        key = "hash:" + content_hash(title, body, published.isoformat() if published else "")
    if key in keys:
        key = f"{key}#{digest}"
    keys.add(key)
    text = f"{title}\n\n{body}" if title and body and body != title else title or body
    post = raw_post(
        platform=platform,
        post_id=key if len(key) <= 200 else "hash:" + content_hash(key),
        text=text[:MAX_TEXT_CHARS],
        created_at=published or now,
        author_handle=_plain(raw.get("author", "")) or source,
        author_name=_plain(raw.get("author", "")),
        kind=PostKind.POST,
        url=link,
        lang=_lang(raw),
    )
    return FeedEntry(key, digest, post, updated)


def _body(raw: Any) -> str:
    contents = raw.get("content")
    if isinstance(contents, list):
        for item in contents:
            value = _plain(item.get("value", "")) if isinstance(item, dict) else ""
            if value:
                return value
    return _plain(raw.get("summary", ""))


def _link(raw: Any) -> str | None:
    link = raw.get("link")
    if isinstance(link, str) and urlsplit(link).scheme in ("http", "https"):
        return link.strip()
    return None


def _lang(raw: Any) -> str | None:
    detail = raw.get("title_detail") or raw.get("summary_detail") or {}
    lang = detail.get("language") if isinstance(detail, dict) else None
    return lang.split("-")[0].lower() if isinstance(lang, str) and lang else None


def _when(value: Any) -> datetime | None:
    """feedparser's ``*_parsed`` values are UTC ``struct_time``s, or ``None``."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _plain(value: Any) -> str:
    """Text from sanitised HTML: tags dropped, entities decoded, paragraphs kept."""
    if not isinstance(value, str):
        return ""
    value = _BLOCK.sub("\n", value)
    value = html.unescape(_TAG.sub("", value))
    value = _SPACES.sub(" ", value)
    return _LINES.sub("\n\n", "\n".join(line.strip() for line in value.split("\n"))).strip()


def _bozo_reason(parsed: Any) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    return str(exc) if exc is not None else "malformed document"
