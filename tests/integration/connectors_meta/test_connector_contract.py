"""The Meta connector against the fake Graph server, over real HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mentiondesk.connectors.base import (
    DeliveryFailed,
    ModerationTarget,
    Moderator,
    OutgoingPost,
    OutgoingReply,
    Publisher,
)
from mentiondesk.connectors.meta.connector import MetaConnector
from mentiondesk.connectors.meta.errors import FailureKind, MetaRefused, TokenInvalid
from mentiondesk.connectors.meta.fake_server import FakeGraphServer
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import ReplyVisibility

from .conftest import IG, NOW, PAGE, PAGE_TOKEN

CUSTOMER = "55500011"


def reply(
    target: str | None,
    text: str = "Hi Anna, we are on it.",
    *,
    key: str = "k1",
    private: bool = False,
    platform: Platform = Platform.FACEBOOK,
    recipient: str = CUSTOMER,
) -> OutgoingReply:
    visibility = ReplyVisibility.PRIVATE if private else ReplyVisibility.PUBLIC
    return OutgoingReply(platform, "acme", text, visibility, target, recipient, key)


def target(object_id: str, platform: Platform = Platform.FACEBOOK) -> ModerationTarget:
    return ModerationTarget(platform, "acme", object_id, reason="insult")


@pytest.fixture
def comment(fake: FakeGraphServer) -> str:
    post = fake.graph.add_post(PAGE, "Our new opening hours")
    return fake.graph.add_comment(post.id, "Where is my order?", author_id=CUSTOMER).id


def test_the_connector_offers_moderation_and_publishing(facebook: MetaConnector) -> None:
    assert isinstance(facebook, Moderator)
    assert isinstance(facebook, Publisher)


def test_a_public_reply_is_posted_under_the_comment(
    fake: FakeGraphServer, facebook: MetaConnector, comment: str
) -> None:
    delivered = facebook.send(reply(comment))

    (request,) = fake.graph.requests_to("POST", f"/{comment}/comments")
    assert request.params["message"] == "Hi Anna, we are on it."
    assert request.token == PAGE_TOKEN
    made = fake.graph.objects[delivered.platform_reply_id]
    assert made.parent_id == comment
    assert made.author_id == PAGE


def test_sending_twice_with_one_key_posts_once(
    fake: FakeGraphServer, facebook: MetaConnector, comment: str
) -> None:
    first = facebook.send(reply(comment))
    second = facebook.send(reply(comment))

    assert first == second
    assert len(fake.graph.requests_to("POST", f"/{comment}/comments")) == 1


def test_a_private_reply_goes_once_and_the_second_is_refused_with_meta_s_reason(
    fake: FakeGraphServer, facebook: MetaConnector, comment: str
) -> None:
    facebook.send(reply(comment, "Please send us your order number.", private=True))

    with pytest.raises(MetaRefused) as refused:
        facebook.send(reply(comment, "Another private note", key="k2", private=True))

    assert not refused.value.transient
    assert refused.value.graph.kind is FailureKind.ALREADY_REPLIED
    assert "Activity already replied to" in refused.value.reason
    (sent,) = fake.graph.sent_messages
    assert sent["recipient"] == {"comment_id": comment}
    assert sent["to"] == CUSTOMER


def test_a_private_reply_to_a_visitor_post_names_the_post(
    fake: FakeGraphServer, facebook: MetaConnector
) -> None:
    post = fake.graph.add_post(PAGE, "My parcel never came", author_id=CUSTOMER)

    facebook.send(reply(post.id, "We are sorry, please DM us.", private=True))

    assert fake.graph.sent_messages[0]["recipient"] == {"post_id": post.id}


def test_a_private_reply_after_seven_days_is_refused_as_outside_the_window(
    fake: FakeGraphServer, facebook: MetaConnector
) -> None:
    post = fake.graph.add_post(PAGE, "Hours")
    old = fake.graph.add_comment(post.id, "hello?", author_id=CUSTOMER, at=NOW - timedelta(days=8))

    with pytest.raises(MetaRefused) as refused:
        facebook.send(reply(old.id, private=True))

    assert refused.value.graph.kind is FailureKind.WINDOW_CLOSED
    assert "outside of allowed window" in refused.value.reason


def test_hide_and_unhide_set_is_hidden(
    fake: FakeGraphServer, facebook: MetaConnector, comment: str
) -> None:
    facebook.hide(target(comment))
    assert fake.graph.objects[comment].is_hidden
    assert fake.graph.requests_to("POST", f"/{comment}")[0].params == {"is_hidden": "true"}

    facebook.unhide(target(comment))
    assert not fake.graph.objects[comment].is_hidden


def test_like_marks_the_comment_liked_on_facebook(
    fake: FakeGraphServer, facebook: MetaConnector, comment: str
) -> None:
    facebook.like(target(comment))
    assert fake.graph.objects[comment].liked


def test_a_direct_message_inside_24_hours_is_a_response(
    fake: FakeGraphServer, facebook: MetaConnector
) -> None:
    fake.graph.add_conversation(PAGE, CUSTOMER, NOW - timedelta(hours=3))

    delivered = facebook.send(reply("m_abc", "Your parcel left today.", private=True))

    (sent,) = fake.graph.sent_messages
    assert sent["messaging_type"] == "RESPONSE"
    assert sent["recipient"] == {"id": CUSTOMER}
    assert delivered.platform_reply_id == sent["mid"]


def test_after_24_hours_a_dm_is_refused_unless_the_human_agent_tag_is_allowed(
    fake: FakeGraphServer, facebook: MetaConnector, graph: object
) -> None:
    fake.graph.add_conversation(PAGE, CUSTOMER, NOW - timedelta(days=3))

    with pytest.raises(MetaRefused) as refused:
        facebook.send(reply("m_abc", private=True))
    assert refused.value.graph.kind is FailureKind.WINDOW_CLOSED

    agent = MetaConnector(facebook._graph, facebook.account, human_agent=True)
    agent.send(reply("m_abc", private=True, key="k2"))
    (sent,) = fake.graph.sent_messages
    assert sent["messaging_type"] == "MESSAGE_TAG"
    assert sent["tag"] == "HUMAN_AGENT"


def test_a_rate_limit_is_transient_with_meta_s_wait(
    fake: FakeGraphServer, facebook: MetaConnector, comment: str
) -> None:
    fake.graph.fail_next("rate_limit", code=613, regain_minutes=3)

    with pytest.raises(MetaRefused) as limited:
        facebook.send(reply(comment))

    assert limited.value.transient
    assert limited.value.retry_after == 180
    assert limited.value.graph.code == 613
    assert facebook.send(reply(comment)).platform_reply_id  # the retry goes through


@pytest.mark.parametrize("code", [4, 17, 32, 80001, 80006])
def test_every_throttling_code_is_retried_later(
    fake: FakeGraphServer, facebook: MetaConnector, comment: str, code: int
) -> None:
    fake.graph.fail_next("rate_limit", code=code, status=403)
    with pytest.raises(DeliveryFailed) as limited:
        facebook.like(target(comment))
    assert limited.value.transient and limited.value.retry_after == 300


def test_an_invalid_token_is_reported_as_such(
    fake: FakeGraphServer, facebook: MetaConnector, comment: str
) -> None:
    fake.graph.fail_next("token_invalid")
    with pytest.raises(TokenInvalid) as expired:
        facebook.send(reply(comment))
    assert not expired.value.transient
    assert "expired" in expired.value.reason


def test_a_revoked_token_fails_every_action_with_token_invalid(
    fake: FakeGraphServer, facebook: MetaConnector, comment: str
) -> None:
    fake.graph.revoke(PAGE_TOKEN)
    for action in (
        lambda: facebook.send(reply(comment)),
        lambda: facebook.hide(target(comment)),
        lambda: facebook.publish(OutgoingPost(Platform.FACEBOOK, "acme", "Open", "p1")),
    ):
        with pytest.raises(TokenInvalid) as revoked:
            action()
        assert "password was changed" in revoked.value.reason


@pytest.mark.parametrize("kind", ["server_error", "bad_gateway"])
def test_server_errors_are_transient(
    fake: FakeGraphServer, facebook: MetaConnector, comment: str, kind: str
) -> None:
    fake.graph.fail_next(kind)
    with pytest.raises(MetaRefused) as failed:
        facebook.send(reply(comment))
    assert failed.value.transient
    assert failed.value.graph.kind is FailureKind.SERVER


def test_a_timed_out_reply_that_went_through_is_found_not_posted_again(
    fake: FakeGraphServer, facebook: MetaConnector, comment: str
) -> None:
    fake.graph.fail_next("timeout", commit=True, delay=1.5)

    with pytest.raises(MetaRefused) as timed_out:
        facebook.send(reply(comment))
    assert timed_out.value.transient
    delivered = facebook.send(reply(comment))

    assert len(fake.graph.requests_to("POST", f"/{comment}/comments")) == 1
    replies = [o for o in fake.graph.objects.values() if o.parent_id == comment]
    assert [r.id for r in replies] == [delivered.platform_reply_id]


def test_a_timed_out_reply_that_did_not_go_through_is_posted_on_retry(
    fake: FakeGraphServer, facebook: MetaConnector, comment: str
) -> None:
    fake.graph.fail_next("timeout", delay=1.5)

    with pytest.raises(MetaRefused):
        facebook.send(reply(comment))
    facebook.send(reply(comment))

    replies = [o for o in fake.graph.objects.values() if o.parent_id == comment]
    assert len(replies) == 1
    assert len(fake.graph.requests_to("POST", f"/{comment}/comments")) == 2


def test_replying_to_a_deleted_comment_is_a_final_refusal(
    fake: FakeGraphServer, facebook: MetaConnector, comment: str
) -> None:
    fake.graph.objects[comment].deleted = True
    with pytest.raises(MetaRefused) as gone:
        facebook.send(reply(comment))
    assert gone.value.graph.kind is FailureKind.GONE
    assert not gone.value.transient


def test_publishing_puts_the_post_on_the_page_once_per_key(
    fake: FakeGraphServer, facebook: MetaConnector
) -> None:
    post = OutgoingPost(Platform.FACEBOOK, "acme", "We are open until 20:00", "open-2026-03-10")

    first = facebook.publish(post)
    again = facebook.publish(post)

    assert first == again
    made = fake.graph.objects[first.platform_reply_id]
    assert (made.account_id, made.message, made.kind) == (PAGE, "We are open until 20:00", "post")
    assert len(fake.graph.requests_to("POST", f"/{PAGE}/feed")) == 1


def test_a_timed_out_publish_that_went_through_is_found_on_the_feed(
    fake: FakeGraphServer, facebook: MetaConnector
) -> None:
    post = OutgoingPost(Platform.FACEBOOK, "acme", "Closed for today", "close-1")
    fake.graph.fail_next("timeout", commit=True, delay=1.5, path="/feed")

    with pytest.raises(MetaRefused):
        facebook.publish(post)
    delivered = facebook.publish(post)

    posts = [o for o in fake.graph.objects.values() if o.message == "Closed for today"]
    assert [p.id for p in posts] == [delivered.platform_reply_id]


def test_instagram_replies_go_to_the_replies_edge_and_hide_uses_hide(
    fake: FakeGraphServer, instagram: MetaConnector
) -> None:
    media = fake.graph.add_post(IG, "New collection")
    comment = fake.graph.add_comment(media.id, "Price?", author_id="1789", author_name="anna.k")

    delivered = instagram.send(reply(comment.id, "DM us!", platform=Platform.INSTAGRAM))
    instagram.hide(target(comment.id, Platform.INSTAGRAM))

    assert fake.graph.requests_to("POST", f"/{comment.id}/replies")
    assert fake.graph.objects[delivered.platform_reply_id].author_id == IG
    assert fake.graph.requests_to("POST", f"/{comment.id}")[0].params == {"hide": "true"}
    assert fake.graph.objects[comment.id].is_hidden


def test_instagram_refuses_a_reply_to_a_hidden_comment(
    fake: FakeGraphServer, instagram: MetaConnector
) -> None:
    media = fake.graph.add_post(IG, "New collection")
    comment = fake.graph.add_comment(media.id, "spam", author_id="1789")
    fake.graph.objects[comment.id].is_hidden = True

    with pytest.raises(MetaRefused) as refused:
        instagram.send(reply(comment.id, platform=Platform.INSTAGRAM))
    assert not refused.value.transient


def test_instagram_private_replies_go_through_the_linked_page(
    fake: FakeGraphServer, instagram: MetaConnector
) -> None:
    media = fake.graph.add_post(IG, "New collection")
    comment = fake.graph.add_comment(media.id, "Price?", author_id="1789")

    instagram.send(
        reply(comment.id, "Sent you the price.", private=True, platform=Platform.INSTAGRAM)
    )

    assert fake.graph.requests_to("POST", f"/{PAGE}/messages")
    assert fake.graph.objects[comment.id].private_replied


def test_instagram_has_no_like_and_no_text_only_post(
    fake: FakeGraphServer, instagram: MetaConnector
) -> None:
    with pytest.raises(DeliveryFailed, match="no like"):
        instagram.like(target("1", Platform.INSTAGRAM))
    with pytest.raises(DeliveryFailed, match="image"):
        instagram.publish(OutgoingPost(Platform.INSTAGRAM, "acme", "Open", "p1"))
    assert fake.graph.requests == []


def test_a_reply_for_another_platform_or_without_a_target_is_refused(
    facebook: MetaConnector,
) -> None:
    with pytest.raises(DeliveryFailed):
        facebook.send(reply("1_2", platform=Platform.INSTAGRAM))
    with pytest.raises(DeliveryFailed):
        facebook.send(reply(None))
