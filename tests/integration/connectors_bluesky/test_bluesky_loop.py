"""Sessions, notifications, replies and the Jetstream loop against the fake Bluesky."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from mentiondesk.connectors.base import ModerationTarget, OutgoingReply
from mentiondesk.connectors.bluesky.client import CHAT_PROXY, BlueskyClient
from mentiondesk.connectors.bluesky.connector import BlueskyConnector
from mentiondesk.connectors.bluesky.consumer import JetstreamConsumer
from mentiondesk.connectors.bluesky.fake_server import FakeBluesky, FakeJetstream, jetstream_post
from mentiondesk.connectors.bluesky.jetstream import JetstreamBatch
from mentiondesk.connectors.inbound import InboundEvent
from mentiondesk.connectors.refusals import FailureKind, PlatformRefused, TokenInvalid
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import ReplyVisibility

JANE = "did:plc:jane"
T0 = 1_773_000_000_000_000


@pytest.fixture
def fake() -> Iterator[FakeBluesky]:
    with FakeBluesky() as server:
        yield server


@pytest.fixture
def client(fake: FakeBluesky) -> Iterator[BlueskyClient]:
    bluesky = BlueskyClient(fake.base_url, "acme.bsky.social", "app-pass", timeout=2.0)
    yield bluesky
    bluesky.close()


def answer(uri: str, text: str, key: str, private: bool = False) -> OutgoingReply:
    visibility = ReplyVisibility.PRIVATE if private else ReplyVisibility.PUBLIC
    return OutgoingReply(Platform.BLUESKY, "acme", text, visibility, uri, JANE, key)


def test_a_mention_arrives_and_the_reply_carries_root_and_parent(
    fake: FakeBluesky, client: BlueskyClient
) -> None:
    root = fake.add_post(JANE, "jane.bsky.social", "Trying the Acme kettle")
    mention = fake.add_post(
        JANE, "jane.bsky.social", "@acme.bsky.social it leaks", reply_to=root, reason="mention"
    )
    fake.add_post("did:plc:fan", "fan.bsky.social", "nice", reason="like")
    results, seen_at = client.new_notifications(None)
    events = [r for r in results if isinstance(r, InboundEvent)]
    assert [e.platform_post_id for e in events] == [mention] and seen_at is not None
    again, _ = client.new_notifications(seen_at)
    assert again == []
    connector = BlueskyConnector(client)
    delivered = connector.send(answer(mention, "Sorry! DM us your order number.", "case-1"))
    [record] = fake.posts_by_brand()
    assert record["reply"]["parent"]["uri"] == mention
    assert record["reply"]["root"]["uri"] == root
    retried = connector.send(answer(mention, "Sorry! DM us your order number.", "case-1"))
    assert retried == delivered and len(fake.posts_by_brand()) == 1
    assert fake.sessions_created == 1


def test_an_expired_session_is_refreshed_not_logged_in_again(
    fake: FakeBluesky, client: BlueskyClient
) -> None:
    client.notifications()
    fake.expire_access()
    client.notifications()
    assert (fake.sessions_created, client.refreshes) == (1, 1)
    refreshes = fake.recorder.requests_to("POST", "/xrpc/com.atproto.server.refreshSession")
    assert refreshes[0].headers["authorization"].startswith("Bearer refresh-")


def test_like_and_a_private_answer_through_the_chat_proxy(
    fake: FakeBluesky, client: BlueskyClient
) -> None:
    post = fake.add_post(JANE, "jane.bsky.social", "@acme help", reason="mention")
    connector = BlueskyConnector(client)
    connector.like(ModerationTarget(Platform.BLUESKY, "acme", post))
    [like] = [r for r in fake.records.values() if r["record"].get("$type") == "app.bsky.feed.like"]
    assert like["record"]["subject"]["uri"] == post
    connector.send(answer(post, "Here is your refund link.", "dm-1", private=True))
    assert fake.messages[-1]["text"] == "Here is your refund link."
    sent = fake.recorder.requests_to("POST", "/xrpc/chat.bsky.convo.sendMessage")
    assert sent[0].headers["atproto-proxy"] == CHAT_PROXY


def test_rate_limits_and_bad_credentials_are_reported_as_such(fake: FakeBluesky) -> None:
    client = BlueskyClient(fake.base_url, "acme.bsky.social", "app-pass", timeout=2.0)
    fake.recorder.fail_next("rate_limit", path="/xrpc/app.bsky.notification")
    with pytest.raises(PlatformRefused) as limited:
        client.notifications()
    assert limited.value.failure.kind is FailureKind.RATE_LIMITED
    assert limited.value.retry_after is not None and 250 < limited.value.retry_after <= 300
    wrong = BlueskyClient(fake.base_url, "acme.bsky.social", "wrong", timeout=2.0)
    with pytest.raises(TokenInvalid):
        wrong.notifications()
    client.close()
    wrong.close()


def test_the_jetstream_consumer_reconnects_from_its_cursor_without_gaps_or_duplicates() -> None:
    events = [
        jetstream_post(
            f"did:plc:u{i}", f"r{i}", f"acme post {i}" if i % 2 else "other", T0 + i * 10
        )
        for i in range(40)
    ]
    delivered: list[JetstreamBatch] = []

    def keep(texts: list[str]) -> list[bool]:
        return ["acme" in t for t in texts]

    async def run(stream: FakeJetstream) -> JetstreamConsumer:
        consumer = JetstreamConsumer(
            stream.base_url, keep, delivered.append, batch_size=7, batch_seconds=0.05
        )

        def stop_when_done(batch: JetstreamBatch) -> None:
            delivered.append(batch)
            if consumer.cursor.time_us == T0 + 390:
                consumer.stop()

        consumer.deliver = stop_when_done
        await asyncio.wait_for(consumer.run(max_connections=5), timeout=20)
        return consumer

    with FakeJetstream(events, drop_after=15) as stream:
        consumer = asyncio.run(run(stream))
    uris = [e.platform_post_id for b in delivered for e in b.events]
    assert uris == [f"at://did:plc:u{i}/app.bsky.feed.post/r{i}" for i in range(1, 40, 2)]
    assert consumer.connections == 2
    assert stream.connections[1]["cursor"] == [str(T0 + 140)]
    assert sum(b.duplicates for b in delivered) == 1
