"""Polling feeds over real HTTP against the fake feed server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from mentiondesk.connectors.refusals import FailureKind, PlatformRefused
from mentiondesk.connectors.rss.dedupe import SeenEntries
from mentiondesk.connectors.rss.fake_server import (
    MALFORMED_FEED,
    FakeFeedServer,
    FeedItem,
    rss_document,
)
from mentiondesk.connectors.rss.fetch import FeedFetcher, FeedState
from mentiondesk.connectors.rss.poller import poll_feed

WHEN = datetime(2026, 3, 9, 8, 30, tzinfo=UTC)
ONE = FeedItem(
    "Acme kettle broke", "support silent", link="https://b.example/1", guid="1", published=WHEN
)
TWO = FeedItem("Acme fixed it", "thanks", link="https://b.example/2", guid="2", published=WHEN)


@pytest.fixture
def fake() -> Iterator[FakeFeedServer]:
    with FakeFeedServer() as server:
        yield server


@pytest.fixture
def fetcher() -> Iterator[FeedFetcher]:
    reader = FeedFetcher(timeout=2.0)
    yield reader
    reader.close()


def test_a_second_poll_is_conditional_and_a_304_brings_nothing(
    fake: FakeFeedServer, fetcher: FeedFetcher
) -> None:
    fake.publish("/feed.xml", rss_document("Blog", [ONE]))
    seen = SeenEntries()
    first = poll_feed(fetcher, FeedState(fake.url("/feed.xml")), seen)
    assert [e.platform_post_id for e in first.events] == ["id:1"]
    assert first.state.etag and first.state.modified
    second = poll_feed(fetcher, first.state, seen)
    assert second.not_modified and second.events == []
    sent = fake.recorder.requests_to("GET", "/feed.xml")[-1]
    assert sent.headers["if-none-match"] == first.state.etag
    assert sent.headers["if-modified-since"] == first.state.modified


def test_a_server_with_only_last_modified_is_asked_with_if_modified_since(
    fake: FakeFeedServer, fetcher: FeedFetcher
) -> None:
    fake.publish("/lm.xml", rss_document("Blog", [ONE]), etag=False)
    seen = SeenEntries()
    first = poll_feed(fetcher, FeedState(fake.url("/lm.xml")), seen)
    assert first.state.etag is None and first.state.modified
    assert poll_feed(fetcher, first.state, seen).not_modified


def test_a_republished_feed_yields_only_the_new_entry(
    fake: FakeFeedServer, fetcher: FeedFetcher
) -> None:
    fake.publish("/feed.xml", rss_document("Blog", [ONE]))
    seen = SeenEntries()
    state = poll_feed(fetcher, FeedState(fake.url("/feed.xml")), seen).state
    fake.publish("/feed.xml", rss_document("Blog", [TWO, ONE]))
    again = poll_feed(fetcher, state, seen)
    assert [e.platform_post_id for e in again.events] == ["id:2"]
    assert again.state.etag != state.etag


def test_a_malformed_feed_is_rejected_with_a_reason_and_the_poll_goes_on(
    fake: FakeFeedServer, fetcher: FeedFetcher
) -> None:
    fake.publish("/broken.xml", b"<html><body>500 error page {{", content_type="text/html")
    result = poll_feed(fetcher, FeedState(fake.url("/broken.xml")), SeenEntries())
    assert result.events == []
    [rejected] = result.rejected
    assert "feed" in rejected.reason and "500 error page" in rejected.fragment
    fake.publish("/half.xml", MALFORMED_FEED)
    half = poll_feed(fetcher, FeedState(fake.url("/half.xml")), SeenEntries())
    assert half.events == []
    assert half.rejected[0].reason.startswith("feed is not well-formed XML")


def test_a_permanent_redirect_moves_the_stored_url_and_a_temporary_one_does_not(
    fake: FakeFeedServer, fetcher: FeedFetcher
) -> None:
    fake.publish("/new.xml", rss_document("Blog", [ONE]))
    fake.move("/old.xml", "/new.xml", status=301)
    fake.move("/tmp.xml", "/new.xml", status=302)
    moved = poll_feed(fetcher, FeedState(fake.url("/old.xml")), SeenEntries())
    assert moved.moved and moved.state.url == fake.url("/new.xml") and moved.events
    stayed = poll_feed(fetcher, FeedState(fake.url("/tmp.xml")), SeenEntries())
    assert not stayed.moved and stayed.state.url == fake.url("/tmp.xml") and stayed.events


def test_a_gone_feed_says_stop_and_a_throttled_one_says_when_to_retry(
    fake: FakeFeedServer, fetcher: FeedFetcher
) -> None:
    fake.remove("/gone.xml")
    with pytest.raises(PlatformRefused) as gone:
        poll_feed(fetcher, FeedState(fake.url("/gone.xml")), SeenEntries())
    assert gone.value.failure.code == "gone" and not gone.value.transient
    fake.publish("/feed.xml", rss_document("Blog", [ONE]))
    fake.recorder.fail_next("rate_limit", retry_after=90)
    with pytest.raises(PlatformRefused) as throttled:
        poll_feed(fetcher, FeedState(fake.url("/feed.xml")), SeenEntries())
    assert throttled.value.failure.kind is FailureKind.RATE_LIMITED
    assert throttled.value.retry_after == 90
    fake.recorder.fail_next("server_error")
    with pytest.raises(PlatformRefused) as broken:
        poll_feed(fetcher, FeedState(fake.url("/feed.xml")), SeenEntries())
    assert broken.value.transient and broken.value.failure.kind is FailureKind.SERVER
