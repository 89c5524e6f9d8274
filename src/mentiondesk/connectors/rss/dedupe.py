"""Which fetched entries are new, which are edits, and which were seen before.

``SeenEntries`` maps entry keys to content digests; it is plain data (``snapshot``/``restore``)
so the channel worker can store it beside the feed's ETag. It is bounded: the oldest keys are
forgotten first, which is safe because a feed only shows its latest entries (an entry that
falls out of the window and comes back after ``limit`` newer ones would be seen again)."""

from __future__ import annotations

from collections.abc import Iterable

from mentiondesk.connectors.inbound import InboundEvent, moment
from mentiondesk.connectors.rss.parser import FeedEntry
from mentiondesk.domain.posts import Platform

__all__ = ["ENTRY", "ENTRY_UPDATED", "SeenEntries"]

ENTRY = "entry"
ENTRY_UPDATED = "entry_updated"
DEFAULT_LIMIT = 5000


class SeenEntries:
    def __init__(
        self, digests: dict[str, str] | None = None, *, limit: int = DEFAULT_LIMIT
    ) -> None:
        self.limit = limit
        self._digests: dict[str, str] = dict(digests or {})

    def sort(self, entries: Iterable[FeedEntry]) -> list[InboundEvent]:
        """Events for the entries not seen before (``entry``) or whose content changed
        (``entry_updated``), oldest first as feeds list newest first; remembers them all."""
        events: list[InboundEvent] = []
        for entry in reversed(list(entries)):
            before = self._digests.get(entry.key)
            if before == entry.digest:
                continue
            kind = ENTRY if before is None else ENTRY_UPDATED
            self._digests.pop(entry.key, None)
            self._digests[entry.key] = entry.digest
            at = moment(entry.post["created_at"])
            assert at is not None
            events.append(
                InboundEvent(
                    kind=kind,
                    platform=Platform(entry.post["platform"]),
                    platform_post_id=entry.post["platform_post_id"],
                    occurred_at=(entry.updated or at) if kind == ENTRY_UPDATED else at,
                    dedupe_key=f"{entry.key}@{entry.digest}",
                    post=entry.post,
                )
            )
        while len(self._digests) > self.limit:
            del self._digests[next(iter(self._digests))]
        return events

    def snapshot(self) -> dict[str, str]:
        return dict(self._digests)

    def __len__(self) -> int:
        return len(self._digests)
