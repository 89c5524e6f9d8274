"""The composer offers each Meta action only while the platform allows it, and says why not."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from mentiondesk.connectors.meta.capabilities import (
    HUMAN_AGENT_TAG,
    Action,
    ItemState,
    available,
    check,
    check_publish,
)
from mentiondesk.domain.posts import Platform, PostKind

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
FB_COMMENT = ItemState(Platform.FACEBOOK, PostKind.COMMENT, created_at=NOW - timedelta(hours=2))
IG_COMMENT = replace(FB_COMMENT, platform=Platform.INSTAGRAM)


def dm(last_message_ago: timedelta | None, platform: Platform = Platform.FACEBOOK) -> ItemState:
    last = None if last_message_ago is None else NOW - last_message_ago
    return ItemState(platform, PostKind.DM, created_at=NOW, last_customer_message_at=last)


def test_a_fresh_facebook_comment_allows_every_comment_action() -> None:
    verdicts = available(FB_COMMENT, NOW)
    assert {a for a, v in verdicts.items() if v} == {
        Action.PUBLIC_REPLY,
        Action.PRIVATE_REPLY,
        Action.HIDE,
        Action.LIKE,
    }
    assert "private reply" in verdicts[Action.DM].reason


def test_instagram_has_no_like() -> None:
    verdict = check(Action.LIKE, IG_COMMENT, NOW)
    assert not verdict
    assert verdict.reason == "Instagram has no like in its API."


def test_a_private_reply_is_offered_once() -> None:
    verdict = check(Action.PRIVATE_REPLY, replace(FB_COMMENT, private_reply_sent=True), NOW)
    assert not verdict
    assert "already sent" in verdict.reason


def test_a_private_reply_is_offered_for_seven_days_and_says_until_when() -> None:
    created = NOW - timedelta(days=6, hours=23)
    verdict = check(Action.PRIVATE_REPLY, replace(FB_COMMENT, created_at=created), NOW)
    assert verdict and verdict.until == created + timedelta(days=7)

    late = check(Action.PRIVATE_REPLY, replace(FB_COMMENT, created_at=NOW - timedelta(days=7)), NOW)
    assert not late and "7 days" in late.reason


def test_instagram_private_replies_go_to_comments_only_facebook_also_to_visitor_posts() -> None:
    assert check(Action.PRIVATE_REPLY, replace(FB_COMMENT, kind=PostKind.POST), NOW)
    assert not check(Action.PRIVATE_REPLY, replace(IG_COMMENT, kind=PostKind.POST), NOW)


def test_a_dm_inside_24_hours_needs_no_tag() -> None:
    verdict = check(Action.DM, dm(timedelta(hours=23)), NOW)
    assert verdict and verdict.tag is None
    assert verdict.until == NOW + timedelta(hours=1)


def test_between_24_hours_and_7_days_a_dm_needs_the_human_agent_tag() -> None:
    item = dm(timedelta(days=3))
    without = check(Action.DM, item, NOW)
    with_tag = check(Action.DM, item, NOW, human_agent=True)

    assert not without and "24-hour" in without.reason
    assert with_tag and with_tag.tag == HUMAN_AGENT_TAG


def test_after_7_days_no_dm_is_possible() -> None:
    verdict = check(Action.DM, dm(timedelta(days=7, minutes=1)), NOW, human_agent=True)
    assert not verdict and "7 days" in verdict.reason


def test_no_dm_before_the_customer_wrote() -> None:
    assert not check(Action.DM, dm(None), NOW)


def test_hide_and_unhide_follow_the_comment_s_state() -> None:
    hidden = replace(FB_COMMENT, hidden=True)
    assert not check(Action.HIDE, hidden, NOW)
    assert check(Action.UNHIDE, hidden, NOW)
    assert not check(Action.UNHIDE, FB_COMMENT, NOW)


def test_instagram_refuses_replies_to_hidden_comments_facebook_does_not() -> None:
    verdict = check(Action.PUBLIC_REPLY, replace(IG_COMMENT, hidden=True), NOW)
    assert not verdict and "unhide it first" in verdict.reason
    assert check(Action.PUBLIC_REPLY, replace(FB_COMMENT, hidden=True), NOW)


@pytest.mark.parametrize("action", list(Action))
def test_nothing_can_be_done_to_a_deleted_item(action: Action) -> None:
    item = replace(
        FB_COMMENT, removed=True, kind=PostKind.DM if action is Action.DM else PostKind.COMMENT
    )
    verdict = check(action, item, NOW)
    assert not verdict and "deleted" in verdict.reason


def test_the_brand_s_own_comment_is_not_answered_hidden_or_liked() -> None:
    ours = replace(FB_COMMENT, ours=True)
    assert not any(check(a, ours, NOW) for a in Action if a is not Action.DM)


def test_direct_messages_cannot_be_hidden_or_liked() -> None:
    item = dm(timedelta(hours=1))
    assert not check(Action.HIDE, item, NOW)
    assert not check(Action.LIKE, item, NOW)
    assert not check(Action.PUBLIC_REPLY, item, NOW)


def test_publishing_text_works_on_facebook_instagram_needs_an_image() -> None:
    assert check_publish(Platform.FACEBOOK)
    refused = check_publish(Platform.INSTAGRAM)
    assert not refused and "image" in refused.reason
    assert check_publish(Platform.INSTAGRAM, has_media=True)


def test_other_platforms_are_not_judged_here() -> None:
    item = replace(FB_COMMENT, platform=Platform.X)
    assert not check(Action.LIKE, item, NOW)
    assert not check_publish(Platform.X)
