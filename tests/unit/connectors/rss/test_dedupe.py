"""Only new or edited entries become events; repeats do not."""

from __future__ import annotations

from datetime import UTC, datetime

from mentiondesk.connectors.rss.dedupe import ENTRY, ENTRY_UPDATED, SeenEntries
from mentiondesk.connectors.rss.fake_server import FeedItem, rss_document
from mentiondesk.connectors.rss.parser import FeedEntry, parse_feed

NOW = datetime(2026, 3, 10, tzinfo=UTC)


def entries(*items: FeedItem) -> list[FeedEntry]:
    return parse_feed(
        rss_document("B", list(items)), feed_url="https://b.example/", now=NOW
    ).entries


def test_a_repeated_entry_is_reported_once_and_new_ones_oldest_first() -> None:
    seen = SeenEntries()
    first = seen.sort(entries(FeedItem("One", "1", guid="1")))
    assert [e.platform_post_id for e in first] == ["id:1"]
    second = seen.sort(
        entries(
            FeedItem("Three", "3", guid="3"),
            FeedItem("Two", "2", guid="2"),
            FeedItem("One", "1", guid="1"),
        )
    )
    assert [(e.kind, e.platform_post_id) for e in second] == [(ENTRY, "id:2"), (ENTRY, "id:3")]


def test_an_entry_whose_content_changed_is_reported_as_updated() -> None:
    seen = SeenEntries()
    seen.sort(entries(FeedItem("Acme", "good", guid="1")))
    [edited] = seen.sort(entries(FeedItem("Acme", "actually bad", guid="1")))
    assert edited.kind == ENTRY_UPDATED
    assert "actually bad" in (edited.post or {})["text"]
    assert seen.sort(entries(FeedItem("Acme", "actually bad", guid="1"))) == []


def test_the_seen_set_survives_a_snapshot_and_forgets_the_oldest_beyond_its_limit() -> None:
    seen = SeenEntries(limit=2)
    seen.sort(
        entries(
            FeedItem("C", "c", guid="c"), FeedItem("B", "b", guid="b"), FeedItem("A", "a", guid="a")
        )
    )
    assert set(seen.snapshot()) == {"id:b", "id:c"}
    restored = SeenEntries(seen.snapshot(), limit=2)
    assert restored.sort(entries(FeedItem("C", "c", guid="c"))) == []
