"""The Jetstream read-and-match path: one matcher call per batch, replays dropped."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mentiondesk.connectors.bluesky.fake_server import jetstream_post
from mentiondesk.connectors.bluesky.jetstream import (
    JetstreamCursor,
    read_and_match,
    subscribe_url,
)
from mentiondesk.pipeline.payload import parse_payload

BRAND = "did:plc:acmebrand"
T0 = 1_773_000_000_000_000


class Recording:
    """A matcher that keeps texts containing "acme" and remembers every call."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts: list[str]) -> list[bool]:
        self.calls.append(texts)
        return ["acme" in t.lower() for t in texts]


def line(event: dict[str, Any]) -> bytes:
    return json.dumps(event).encode()


def test_only_matched_posts_become_events_from_one_matcher_call() -> None:
    lines = [
        line(jetstream_post("did:plc:a", "r1", "Acme's app crashed again", T0 + 1)),
        line(jetstream_post("did:plc:b", "r2", "lovely weather", T0 + 2)),
        line({"did": "did:plc:c", "time_us": T0 + 3, "kind": "identity", "identity": {}}),
        line(
            {
                "did": "did:plc:d",
                "time_us": T0 + 4,
                "kind": "commit",
                "commit": {
                    "operation": "create",
                    "collection": "app.bsky.feed.like",
                    "rkey": "x",
                    "record": {},
                },
            }
        ),
        line(
            {
                "did": "did:plc:e",
                "time_us": T0 + 5,
                "kind": "commit",
                "commit": {
                    "operation": "delete",
                    "collection": "app.bsky.feed.post",
                    "rkey": "gone",
                },
            }
        ),
    ]
    matcher, cursor = Recording(), JetstreamCursor()
    batch = read_and_match(lines, matcher, cursor)
    assert matcher.calls == [["Acme's app crashed again", "lovely weather"]]
    [event] = batch.events
    assert event.platform_post_id == "at://did:plc:a/app.bsky.feed.post/r1"
    assert event.kind == "post" and event.cursor == str(T0 + 1)
    assert not parse_payload(event.post).to_inbound().to_brand
    assert batch.deleted == ["at://did:plc:e/app.bsky.feed.post/gone"]
    assert batch.posts_read == 2 and cursor.time_us == T0 + 5


def test_a_replay_from_the_cursor_adds_no_duplicates() -> None:
    events = [line(jetstream_post("did:plc:a", f"r{i}", f"acme {i}", T0 + i)) for i in range(6)]
    cursor = JetstreamCursor()
    first = read_and_match(events[:4], Recording(), cursor)
    assert cursor.resume() == T0 + 3
    replay = read_and_match(events[3:], Recording(), cursor)  # Jetstream resends the cursor's
    assert [e.platform_post_id[-2:] for e in first.events + replay.events] == [
        "r0",
        "r1",
        "r2",
        "r3",
        "r4",
        "r5",
    ]
    assert replay.duplicates == 1
    assert cursor.resume(switching_host=True) == T0 + 5 - 5_000_000


def test_a_post_tagging_the_brand_or_replying_in_its_repo_is_kept_even_unmatched() -> None:
    tagged = jetstream_post(
        "did:plc:a",
        "t",
        "@acmeofficial help",
        T0 + 1,
        facets=[
            {
                "index": {"byteStart": 0, "byteEnd": 13},
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": BRAND}],
            }
        ],
    )
    reply = jetstream_post(
        "did:plc:b",
        "u",
        "still broken",
        T0 + 2,
        reply={
            "root": {"uri": f"at://{BRAND}/app.bsky.feed.post/root", "cid": "c1"},
            "parent": {"uri": f"at://{BRAND}/app.bsky.feed.post/root", "cid": "c1"},
        },
    )
    batch = read_and_match(
        [line(tagged), line(reply)],
        lambda texts: [False] * len(texts),
        JetstreamCursor(),
        brand_did=BRAND,
    )
    assert [e.kind for e in batch.events] == ["mention", "mention"]
    threaded = parse_payload(batch.events[1].post).to_inbound()
    assert threaded.to_brand and threaded.in_reply_to == f"at://{BRAND}/app.bsky.feed.post/root"


def test_unreadable_lines_are_rejected_and_the_batch_goes_on() -> None:
    good = line(jetstream_post("did:plc:a", "r1", "acme", T0 + 1))
    batch = read_and_match([b"{broken", b'{"kind":"commit"}', good], Recording(), JetstreamCursor())
    assert len(batch.rejected) == 2 and len(batch.events) == 1
    assert "unreadable Jetstream event" in batch.rejected[0].reason


def test_the_subscribe_url_asks_for_posts_from_the_cursor() -> None:
    url = subscribe_url("wss://jetstream2.us-east.bsky.network/", 123)
    assert url.endswith("/subscribe?wantedCollections=app.bsky.feed.post&cursor=123")


@given(st.lists(st.binary(max_size=80) | st.text(max_size=80), max_size=10))
def test_arbitrary_lines_never_raise(lines: list[bytes | str]) -> None:
    read_and_match(lines, Recording(), JetstreamCursor())
