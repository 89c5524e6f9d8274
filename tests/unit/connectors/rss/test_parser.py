"""Feed documents become entries keyed by id, then link, then content; bad ones say why."""

from __future__ import annotations

from datetime import UTC, datetime

from mentiondesk.connectors.rss.fake_server import (
    MALFORMED_FEED,
    FeedItem,
    atom_document,
    rss_document,
)
from mentiondesk.connectors.rss.parser import parse_feed
from mentiondesk.domain.posts import Platform
from mentiondesk.pipeline.payload import parse_payload

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
WHEN = datetime(2026, 3, 9, 8, 30, tzinfo=UTC)


def parse(body: bytes, **options: object):  # type: ignore[no-untyped-def]
    return parse_feed(body, feed_url="https://blog.example/feed.xml", now=NOW, **options)


def test_an_rss_item_becomes_a_post_the_pipeline_accepts() -> None:
    item = FeedItem(
        "Acme kettle review",
        "<p>The <b>Acme</b> kettle broke &amp; support never answered.</p>",
        link="https://blog.example/kettle",
        guid="post-17",
        published=WHEN,
        author="jane@blog.example (Jane)",
    )
    feed = parse(rss_document("Kitchen blog", [item]))
    assert feed.rejected == [] and feed.warning is None
    [entry] = feed.entries
    assert entry.key == "id:post-17"
    payload = parse_payload(entry.post).to_inbound()
    assert payload.platform is Platform.BLOG
    assert payload.text == "Acme kettle review\n\nThe Acme kettle broke & support never answered."
    assert payload.url == "https://blog.example/kettle"
    assert payload.created_at == WHEN
    assert "Jane" in payload.author.handle


def test_atom_entries_are_keyed_by_their_id_and_can_be_marked_as_forum_posts() -> None:
    items = [
        FeedItem(
            "Thread: Acme login loop",
            "Cannot log in",
            guid="tag:forum,2026:7",
            link="https://forum.example/t/7",
            published=WHEN,
        )
    ]
    feed = parse(atom_document("Forum", items), platform=Platform.FORUM)
    [entry] = feed.entries
    assert entry.key == "id:tag:forum,2026:7"
    assert entry.post["platform"] == "forum"
    assert parse_payload(entry.post).text.startswith("Thread: Acme login loop")


def test_an_entry_without_a_guid_is_keyed_by_its_link_and_without_a_link_by_its_content() -> None:
    items = [
        FeedItem("Linked only", "a", link="https://blog.example/a"),
        FeedItem("Bare", "no id and no link"),
    ]
    feed = parse(rss_document("Blog", items))
    keys = [entry.key for entry in feed.entries]
    assert keys[0] == "link:https://blog.example/a"
    assert keys[1].startswith("hash:")
    again = parse(rss_document("Blog", items))
    assert [entry.key for entry in again.entries] == keys  # stable across polls


def test_entries_sharing_a_guid_are_both_kept_under_distinct_keys() -> None:
    items = [FeedItem("First", "one", guid="same"), FeedItem("Second", "two", guid="same")]
    feed = parse(rss_document("Blog", items))
    assert len(feed.entries) == 2
    assert len({entry.key for entry in feed.entries}) == 2
    assert feed.entries[0].key == "id:same"


def test_an_entry_without_a_date_takes_the_time_it_was_read() -> None:
    feed = parse(rss_document("Blog", [FeedItem("Undated", "x", guid="u")]))
    assert parse_payload(feed.entries[0].post).created_at == NOW


def test_malformed_xml_without_entries_is_rejected_with_the_parsers_reason() -> None:
    feed = parse(MALFORMED_FEED)
    assert feed.entries == []
    [broken] = feed.rejected
    assert broken.reason.startswith("feed is not well-formed XML")
    assert "<title>oops" in broken.fragment
    not_a_feed = parse(b"this is not a feed at all {")
    assert not_a_feed.entries == []
    [rejected] = not_a_feed.rejected
    assert rejected.reason.startswith("not a feed")
    assert "this is not a feed" in rejected.fragment


def test_a_malformed_but_readable_feed_keeps_its_entries_and_warns() -> None:
    body = rss_document("Blog", [FeedItem("Acme is down", "again", guid="g1")])
    broken = body.replace(b"</channel></rss>", b"<unclosed></channel></rss>")
    feed = parse(broken)
    assert [entry.key for entry in feed.entries] == ["id:g1"]
    assert feed.warning is not None and "malformed" in feed.warning


def test_an_entry_with_no_text_at_all_is_rejected_alone() -> None:
    body = rss_document("Blog", [FeedItem("Fine", "ok", guid="a")]).replace(
        b"</channel>", b"<item><guid>empty</guid></item></channel>"
    )
    feed = parse(body)
    assert [entry.key for entry in feed.entries] == ["id:a"]
    [rejected] = feed.rejected
    assert "neither a title nor any text" in rejected.reason
