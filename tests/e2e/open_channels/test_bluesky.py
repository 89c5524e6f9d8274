"""Bluesky end to end: a mention from notifications and an untagged post from Jetstream become
cases; the answer is a post with root and parent references; Jetstream resumes from the
stored cursor, and its replayed duplicates are dropped."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from mentiondesk.connectors.bluesky.fake_server import FakeBluesky, FakeJetstream, jetstream_post
from tests.e2e.open_channels.harness import Desk

DID, HANDLE, PASSWORD = "did:plc:skylotbrand", "skylot.bsky.social", "app-pass-1234"


@pytest.fixture
def fake() -> Iterator[FakeBluesky]:
    with FakeBluesky(handle=HANDLE, app_password=PASSWORD, did=DID) as server:
        yield server


def connect(desk: Desk, fake: FakeBluesky, jetstream: FakeJetstream) -> str:
    return desk.ok(
        "channel", "add", "bluesky", "--workspace", "skylot", "--handle", HANDLE,
        "--app-password", PASSWORD, "--service", fake.base_url, "--jetstream", jetstream.base_url,
    )  # fmt: skip


def now_us() -> int:
    return time.time_ns() // 1000


def test_a_mention_becomes_a_case_answered_with_root_and_parent(
    desk: Desk, fake: FakeBluesky
) -> None:
    with FakeJetstream() as jetstream:
        assert "connected" in connect(desk, fake, jetstream)
        uri = fake.add_post(
            "did:plc:jane",
            "jane.bsky.social",
            "@skylot.bsky.social where is my refund?",
            reason="mention",
        )
        desk.listen_once()
    case = desk.case_with("where is my refund?")

    reply = desk.answer(case["id"], "We are looking into your refund right now.")

    assert reply["status"] == "sent", reply
    created = [
        r for r in fake.recorder.requests if r.path.endswith("com.atproto.repo.createRecord")
    ]
    assert len(created) == 1
    record = created[0].json()["record"]
    assert record["reply"]["parent"]["uri"] == uri
    assert record["reply"]["root"]["uri"] == uri
    assert fake.sessions_created == 1  # the session is kept sealed, for every later process


def test_an_untagged_jetstream_post_is_matched_stored_once_and_resumed_after(
    desk: Desk, fake: FakeBluesky
) -> None:
    start = now_us()
    events = [
        jetstream_post("did:plc:a", "3kaaa0000001", "lunch was fine today", start),
        jetstream_post("did:plc:b", "3kaaa0000002", "the skylot app keeps crashing", start + 1),
        jetstream_post("did:plc:c", "3kaaa0000003", "nothing to see", start + 2),
    ]
    with FakeJetstream(events) as jetstream:
        connect(desk, fake, jetstream)
        first = desk.listen_once()
        assert "1" in first
        events.append(
            jetstream_post("did:plc:d", "3kaaa0000004", "skylott support is slow", start + 3)
        )
        jetstream.events = events  # the resume sends the event at the cursor again
        desk.listen_once()
        cursors = [c.get("cursor") for c in jetstream.connections]
    assert cursors[0] is None and cursors[1] == [str(start + 2)]
    summaries = sorted(c["summary"] for c in desk.cases())
    assert summaries == ["skylott support is slow", "the skylot app keeps crashing"]  # fuzzy too
    for case in desk.cases():
        (post,) = desk.posts(case["id"])
        assert not post["tagged"] and post["platform"] == "bluesky"  # untagged: indirect


def test_a_malformed_jetstream_event_is_rejected_and_the_rest_ingested(
    desk: Desk, fake: FakeBluesky
) -> None:
    start = now_us()
    broken = {
        "did": "did:plc:x",
        "time_us": start,
        "kind": "commit",
        "commit": {
            "operation": "create",
            "collection": "app.bsky.feed.post",
            "rkey": "3k",
            "record": {"text": 42},
        },
    }
    events = [broken, jetstream_post("did:plc:b", "3kbbb0000002", "skylot lost my bag", start + 1)]
    with FakeJetstream(events) as jetstream:
        connect(desk, fake, jetstream)
        desk.listen_once()
    assert [c["summary"] for c in desk.cases()] == ["skylot lost my bag"]
    rejected = desk.rejected()
    assert len(rejected) == 1 and rejected[0]["source"].startswith("channel:")
    assert "text" in rejected[0]["reason"]


def test_an_expired_session_is_refreshed_and_kept_not_logged_in_again(
    desk: Desk, fake: FakeBluesky
) -> None:
    with FakeJetstream() as jetstream:
        connect(desk, fake, jetstream)
        fake.add_post(
            "did:plc:jane", "jane.bsky.social", "@skylot.bsky.social hello", reason="mention"
        )
        fake.expire_access()
        desk.listen_once()
        desk.listen_once()
    assert len(desk.cases()) == 1
    refreshed = [r for r in fake.recorder.requests if r.path.endswith("refreshSession")]
    assert len(refreshed) == 1 and fake.sessions_created == 1
