"""Mentions, search, replies and the budget against the fake X API."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from mentiondesk.connectors.base import ModerationTarget, OutgoingReply
from mentiondesk.connectors.refusals import FailureKind, PlatformRefused, TokenInvalid
from mentiondesk.connectors.x.budget import Budget
from mentiondesk.connectors.x.client import XClient
from mentiondesk.connectors.x.connector import XConnector
from mentiondesk.connectors.x.fake_server import NOT_SUMMONED, FakeX
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import ReplyVisibility
from mentiondesk.pipeline.payload import parse_payload


@pytest.fixture
def fake() -> Iterator[FakeX]:
    with FakeX() as server:
        yield server


@pytest.fixture
def client(fake: FakeX) -> Iterator[XClient]:
    x = XClient("bearer", "user-token", api_url=fake.base_url, budget=Budget("5"), timeout=2.0)
    yield x
    x.close()


def reply(post_id: str, text: str, key: str, private: bool = False) -> OutgoingReply:
    visibility = ReplyVisibility.PRIVATE if private else ReplyVisibility.PUBLIC
    return OutgoingReply(Platform.X, "acme", text, visibility, post_id, "jane", key)


def test_a_mention_arrives_and_the_summoned_reply_is_recorded(fake: FakeX, client: XClient) -> None:
    mention = fake.post_by("jane", "@acme my order is late", mentions_brand=True)
    page = client.mentions(None)
    [event] = page.events
    assert event.platform_post_id == mention and page.cursor == mention
    assert parse_payload(event.post).to_inbound().to_brand
    assert client.mentions(page.cursor).events == []
    assert fake.recorder.requests[-1].param("since_id") == mention
    delivered = XConnector(client).send(reply(mention, "Sorry! Checking.", "k1"))
    [ours] = fake.posts_by_brand()
    assert ours["id"] == delivered.platform_reply_id
    assert ours["referenced_tweets"] == [{"type": "replied_to", "id": mention}]
    assert fake.recorder.requests_to("POST", "/2/tweets")[0].json()["reply"] == {
        "in_reply_to_tweet_id": mention
    }


def test_an_unsummoned_reply_is_refused_with_xs_reason(fake: FakeX, client: XClient) -> None:
    untagged = fake.post_by("bob", "acme support never answers")
    found = client.search("acme", None).events
    assert [e.platform_post_id for e in found] == [untagged]
    with pytest.raises(PlatformRefused) as refused:
        XConnector(client).send(reply(untagged, "Hi Bob!", "k2"))
    assert refused.value.failure.kind is FailureKind.FORBIDDEN and not refused.value.transient
    assert refused.value.reason == NOT_SUMMONED
    assert fake.posts_by_brand() == []
    quote_of_ours = fake.post_by("eve", "look at this", quotes=fake.brand_post("We're open"))
    XConnector(client).send(reply(quote_of_ours, "Thanks Eve!", "k3"))


def test_search_follows_next_token_and_keeps_the_first_pages_newest_id(
    fake: FakeX, client: XClient
) -> None:
    ids = [fake.post_by(f"u{i}", f"acme thing {i}") for i in range(250)]
    page = client.search("acme", None)
    assert [e.platform_post_id for e in page.events] == ids
    assert page.cursor == ids[-1]
    calls = fake.recorder.requests_to("GET", "/2/tweets/search/recent")
    assert [c.param("next_token") for c in calls] == [None, "100", "200"]
    assert client.budget is not None and client.budget.spent == Decimal("1.250")


def test_dm_and_hiding_a_reply_under_the_brands_own_post(fake: FakeX, client: XClient) -> None:
    ours = fake.brand_post("Our hours today: 9-17")
    rude = fake.post_by("troll", "rubbish", reply_to=ours)
    connector = XConnector(client)
    connector.hide(ModerationTarget(Platform.X, "acme", rude))
    assert fake.hidden[rude] is True
    elsewhere = fake.post_by("bob", "hello")
    with pytest.raises(PlatformRefused) as refused:
        connector.hide(ModerationTarget(Platform.X, "acme", elsewhere))
    assert "conversations you authored" in refused.value.reason
    jane_id = fake.posts[fake.post_by("jane", "@acme help", mentions_brand=True)]["author_id"]
    dm = OutgoingReply(
        Platform.X,
        "acme",
        "Please DM your order number",
        ReplyVisibility.PRIVATE,
        None,
        jane_id,
        "dm-1",
    )
    connector.send(dm)
    assert fake.dms[-1]["to"] == jane_id and fake.dms[-1]["text"] == "Please DM your order number"


def test_rate_limits_the_budget_cap_and_a_revoked_token(fake: FakeX) -> None:
    budget = Budget("0.02")
    client = XClient(
        "bearer", "user-token", api_url=fake.base_url, budget=budget, user_id="1000", timeout=2.0
    )
    fake.recorder.fail_next("rate_limit")
    with pytest.raises(PlatformRefused) as limited:
        client.mentions(None)
    assert limited.value.failure.kind is FailureKind.RATE_LIMITED
    assert limited.value.retry_after is not None and 590 < limited.value.retry_after <= 600
    for i in range(20):
        fake.post_by(f"u{i}", "@acme hi", mentions_brand=True)
    client.mentions(None)  # 20 owned reads: $0.020, the whole budget
    sent_before = len(fake.recorder.requests)
    with pytest.raises(PlatformRefused) as capped:
        client.mentions(None)
    assert capped.value.failure.code == "budget" and budget.pace() is None
    assert len(fake.recorder.requests) == sent_before  # refused without reaching X
    fake.revoke()
    roomy = XClient("bearer", "user-token", api_url=fake.base_url, user_id="1000", timeout=2.0)
    with pytest.raises(TokenInvalid):
        roomy.mentions(None)
    client.close()
    roomy.close()
