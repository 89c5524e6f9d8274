"""RSS/Atom end to end: a feed entry naming the brand becomes a case linking to the entry;
the feed is fetched conditionally; a malformed entry is kept in rejected_inputs; an answer is
refused with the reason (feeds are listen-only)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mentiondesk.connectors.rss.fake_server import FakeFeedServer, FeedItem, rss_document
from tests.e2e.open_channels.harness import Desk

ITEMS = [
    FeedItem(
        "Skylot lost my luggage in Rome",
        "Three days and no news.",
        link="https://blog.example/rome",
        guid="rome",
    ),
    FeedItem("", "", guid="empty"),
    FeedItem(
        "Weekend in Rome", "Nice weather.", link="https://blog.example/weekend", guid="weekend"
    ),
]


@pytest.fixture
def fake() -> Iterator[FakeFeedServer]:
    with FakeFeedServer() as server:
        server.publish("/feed.xml", rss_document("Travel blog", ITEMS))
        yield server


def test_an_entry_becomes_a_case_and_an_answer_is_refused_as_listen_only(
    desk: Desk, fake: FakeFeedServer
) -> None:
    out = desk.ok("channel", "add", "rss", "--workspace", "skylot", "--url", fake.url("/feed.xml"))
    assert "rss Travel blog connected" in out
    desk.listen_once()
    case = desk.case_with("Skylot lost my luggage in Rome")
    (post,) = desk.posts(case["id"])
    assert post["platform"] == "blog"
    composer = desk.page(f"/w/skylot/cases/{case['id']}")
    assert "listen-only: answer on the site (https://blog.example/rome)" in composer

    reply = desk.answer(case["id"], "We are sorry about your luggage, we will write to you.")

    assert reply["status"] == "failed" and not reply["delivered"]
    assert "listen-only" in reply["failure_reason"]
    rejected = desk.rejected()
    assert len(rejected) == 1 and "neither a title nor any text" in rejected[0]["reason"]


def test_the_next_poll_asks_conditionally_and_adds_nothing_twice(
    desk: Desk, fake: FakeFeedServer
) -> None:
    desk.ok("channel", "add", "rss", "--workspace", "skylot", "--url", fake.url("/feed.xml"))
    desk.listen_once()
    desk.listen_once()
    fake.publish(
        "/feed.xml",
        rss_document(
            "Travel blog",
            [
                FeedItem(
                    "Skylot refunded me",
                    "Thanks",
                    link="https://blog.example/refund",
                    guid="refund",
                ),
                *ITEMS,
            ],
        ),
    )
    desk.listen_once()
    texts = [p["text"] for c in desk.cases() for p in desk.posts(c["id"])]
    assert len(texts) == 2 and any("Skylot refunded me" in t for t in texts)
    polls = [r for r in fake.recorder.requests if r.path == "/feed.xml"]
    assert polls[2].headers.get("if-none-match")  # the second listen asked with the ETag


def test_a_page_that_is_not_a_feed_is_refused(desk: Desk, fake: FakeFeedServer) -> None:
    fake.publish("/page.html", b"<html><body>hello</body></html>", content_type="text/html")
    code, out = desk.cli(
        "channel", "add", "rss", "--workspace", "skylot", "--url", fake.url("/page.html")
    )
    assert code == 2 and "not" in out
