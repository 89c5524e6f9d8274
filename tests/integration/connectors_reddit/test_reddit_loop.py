"""Mentions, subreddits, search and replies against the fake Reddit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mentiondesk.connectors.base import OutgoingReply
from mentiondesk.connectors.reddit.client import RedditClient
from mentiondesk.connectors.reddit.connector import RedditConnector
from mentiondesk.connectors.reddit.fake_server import FakeReddit
from mentiondesk.connectors.refusals import FailureKind, PlatformRefused, TokenInvalid
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import ReplyVisibility
from mentiondesk.pipeline.payload import parse_payload


@pytest.fixture
def fake() -> Iterator[FakeReddit]:
    with FakeReddit() as server:
        yield server


def make_client(fake: FakeReddit, password: str = "pw") -> RedditClient:
    return RedditClient(
        "app-id",
        "app-secret",
        "acme_support",
        password,
        oauth_url=fake.base_url,
        www_url=fake.base_url,
        timeout=2.0,
    )


@pytest.fixture
def client(fake: FakeReddit) -> Iterator[RedditClient]:
    reddit = make_client(fake)
    yield reddit
    reddit.close()


def reply(thing: str, text: str, key: str) -> OutgoingReply:
    return OutgoingReply(Platform.REDDIT, "acme", text, ReplyVisibility.PUBLIC, thing, "jane", key)


def test_a_username_mention_arrives_and_the_reply_is_recorded(
    fake: FakeReddit, client: RedditClient
) -> None:
    mention = fake.mention("jane", "u/acme_support my order is late")
    page = client.mentions(None)
    [event] = page.events
    assert event.platform_post_id == mention and page.cursor == mention
    assert parse_payload(event.post).to_inbound().to_brand
    assert client.mentions(page.cursor).events == []
    delivered = RedditConnector(client).send(reply(mention, "Sorry! Sending a DM.", "k1"))
    [sent] = fake.recorder.requests_to("POST", "/api/comment")
    assert sent.form() == {"api_type": "json", "thing_id": mention, "text": "Sorry! Sending a DM."}
    assert fake.things[delivered.platform_reply_id]["data"]["parent_id"] == mention
    ua = sent.headers["user-agent"]
    assert "mentiondesk" in ua and "/u/acme_support" in ua
    assert client.tokens_fetched == 1


def test_new_posts_comments_and_search_walk_forward_with_before(
    fake: FakeReddit, client: RedditClient
) -> None:
    first = fake.post("bob", "Acme kettle review")
    start = client.new_posts("acme", None)
    assert [e.platform_post_id for e in start.events] == [first]
    later = [fake.post(f"u{i}", f"post {i}") for i in range(3)]
    assert [e.platform_post_id for e in client.new_posts("acme", start.cursor).events] == later
    comment = fake.comment_by("eve", "acme support never answers", parent=first)
    assert [e.platform_post_id for e in client.new_comments("acme", None).events] == [comment]
    found = {e.platform_post_id for e in client.search("acme", None).events}
    assert found == {first, comment}


def test_a_ratelimit_answered_with_http_200_is_not_taken_for_success(
    fake: FakeReddit, client: RedditClient
) -> None:
    mention = fake.mention("jane", "u/acme_support hi")
    fake.recorder.fail_next("ratelimit_200", path="/api/comment")
    with pytest.raises(PlatformRefused) as limited:
        RedditConnector(client).send(reply(mention, "Hello!", "k1"))
    assert limited.value.failure.kind is FailureKind.RATE_LIMITED
    assert limited.value.retry_after == 300
    assert fake.comments_by_brand() == []
    fake.recorder.fail_next("rate_limit", path="/message/mentions")
    with pytest.raises(PlatformRefused) as throttled:
        client.mentions(None)
    assert throttled.value.retry_after == 37


def test_an_uncertain_failure_is_not_posted_twice_on_retry(
    fake: FakeReddit, client: RedditClient
) -> None:
    mention = fake.mention("jane", "u/acme_support hi")
    connector = RedditConnector(client)
    fake.recorder.fail_next("server_error_after_commit", path="/api/comment")
    with pytest.raises(PlatformRefused) as uncertain:
        connector.send(reply(mention, "We're on it.", "k9"))
    assert uncertain.value.transient and uncertain.value.failure.uncertain
    retried = connector.send(reply(mention, "We're on it.", "k9"))
    assert len(fake.comments_by_brand()) == 1
    assert retried.platform_reply_id == fake.comments_by_brand()[0]["name"]


def test_an_expired_token_is_renewed_and_a_wrong_password_disconnects(
    fake: FakeReddit, client: RedditClient
) -> None:
    client.mentions(None)
    fake.expire_tokens()
    client.mentions(None)
    assert client.tokens_fetched == 2
    wrong = make_client(fake, password="nope")
    with pytest.raises(TokenInvalid) as refused:
        wrong.mentions(None)
    assert refused.value.failure.code == "invalid_grant"
    wrong.close()
