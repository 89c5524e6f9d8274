"""Mastodon notifications, statuses and stream events become events; the rest says why."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import orjson
from hypothesis import given
from hypothesis import strategies as st

from mentiondesk.connectors.inbound import Ignored, InboundEvent, Rejected
from mentiondesk.connectors.mastodon.parser import (
    SSEDecoder,
    parse_notification,
    parse_status,
    parse_stream_event,
    plain_text,
)
from mentiondesk.pipeline.payload import parse_payload

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def status(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "1101",
        "created_at": "2026-03-10T11:59:00.000Z",
        "content": '<p><span class="h-card"><a href="x">@<span>acme</span></a></span> my '
        "order &amp; refund are late<br/>please help</p>",
        "visibility": "public",
        "spoiler_text": "",
        "in_reply_to_id": None,
        "language": "en",
        "url": "https://fake.social/@jane/1101",
        "account": {
            "id": "42",
            "acct": "jane@other.social",
            "display_name": "Jane",
            "followers_count": 7,
        },
    }
    return base | changes


def test_a_mention_notification_is_an_event_addressed_to_the_brand() -> None:
    result = parse_notification({"id": "9", "type": "mention", "status": status()})
    assert isinstance(result, InboundEvent) and result.kind == "mention"
    assert result.cursor == "9" and result.dedupe_key == "status:1101"
    post = parse_payload(result.post).to_inbound()
    assert post.text == "@acme my order & refund are late\nplease help"
    assert post.to_brand and post.author.handle == "jane@other.social"
    assert post.author.followers == 7 and post.language_hint == "en"


def test_a_private_mention_is_a_direct_message() -> None:
    result = parse_notification(
        {"id": "9", "type": "mention", "status": status(visibility="direct")}
    )
    assert isinstance(result, InboundEvent) and result.kind == "dm"
    assert result.post is not None and result.post["kind"] == "dm"
    assert result.post["conversation_id"] == "dm:jane@other.social"


def test_a_reply_threads_under_its_parent_and_the_brands_own_status_is_ours() -> None:
    reply = parse_status(status(in_reply_to_id="1000"), brand_account_id="1")
    assert isinstance(reply, InboundEvent) and reply.post is not None
    assert reply.post["kind"] == "comment" and reply.post["in_reply_to"] == "1000"
    ours = parse_status(status(account={"id": "1", "acct": "acme"}), brand_account_id="1")
    assert isinstance(ours, InboundEvent) and ours.ours


def test_favourites_and_follows_are_ignored_and_unknown_types_rejected() -> None:
    assert isinstance(parse_notification({"id": "1", "type": "favourite"}), Ignored)
    assert isinstance(parse_notification({"id": "1", "type": "follow"}), Ignored)
    odd = parse_notification({"id": "1", "type": "telepathy"})
    assert isinstance(odd, Rejected) and "telepathy" in odd.reason
    assert isinstance(parse_notification({"id": "1", "type": "mention"}), Rejected)


def test_a_content_warning_is_kept_in_front_of_the_text() -> None:
    result = parse_status(status(spoiler_text="rant"))
    assert isinstance(result, InboundEvent) and result.post is not None
    assert result.post["text"].startswith("[CW: rant]\n@acme")


def test_stream_events_update_delete_edit_and_the_double_encoded_notification() -> None:
    update = parse_stream_event("update", orjson.dumps(status()).decode(), now=NOW)
    assert isinstance(update, InboundEvent) and update.kind == "post"
    deleted = parse_stream_event("delete", "1101", now=NOW)
    assert isinstance(deleted, InboundEvent) and deleted.kind == "deleted"
    assert deleted.post is None and deleted.platform_post_id == "1101"
    edit = parse_stream_event(
        "status.update", orjson.dumps(status(edited_at="2026-03-10T12:01:00Z")).decode(), now=NOW
    )
    assert isinstance(edit, InboundEvent) and edit.kind == "edited"
    assert edit.dedupe_key != update.dedupe_key
    note = orjson.dumps({"id": "5", "type": "mention", "status": status()}).decode()
    assert isinstance(parse_stream_event("notification", note, now=NOW), InboundEvent)
    assert isinstance(parse_stream_event("filters_changed", "", now=NOW), Ignored)
    broken = parse_stream_event("update", "{not json", now=NOW)
    assert isinstance(broken, Rejected) and "not JSON" in broken.reason


def test_the_sse_decoder_reassembles_events_across_chunks_and_skips_heartbeats() -> None:
    wire = ':thump\n\nevent: update\ndata: {"a":1}\n\nevent: delete\r\ndata: 77\r\n\r\n'
    decoder = SSEDecoder()
    events = [pair for i in range(0, len(wire), 5) for pair in decoder.feed(wire[i : i + 5])]
    assert events == [("update", '{"a":1}'), ("delete", "77")]


def test_html_is_reduced_to_text() -> None:
    assert plain_text("<p>one</p><p>two &lt;3</p>") == "one\ntwo <3"


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=20,
    )
)
def test_the_parsers_never_raise_on_arbitrary_json(value: Any) -> None:
    parse_notification(value)
    parse_status(value)
    parse_notification({"id": "1", "type": "mention", "status": value})
    parse_stream_event("update", json.dumps(value), now=NOW)
