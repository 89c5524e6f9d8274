"""Hiding a Bluesky reply through the moderation API and the outbox: under a thread the brand
started, the reply is listed in the threadgate of the brand's root post (and shown again on
unhide); under someone else's thread Bluesky cannot, and the answer says why."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mentiondesk.connectors.bluesky.fake_server import FakeBluesky, FakeJetstream
from tests.e2e.open_channels.harness import Desk

DID, HANDLE, PASSWORD = "did:plc:skylotbrand", "skylot.bsky.social", "app-pass-1234"
API = "/api/v1/workspaces/skylot"


@pytest.fixture
def fake() -> Iterator[FakeBluesky]:
    with FakeBluesky(handle=HANDLE, app_password=PASSWORD, did=DID) as server:
        yield server


def _heard(desk: Desk, fake: FakeBluesky, text: str) -> dict[str, Any]:
    with FakeJetstream() as jetstream:
        desk.ok(
            "channel", "add", "bluesky", "--workspace", "skylot", "--handle", HANDLE,
            "--app-password", PASSWORD, "--service", fake.base_url,
            "--jetstream", jetstream.base_url,
        )  # fmt: skip
        desk.listen_once()
    case = desk.case_with(text)
    (post,) = desk.posts(case["id"])
    return post


def _moderate(desk: Desk, post_id: int, action: str) -> dict[str, Any]:
    with desk.api() as (client, csrf):
        answer = client.post(
            f"{API}/posts/{post_id}/{action}",
            json={"reason": "spam"} if action == "hide" else {},
            headers={"X-CSRF-Token": csrf},
        )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_a_reply_under_the_brands_thread_is_hidden_by_its_threadgate(
    desk: Desk, fake: FakeBluesky
) -> None:
    root = fake.brand_post("Our winter timetable is out")
    earlier = fake.add_post("did:plc:ola", "ola.bsky.social", "lovely", reply_to=root)
    spam = fake.add_post(
        "did:plc:spam", "spam.bsky.social", "@skylot.bsky.social cheap followers here",
        reply_to=root, reason="reply",
    )  # fmt: skip
    post = _heard(desk, fake, "cheap followers here")

    hidden = _moderate(desk, post["id"], "hide")

    assert hidden["hidden"] and hidden["delivery"] == "sent", hidden
    assert fake.hidden_replies(root) == [spam]
    gate = fake.records[f"at://{DID}/app.bsky.feed.threadgate/{root.rsplit('/', 1)[1]}"]
    assert gate["record"]["post"] == root and "allow" not in gate["record"]  # anyone may reply
    assert earlier not in fake.hidden_replies(root)

    shown = _moderate(desk, post["id"], "unhide")
    assert not shown["hidden"] and shown["delivery"] == "sent", shown
    assert fake.hidden_replies(root) == []


def test_a_reply_under_someone_elses_thread_is_refused_with_the_reason(
    desk: Desk, fake: FakeBluesky
) -> None:
    root = fake.add_post("did:plc:jane", "jane.bsky.social", "Flying Skylot tomorrow")
    fake.add_post(
        "did:plc:spam", "spam.bsky.social", "@skylot.bsky.social cheap followers here",
        reply_to=root, reason="mention",
    )  # fmt: skip
    post = _heard(desk, fake, "cheap followers here")

    hidden = _moderate(desk, post["id"], "hide")

    assert hidden["delivery"].startswith("failed: "), hidden
    assert "threads the brand started" in hidden["delivery"]
    assert not [r for r in fake.recorder.requests if r.path.endswith("putRecord")]
