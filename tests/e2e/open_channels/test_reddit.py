"""Reddit end to end: a username mention becomes a case and the answer is a comment under it;
a rate limit Reddit answers with HTTP 200 is understood as one (the reply waits to retry)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mentiondesk.connectors.reddit.fake_server import FakeReddit
from tests.e2e.open_channels.harness import Desk


@pytest.fixture
def fake() -> Iterator[FakeReddit]:
    with FakeReddit(username="skylot_support") as server:
        yield server


def connect(desk: Desk, fake: FakeReddit, password: str = "pw") -> tuple[int, str]:
    return desk.cli(
        "channel", "add", "reddit", "--workspace", "skylot", "--client-id", "app-id",
        "--client-secret", "app-secret", "--username", "skylot_support", "--password", password,
        "--oauth-url", fake.base_url, "--www-url", fake.base_url, "--subreddit", "travel",
    )  # fmt: skip


def test_a_mention_becomes_a_case_and_the_answer_a_comment_under_it(
    desk: Desk, fake: FakeReddit
) -> None:
    code, out = connect(desk, fake)
    assert code == 0 and "connected" in out
    comment = fake.mention("jane", "u/skylot_support my refund never came")
    fake.post("piotr", "Skylot cancelled my flight", "No reason given.", subreddit="travel")
    desk.listen_once()
    case = desk.case_with("my refund never came")

    reply = desk.answer(case["id"], "We are sorry, we are checking your refund now.")

    assert reply["status"] == "sent", reply
    sent = [r for r in fake.recorder.requests if r.path == "/api/comment"]
    assert len(sent) == 1 and sent[0].form()["thing_id"] == comment
    assert any("cancelled my flight" in c["summary"] for c in desk.cases())


def test_a_200_ratelimit_answer_holds_the_reply_for_a_retry(desk: Desk, fake: FakeReddit) -> None:
    connect(desk, fake)
    fake.mention("jane", "u/skylot_support is anyone there?")
    desk.listen_once()
    case = desk.case_with("is anyone there?")
    fake.recorder.fail_next("ratelimit_200", path="/api/comment")

    reply = desk.answer(case["id"], "Yes, we are here to help you.")

    assert reply["status"] == "queued" and not reply["delivered"], reply


def test_a_wrong_password_is_refused_with_reddits_reason(desk: Desk, fake: FakeReddit) -> None:
    code, out = connect(desk, fake, password="wrong")
    assert code == 2 and "invalid_grant" in out


def test_hiding_a_post_reddit_cannot_hide_says_unsupported(desk: Desk, fake: FakeReddit) -> None:
    connect(desk, fake)
    fake.mention("spammer", "u/skylot_support buy cheap followers here")
    desk.listen_once()
    case = desk.case_with("buy cheap followers")
    (post,) = desk.posts(case["id"])
    with desk.api() as (client, csrf):
        answer = client.post(
            f"/api/v1/workspaces/skylot/posts/{post['id']}/hide",
            json={"reason": "spam"},
            headers={"X-CSRF-Token": csrf},
        )
    assert answer.status_code == 200, answer.text
    assert answer.json()["hidden"] and answer.json()["delivery"] == "unsupported"


def test_inbox_items_are_marked_read_once_stored(desk: Desk, fake: FakeReddit) -> None:
    connect(desk, fake)
    first = fake.mention("jane", "u/skylot_support is the lounge open?")
    second = fake.mention("ola", "u/skylot_support my bag is missing")
    assert set(fake.unread()) == {first, second}
    fake.recorder.fail_next("server_error", path="/message/inbox")
    desk.listen_once()  # the inbox read failed: nothing stored, nothing marked read
    assert set(fake.unread()) == {first, second}

    desk.listen_once()

    assert fake.unread() == []
    assert len([c for c in desk.cases() if "lounge" in c["summary"]]) == 1
    marked = [r for r in fake.recorder.requests if r.path == "/api/read_message"]
    assert len(marked) == 1 and set(marked[0].form()["id"].split(",")) == {first, second}
