"""Reading Jetstream (the network's posts as JSON over a WebSocket) and matching it in batches.

Every public post on Bluesky passes here, so the path is built for throughput: a batch of raw
lines is decoded with orjson, only ``app.bsky.feed.post`` creates keep their text, the texts go
to the matcher in one call, and only the posts it keeps (or that tag the brand's DID, or reply
in the brand's repo) become events. Everything else costs one decode and a few dict lookups.

Jetstream delivers at least once: resuming at a cursor (``time_us``, microseconds) re-sends the
event at that cursor, and cursors are local to one Jetstream instance, so a reader switching
hosts rewinds a few seconds. ``JetstreamCursor`` keeps the last ``time_us`` processed, builds
the resume cursor, and drops what was already processed, so a replay adds no duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

import orjson

from mentiondesk.connectors.bluesky.records import mentions_did, post_from_record
from mentiondesk.connectors.inbound import InboundEvent, Rejected, fragment, moment
from mentiondesk.domain.posts import Platform

__all__ = [
    "POST_COLLECTION",
    "JetstreamBatch",
    "JetstreamCursor",
    "TextMatcher",
    "read_and_match",
    "subscribe_url",
]

POST_COLLECTION = "app.bsky.feed.post"
SWITCH_REWIND_US = 5_000_000  # rewind when resuming on another Jetstream instance


class TextMatcher(Protocol):
    """Decides, for a batch of post texts, which ones the workspace wants (truthy = keep).
    The composition root adapts the listening matcher to this."""

    def __call__(self, texts: list[str]) -> Sequence[object]: ...


@dataclass(slots=True)
class JetstreamCursor:
    """The last ``time_us`` processed; store it after each batch."""

    time_us: int | None = None

    def resume(self, *, switching_host: bool = False) -> int | None:
        if self.time_us is None:
            return None
        return self.time_us - SWITCH_REWIND_US if switching_host else self.time_us

    def fresh(self, time_us: int) -> bool:
        """Whether an event is newer than what was processed (a replay re-sends older ones)."""
        return self.time_us is None or time_us > self.time_us


def subscribe_url(
    base_url: str, cursor: int | None, collections: Iterable[str] = (POST_COLLECTION,)
) -> str:
    """The ``/subscribe`` URL for ``base_url`` (e.g. ``wss://jetstream2.us-east.bsky.network``)."""
    params: list[tuple[str, str]] = [("wantedCollections", c) for c in collections]
    if cursor is not None:
        params.append(("cursor", str(cursor)))
    return f"{base_url.rstrip('/')}/subscribe?{urlencode(params)}"


@dataclass(slots=True)
class JetstreamBatch:
    events: list[InboundEvent] = field(default_factory=list)  # matched posts, in stream order
    deleted: list[str] = field(default_factory=list)  # URIs of deleted posts (any author)
    rejected: list[Rejected] = field(default_factory=list)
    posts_read: int = 0  # post creates seen (matched or not)
    duplicates: int = 0  # replayed events dropped


def read_and_match(
    lines: Sequence[bytes | str],
    matcher: TextMatcher,
    cursor: JetstreamCursor,
    *,
    brand_did: str | None = None,
) -> JetstreamBatch:
    """Decode ``lines``, match the new posts' texts in one call, and advance ``cursor``.
    Never raises on what Jetstream sent; an unreadable line is rejected with the reason."""
    batch = JetstreamBatch()
    texts: list[str] = []
    found: list[tuple[str, dict[str, Any], int]] = []  # did, commit, time_us
    loads = orjson.loads
    last = cursor.time_us
    for line in lines:
        try:
            event = loads(line)
            time_us = event["time_us"]
            if last is not None and time_us <= last:
                batch.duplicates += 1
                continue
            last = time_us
            if event.get("kind") != "commit":
                continue
            commit = event["commit"]
            if commit.get("collection") != POST_COLLECTION:
                continue
            operation = commit.get("operation")
            if operation == "create":
                body = commit["record"].get("text", "")
                if not isinstance(body, str):
                    raise TypeError("the record's text is not a string")
                texts.append(body)
                found.append((event["did"], commit, time_us))
            elif operation == "delete":
                batch.deleted.append(f"at://{event['did']}/{POST_COLLECTION}/{commit['rkey']}")
        except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
            batch.rejected.append(Rejected(f"unreadable Jetstream event: {exc!r}", fragment(line)))
    cursor.time_us = last
    batch.posts_read = len(texts)
    if not texts:
        return batch
    try:
        verdicts = matcher(texts)
    except Exception as exc:  # a failing matcher must not lose the batch silently
        raise RuntimeError(f"the matcher failed on a Jetstream batch: {exc}") from exc
    for (did, commit, time_us), keep in zip(found, verdicts, strict=True):
        addressed = brand_did is not None and _addressed(commit, did, brand_did)
        if keep or addressed:
            result = _event(did, commit, time_us, addressed)
            if isinstance(result, Rejected):
                batch.rejected.append(result)
            else:
                batch.events.append(result)
    return batch


def _addressed(commit: dict[str, Any], did: str, brand_did: str) -> bool:
    record = commit.get("record")
    if not isinstance(record, dict) or did == brand_did:
        return False
    if mentions_did(record, brand_did):
        return True
    reply = record.get("reply")
    parent = reply.get("parent") if isinstance(reply, dict) else None
    uri = parent.get("uri") if isinstance(parent, dict) else None
    return isinstance(uri, str) and uri.startswith(f"at://{brand_did}/")


def _event(
    did: str, commit: dict[str, Any], time_us: int, to_brand: bool
) -> InboundEvent | Rejected:
    record = commit.get("record")
    rkey = commit.get("rkey")
    if not isinstance(record, dict) or not isinstance(rkey, str):
        return Rejected("post create without record or rkey", fragment(commit))
    uri = f"at://{did}/{POST_COLLECTION}/{rkey}"
    post = post_from_record(uri, record, author=did, to_brand=to_brand)
    at = moment(time_us / 1_000_000)
    if post is None or at is None:
        return Rejected("post without usable text or time", fragment(commit))
    return InboundEvent(
        "mention" if to_brand else "post",
        Platform.BLUESKY,
        uri,
        at,
        f"post:{uri}",
        post,
        cursor=str(time_us),
    )
