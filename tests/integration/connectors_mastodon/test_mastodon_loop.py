"""Mentions, streams, replies and rate limits against the fake Mastodon instance."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mentiondesk.connectors.base import ModerationTarget, Moderator, OutgoingReply, Publisher
from mentiondesk.connectors.inbound import InboundEvent
from mentiondesk.connectors.mastodon.client import MastodonClient
from mentiondesk.connectors.mastodon.connector import MastodonConnector
from mentiondesk.connectors.mastodon.fake_server import FakeMastodonServer
from mentiondesk.connectors.refusals import FailureKind, PlatformRefused, TokenInvalid
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import ReplyVisibility
from mentiondesk.pipeline.payload import parse_payload


@pytest.fixture
def fake() -> Iterator[FakeMastodonServer]:
    with FakeMastodonServer(token="brand-token") as server:
        yield server


@pytest.fixture
def client(fake: FakeMastodonServer) -> Iterator[MastodonClient]:
    mastodon = MastodonClient(fake.base_url, "brand-token", timeout=2.0)
    mastodon.verify_credentials()
    yield mastodon
    mastodon.close()


def reply(in_reply_to: str, text: str, key: str, private: bool = False) -> OutgoingReply:
    visibility = ReplyVisibility.PRIVATE if private else ReplyVisibility.PUBLIC
    return OutgoingReply(
        Platform.MASTODON, "acme", text, visibility, in_reply_to, "jane@other.social", key
    )


def test_a_mention_arrives_is_answered_once_and_the_fake_records_the_reply(
    fake: FakeMastodonServer, client: MastodonClient
) -> None:
    status_id = fake.mention("jane@other.social", "@acme my parcel never came")
    page = client.mentions(None)
    [event] = page.events
    assert event.kind == "mention" and event.platform_post_id == status_id
    assert parse_payload(event.post).to_inbound().to_brand
    connector = MastodonConnector(client)
    first = connector.send(reply(status_id, "Sorry! Checking now.", "case-7-reply-1"))
    again = connector.send(reply(status_id, "Sorry! Checking now.", "case-7-reply-1"))
    assert first == again
    [sent] = fake.recorder.requests_to("POST", "/api/v1/statuses")[:1]
    assert sent.headers["idempotency-key"] == "case-7-reply-1"
    assert sent.form()["in_reply_to_id"] == status_id
    assert sent.form()["status"] == "@jane@other.social Sorry! Checking now."
    assert len([s for s in fake.statuses.values() if s["account"]["id"] == "1"]) == 1


def test_polling_with_min_id_walks_forward_without_gaps_or_repeats(
    fake: FakeMastodonServer, client: MastodonClient
) -> None:
    fake.mention("early@x.social", "@acme hello")
    start = client.mentions(None)
    assert len(start.events) == 1 and start.cursor is not None
    ids = [fake.mention(f"user{i}@x.social", f"@acme number {i}") for i in range(95)]
    fake.notify("favourite", "fan@x.social")
    first = client.mentions(start.cursor)
    assert [e.platform_post_id for e in first.events] == ids
    assert client.mentions(first.cursor).events == []
    later = fake.mention("late@x.social", "@acme one more")
    assert [e.platform_post_id for e in client.mentions(first.cursor).events] == [later]
    sent = fake.recorder.requests_to("GET", "/api/v1/notifications")
    assert sent[0].param("min_id") is None and sent[1].param("min_id") == start.cursor


def test_a_private_answer_is_a_direct_status_and_favourite_is_the_like(
    fake: FakeMastodonServer, client: MastodonClient
) -> None:
    status_id = fake.mention("jane@other.social", "@acme my card number is…", visibility="direct")
    [event] = client.mentions(None).events
    assert event.kind == "dm"
    connector = MastodonConnector(client)
    assert isinstance(connector, Moderator) and isinstance(connector, Publisher)
    connector.send(reply(status_id, "Please never post it; we'll call you.", "k1", private=True))
    assert (
        fake.recorder.requests_to("POST", "/api/v1/statuses")[-1].form()["visibility"] == "direct"
    )
    connector.like(ModerationTarget(Platform.MASTODON, "acme", status_id))
    assert status_id in fake.favourited
    with pytest.raises(PlatformRefused) as hide:
        connector.hide(ModerationTarget(Platform.MASTODON, "acme", status_id))
    assert not hide.value.transient


def test_hashtag_and_search_find_untagged_mentions(
    fake: FakeMastodonServer, client: MastodonClient
) -> None:
    tagged = fake.status("bob@x.social", "The #Acme kettle leaks")["id"]
    untagged = fake.status("eve@x.social", "acme support is slow today")["id"]
    assert [e.platform_post_id for e in client.hashtag("acme", None).events] == [tagged]
    found = client.search("acme", None).events
    assert {e.platform_post_id for e in found} == {tagged, untagged}
    assert not any(e.post and e.post["to_brand"] for e in found)


def test_the_stream_delivers_updates_notifications_and_deletions(
    fake: FakeMastodonServer, client: MastodonClient
) -> None:
    status = fake.status("jane@other.social", "#acme down again")
    fake.push("update", status)
    fake.push("notification", {"id": "5", "type": "mention", "status": status})
    fake.push("delete", status["id"])
    fake.push("filters_changed", "")
    results = list(client.stream("hashtag", tag="acme"))
    kinds = [r.kind for r in results if isinstance(r, InboundEvent)]
    assert kinds == ["post", "mention", "deleted"]
    assert len(results) == 4


def test_rate_limits_wait_for_the_reset_and_a_revoked_token_disconnects(
    fake: FakeMastodonServer, client: MastodonClient
) -> None:
    fake.recorder.fail_next("rate_limit", path="/api/v1/statuses")
    with pytest.raises(PlatformRefused) as limited:
        client.post_status("We are open", idempotency_key="p1")
    assert limited.value.failure.kind is FailureKind.RATE_LIMITED
    assert limited.value.retry_after is not None and 100 < limited.value.retry_after <= 120
    assert client.rate_limit is not None and client.rate_limit.remaining == 0
    fake.recorder.fail_next("server_error", path="/api/v1/statuses")
    with pytest.raises(PlatformRefused) as outage:
        client.post_status("We are open", idempotency_key="p1")
    assert outage.value.transient and outage.value.failure.uncertain
    fake.revoke()
    with pytest.raises(TokenInvalid):
        client.mentions(None)
