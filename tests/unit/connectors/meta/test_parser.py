"""Webhook bodies, shaped like Meta's documented deliveries, become typed events."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from mentiondesk.connectors.meta.events import EventKind, Ignored, MetaEvent, Rejected
from mentiondesk.connectors.meta.parser import event_from_graph_node, parse_webhook
from mentiondesk.domain.posts import Platform, PostKind
from mentiondesk.pipeline.payload import parse_payload

PAGE = "1234567890321"
IG = "17841405726653026"


def page_body(*changes: dict[str, Any], time: int = 1449135003) -> dict[str, Any]:
    return {"object": "page", "entry": [{"id": PAGE, "time": time, "changes": list(changes)}]}


def feed(**value: Any) -> dict[str, Any]:
    return {"field": "feed", "value": value}


def only_event(body: Any) -> MetaEvent:
    results = parse_webhook(body)
    assert len(results) == 1, results
    (result,) = results
    assert isinstance(result, MetaEvent), result
    return result


COMMENT = {
    "item": "comment",
    "verb": "add",
    "comment_id": "901097836652708_903438993085259",
    "post_id": f"{PAGE}_901097836652708",
    "parent_id": f"{PAGE}_901097836652708",
    "from": {"id": "55500011", "name": "Anna Kowalska"},
    "created_time": 1449135003,
    "message": "Where is my order?",
}


def test_a_comment_under_a_page_post_becomes_a_comment_threaded_under_that_post() -> None:
    event = only_event(page_body(feed(**COMMENT)))

    assert event.kind is EventKind.COMMENT_ADDED
    assert event.platform is Platform.FACEBOOK
    assert event.account_id == PAGE
    assert not event.ours
    assert event.post == {
        "platform": "facebook",
        "platform_post_id": "901097836652708_903438993085259",
        "text": "Where is my order?",
        "created_at": "2015-12-03T09:30:03+00:00",
        "author_handle": "55500011",
        "author_name": "Anna Kowalska",
        "kind": "comment",
        "conversation_id": f"{PAGE}_901097836652708",
        "in_reply_to": f"{PAGE}_901097836652708",
        "url": f"https://www.facebook.com/{PAGE}_901097836652708"
        "?comment_id=901097836652708_903438993085259",
        "to_brand": True,
    }


def test_every_post_the_parser_builds_is_accepted_by_the_pipeline() -> None:
    event = only_event(page_body(feed(**COMMENT)))
    assert event.post is not None

    inbound = parse_payload(event.post).to_inbound()

    assert inbound.kind is PostKind.COMMENT
    assert inbound.thread_key == f"{PAGE}_901097836652708"
    assert inbound.created_at == datetime(2015, 12, 3, 9, 30, 3, tzinfo=UTC)


def test_a_reply_to_a_comment_answers_the_parent_comment_and_stays_in_the_post_thread() -> None:
    parent = "901097836652708_903438993085259"
    event = only_event(
        page_body(feed(**{**COMMENT, "comment_id": "9010_777", "parent_id": parent}))
    )

    assert event.post is not None
    assert event.post["in_reply_to"] == parent
    assert event.post["conversation_id"] == f"{PAGE}_901097836652708"


def test_the_older_shape_with_numeric_sender_id_and_iso_time_is_understood() -> None:
    value = {k: v for k, v in COMMENT.items() if k != "from"}
    value |= {
        "sender_id": 55500011,
        "sender_name": "Anna",
        "created_time": "2026-09-10T10:00:00+0000",
    }
    event = only_event(page_body(feed(**value)))

    assert event.post is not None
    assert event.post["author_handle"] == "55500011"
    assert event.post["created_at"] == "2026-09-10T10:00:00+00:00"


def test_the_pages_own_comment_is_recognised_as_ours() -> None:
    event = only_event(page_body(feed(**{**COMMENT, "from": {"id": PAGE, "name": "Acme"}})))

    assert event.ours
    assert event.post is not None and event.post["author_handle"] == PAGE


def test_a_photo_comment_without_text_still_reaches_the_pipeline_with_a_marker() -> None:
    value = {k: v for k, v in COMMENT.items() if k != "message"}
    event = only_event(page_body(feed(**value, photo="https://scontent.example/p.jpg")))

    assert event.post is not None and event.post["text"] == "[photo]"
    parse_payload(event.post)


@pytest.mark.parametrize("verb", ["edited", "edit"])
def test_an_edit_carries_the_new_text_and_keeps_verb_edited(verb: str) -> None:
    event = only_event(page_body(feed(**{**COMMENT, "verb": verb, "message": "Found it, thanks"})))

    assert event.kind is EventKind.COMMENT_EDITED
    assert event.verb == "edited"
    assert event.post is not None and event.post["text"] == "Found it, thanks"
    assert event.platform_post_id == COMMENT["comment_id"]


def test_a_comment_removed_by_its_author_has_no_text_and_names_the_comment() -> None:
    value = {
        "item": "comment",
        "verb": "remove",
        "comment_id": "905578656204626_905579239537901",
        "post_id": f"{PAGE}_905578656204626",
        "parent_id": f"{PAGE}_905578656204626",
        "from": {"name": "John Doe", "id": "8423678347823"},
    }
    event = only_event(page_body(feed(**value)))

    assert event.kind is EventKind.COMMENT_REMOVED
    assert event.verb == "remove"
    assert event.post is None
    assert event.platform_post_id == "905578656204626_905579239537901"
    assert event.conversation_id == f"{PAGE}_905578656204626"
    assert event.occurred_at == datetime.fromtimestamp(1449135003, UTC)  # the entry's time


@pytest.mark.parametrize(
    ("verb", "kind"), [("hide", EventKind.COMMENT_HIDDEN), ("unhide", EventKind.COMMENT_UNHIDDEN)]
)
def test_hide_and_unhide_are_reported(verb: str, kind: EventKind) -> None:
    event = only_event(page_body(feed(**{**COMMENT, "verb": verb})))
    assert event.kind is kind
    assert event.post is None


def test_a_visitor_post_on_the_page_becomes_a_post_to_the_brand() -> None:
    value = {
        "item": "post",
        "verb": "add",
        "post_id": f"{PAGE}_7293787835232",
        "is_hidden": False,
        "sender_id": 8423678347823,
        "from": {"name": "John Doe", "id": "8423678347823"},
        "message": "Let's check this",
    }
    event = only_event(page_body(feed(**value)))

    assert event.kind is EventKind.POST_ADDED
    assert not event.ours
    assert event.post is not None
    assert event.post["kind"] == "post"
    assert event.post["conversation_id"] is None
    assert parse_payload(event.post).to_inbound().thread_key == f"{PAGE}_7293787835232"


def test_the_pages_own_status_is_a_post_of_ours() -> None:
    value = {
        "item": "status",
        "verb": "add",
        "from": {"name": "Acme", "id": PAGE},
        "post_id": f"{PAGE}_930145403745849",
        "published": 1,
        "created_time": 1448633038,
        "message": "We are open until 20:00",
    }
    event = only_event(page_body(feed(**value)))
    assert event.kind is EventKind.POST_ADDED
    assert event.ours


def test_post_edit_and_remove_use_the_post_id() -> None:
    edit = {
        "post_id": f"{PAGE}_7293787835232",
        "item": "post",
        "verb": "edit",
        "message": "Let's check this again",
        "created_time": 1467890409,
        "from": {"name": "Joe", "id": 8423678347823},
    }
    remove = {"item": "post", "verb": "remove", "post_id": f"{PAGE}_901", "from": {"id": 1}}
    edited, removed = parse_webhook(page_body(feed(**edit), feed(**remove)))

    assert isinstance(edited, MetaEvent) and edited.kind is EventKind.POST_EDITED
    assert edited.post is not None and edited.post["author_handle"] == "8423678347823"
    assert isinstance(removed, MetaEvent) and removed.kind is EventKind.POST_REMOVED


def test_reactions_and_likes_are_ignored_deliberately_with_a_reason() -> None:
    reaction = feed(item="reaction", verb="add", post_id="p", reaction_type="love", from_={})
    like = feed(item="like", verb="add", comment_id="c", sender_id=909653922461664)
    results = parse_webhook(page_body(reaction, like))

    assert [type(r) for r in results] == [Ignored, Ignored]
    assert all(isinstance(r, Ignored) and r.reason for r in results)


def test_a_mention_with_its_author_becomes_a_mention() -> None:
    value = {
        "message": "@Acme my parcel is late",
        "post_id": "99_7363534231324",
        "comment_id": "7363534231324_3754798971271444",
        "created_time": 1614340862,
        "item": "comment",
        "verb": "add",
        "from": {"id": "42", "name": "Bea"},
    }
    event = only_event(page_body({"field": "mention", "value": value}))

    assert event.kind is EventKind.MENTION
    assert event.post is not None and event.post["in_reply_to"] == "99_7363534231324"
    assert not event.fetch_needed


def test_a_mention_without_its_author_must_be_read_from_graph() -> None:
    value = {
        "message": "Just a test message",
        "post_id": "99_7363534231324",
        "comment_id": "7363534231324_3754798971271444",
        "created_time": 1614340862,
        "item": "comment",
        "verb": "add",
    }
    event = only_event(page_body({"field": "mention", "value": value}))

    assert event.kind is EventKind.MENTION
    assert event.fetch_needed
    assert event.post is None
    assert event.platform_post_id == "7363534231324_3754798971271444"


MESSAGE = {
    "object": "page",
    "entry": [
        {
            "id": 12345654332,
            "time": 1457764198246,
            "messaging": [
                {
                    "sender": {"id": 987654321432},
                    "recipient": {"id": 12345654332},
                    "timestamp": 1457764197627,
                    "message": {"mid": "mid.1457764197618:41d102a3e1ae206a38", "text": "hi"},
                }
            ],
        }
    ],
}


def test_a_messenger_message_becomes_a_dm_in_a_conversation_per_customer() -> None:
    event = only_event(MESSAGE)

    assert event.kind is EventKind.MESSAGE
    assert not event.echo and not event.ours
    assert event.post is not None
    assert event.post["kind"] == "dm"
    assert event.post["author_handle"] == "987654321432"
    assert event.post["conversation_id"] == "dm:12345654332:987654321432"
    assert event.post["created_at"] == "2016-03-12T06:29:57.627000+00:00"  # milliseconds
    assert event.dedupe_key == "facebook:mid.1457764197618:41d102a3e1ae206a38"
    assert parse_payload(event.post).to_inbound().to_brand


def test_an_echo_is_ours_and_threads_with_the_customer_it_was_sent_to() -> None:
    body = json.loads(json.dumps(MESSAGE))
    item = body["entry"][0]["messaging"][0]
    item["sender"], item["recipient"] = item["recipient"], item["sender"]
    item["message"] |= {"is_echo": True, "app_id": 1517776481860111}

    event = only_event(body)

    assert event.echo and event.ours
    assert event.app_id == "1517776481860111"
    assert event.conversation_id == "dm:12345654332:987654321432"


def test_an_unsent_message_and_an_edited_message_are_reported() -> None:
    body = json.loads(json.dumps(MESSAGE))
    base = body["entry"][0]["messaging"][0]
    deleted = {**base, "message": {"mid": "m_1", "is_deleted": True}}
    edited = {k: v for k, v in base.items() if k != "message"}
    edited["message_edit"] = {"mid": "m_1", "text": "hello again", "num_edit": 2}
    body["entry"][0]["messaging"] = [deleted, edited]

    gone, changed = parse_webhook(body)

    assert isinstance(gone, MetaEvent) and gone.kind is EventKind.MESSAGE_DELETED
    assert isinstance(changed, MetaEvent) and changed.kind is EventKind.MESSAGE_EDITED
    assert changed.post is not None and changed.post["text"] == "hello again"
    assert gone.dedupe_key != changed.dedupe_key


def test_an_image_message_is_marked_as_such() -> None:
    body = json.loads(json.dumps(MESSAGE))
    body["entry"][0]["messaging"][0]["message"] = {
        "mid": "m_2",
        "attachments": [{"type": "image", "payload": {"url": "https://x.example/i.png"}}],
    }
    event = only_event(body)
    assert event.post is not None and event.post["text"] == "[image]"


@pytest.mark.parametrize(
    "extra",
    [
        {"reaction": {"mid": "m", "action": "react", "emoji": "\ud83d\ude22", "reaction": "sad"}},
        {"read": {"watermark": 1458668856253, "seq": 38}},
        {"delivery": {"mids": ["m"], "watermark": 1458668856253, "seq": 37}},
        {"postback": {"mid": "m", "title": "Yes", "payload": "YES"}},
    ],
)
def test_receipts_reactions_and_postbacks_are_ignored(extra: dict[str, Any]) -> None:
    body = json.loads(json.dumps(MESSAGE))
    item = body["entry"][0]["messaging"][0]
    del item["message"]
    item.update(extra)
    (result,) = parse_webhook(body)
    assert isinstance(result, Ignored)


def test_an_instagram_comment_threads_under_its_media() -> None:
    body = {
        "object": "instagram",
        "entry": [
            {
                "id": IG,
                "time": 1710000000,
                "changes": [
                    {
                        "field": "comments",
                        "value": {
                            "id": "17865799348089039",
                            "from": {"id": "1789", "username": "anna.k"},
                            "text": "Is this in stock?",
                            "media": {"id": "17918195224117851", "media_product_type": "FEED"},
                        },
                    }
                ],
            }
        ],
    }
    event = only_event(body)

    assert event.platform is Platform.INSTAGRAM
    assert event.kind is EventKind.COMMENT_ADDED
    assert event.post is not None
    assert event.post["author_handle"] == "anna.k"
    assert event.post["conversation_id"] == "17918195224117851"
    assert event.post["in_reply_to"] == "17918195224117851"
    assert event.post["created_at"] == "2024-03-09T16:00:00+00:00"
    parse_payload(event.post)


def test_the_instagram_accounts_own_reply_is_ours() -> None:
    value = {
        "id": "1",
        "from": {"id": IG, "username": "acme"},
        "text": "Yes!",
        "media": {"id": "9"},
    }
    body = {
        "object": "instagram",
        "entry": [
            {
                "id": IG,
                "time": 1710000000,
                "changes": [
                    {"field": "comments", "value": {**value, "parent_id": "17865799348089039"}}
                ],
            }
        ],
    }
    event = only_event(body)
    assert event.ours
    assert event.in_reply_to == "17865799348089039"


def test_an_instagram_mention_names_where_to_read_it() -> None:
    body = {
        "object": "instagram",
        "entry": [
            {
                "id": IG,
                "time": 1520622968,
                "changes": [
                    {
                        "field": "mentions",
                        "value": {"comment_id": "17894227972186120", "media_id": "179"},
                    }
                ],
            }
        ],
    }
    event = only_event(body)

    assert event.kind is EventKind.MENTION
    assert event.fetch_needed and event.post is None
    assert event.platform_post_id == "17894227972186120"


def test_an_instagram_direct_message_is_a_dm_on_instagram() -> None:
    body = {
        "object": "instagram",
        "entry": [
            {
                "id": IG,
                "time": 1569262486134,
                "messaging": [
                    {
                        "sender": {"id": "IGSID1"},
                        "recipient": {"id": IG},
                        "timestamp": 1569262485349,
                        "message": {"mid": "aWdfZAG1", "text": "Hello"},
                    }
                ],
            }
        ],
    }
    event = only_event(body)

    assert event.platform is Platform.INSTAGRAM
    assert event.post is not None and event.post["platform"] == "instagram"
    assert event.post["conversation_id"] == f"dm:{IG}:IGSID1"


def test_a_batch_with_one_odd_part_keeps_everything_else() -> None:
    body = page_body(
        feed(**COMMENT),
        {"field": "parking"},
        feed(item="comment", verb="mute", comment_id="c", post_id="p"),
        {"field": "ratings", "value": {"review_text": "meh"}},
        feed(**{**COMMENT, "comment_id": "901097836652708_2"}),
    )
    results = parse_webhook(body)

    assert [type(r) for r in results] == [MetaEvent, Rejected, Rejected, Rejected, MetaEvent]
    reasons = [r.reason for r in results if isinstance(r, Rejected)]
    assert "without a value" in reasons[0]
    assert "'mute'" in reasons[1]
    assert "unknown facebook field 'ratings'" in reasons[2]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json", "not JSON"),
        (b"[]", "not a JSON object"),
        ({"object": "whatsapp_business_account", "entry": []}, "unknown object"),
        ({"object": "page"}, "no entry list"),
        ({"object": "page", "entry": [{"time": 1}]}, "without an id"),
        ({"object": "page", "entry": [{"id": "1", "time": 1}]}, "neither changes nor messaging"),
    ],
)
def test_bodies_that_are_not_understood_are_rejected_with_a_reason(body: Any, reason: str) -> None:
    (result,) = parse_webhook(body)
    assert isinstance(result, Rejected)
    assert reason in result.reason


def test_raw_bytes_with_escaped_unicode_are_decoded() -> None:
    raw = json.dumps(page_body(feed(**{**COMMENT, "message": "Zażółć gęślą jaźń"}))).encode()
    assert b"\\u017c" in raw
    event = only_event(raw)
    assert event.post is not None and event.post["text"] == "Zażółć gęślą jaźń"


def test_a_redelivered_notification_has_the_same_dedupe_key() -> None:
    first = only_event(page_body(feed(**COMMENT)))
    again = only_event(page_body(feed(**COMMENT), time=1449139999))
    edited = only_event(page_body(feed(**{**COMMENT, "verb": "edited"})))
    assert first.dedupe_key == again.dedupe_key
    assert first.dedupe_key != edited.dedupe_key


def test_a_graph_comment_read_back_looks_like_the_webhook_one() -> None:
    node = {
        "id": "901097836652708_903438993085259",
        "message": "Where is my order?",
        "from": {"id": "55500011", "name": "Anna Kowalska"},
        "created_time": "2015-12-03T09:30:03+0000",
        "parent": {"id": f"{PAGE}_901097836652708"},
    }
    from_graph = event_from_graph_node(
        node, Platform.FACEBOOK, PAGE, root_id=f"{PAGE}_901097836652708"
    )
    from_webhook = only_event(page_body(feed(**COMMENT)))

    assert isinstance(from_graph, MetaEvent)
    assert from_graph.kind is EventKind.COMMENT_ADDED
    assert from_graph.post is not None and from_webhook.post is not None
    for key in ("platform_post_id", "text", "created_at", "author_handle", "conversation_id"):
        assert from_graph.post[key] == from_webhook.post[key], key


def test_a_graph_object_without_id_or_time_is_rejected() -> None:
    assert isinstance(event_from_graph_node({"message": "x"}, Platform.FACEBOOK, PAGE), Rejected)


def test_a_message_of_only_control_characters_gets_the_no_text_marker() -> None:
    event = only_event(page_body(feed(**{**COMMENT, "message": "\x00 \n"})))
    assert event.post is not None and event.post["text"] == "[no text]"


def test_a_very_long_display_name_is_cut_to_what_the_pipeline_keeps() -> None:
    event = only_event(page_body(feed(**{**COMMENT, "from": {"id": "5", "name": "n" * 500}})))
    assert event.post is not None
    assert parse_payload(event.post).author_name == "n" * 200
