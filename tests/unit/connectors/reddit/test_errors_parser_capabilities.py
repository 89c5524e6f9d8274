"""Reddit's failures (including those inside HTTP 200), listings and rules."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import orjson
from hypothesis import given
from hypothesis import strategies as st

from mentiondesk.connectors.capability import Action
from mentiondesk.connectors.inbound import Ignored, InboundEvent, Rejected
from mentiondesk.connectors.reddit import capabilities
from mentiondesk.connectors.reddit.errors import DEFAULT_WAIT, classify, rate_limit
from mentiondesk.connectors.reddit.parser import parse_thing
from mentiondesk.connectors.refusals import FailureKind
from mentiondesk.pipeline.payload import parse_payload

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def errors(*items: list[str]) -> bytes:
    return orjson.dumps({"json": {"errors": list(items)}})


def test_a_ratelimit_inside_http_200_waits_the_time_written_in_the_message() -> None:
    body = errors(["RATELIMIT", "Take a break for 5 minutes before trying again.", "ratelimit"])
    failure = classify(200, {}, body, NOW)
    assert failure is not None and failure.kind is FailureKind.RATE_LIMITED
    assert failure.retry_after == 300 and failure.code == "RATELIMIT"
    seconds = classify(200, {}, errors(["RATELIMIT", "try again in 9 seconds.", "x"]), NOW)
    assert seconds is not None and seconds.retry_after == 9


def test_429_waits_for_the_window_reset_header() -> None:
    failure = classify(429, {"x-ratelimit-reset": "37"}, b"<html>", NOW)
    assert failure is not None and failure.retry_after == 37
    assert classify(429, {}, b"", NOW).retry_after == DEFAULT_WAIT  # type: ignore[union-attr]
    limits = rate_limit(
        {"X-Ratelimit-Used": "12", "X-Ratelimit-Remaining": "988.0", "X-Ratelimit-Reset": "412"}
    )
    assert (limits.used, limits.remaining, limits.reset_seconds) == (12, 988, 412)


def test_a_wrong_password_in_http_200_and_refusals_are_classified() -> None:
    grant = classify(200, {}, b'{"error": "invalid_grant"}', NOW)
    assert grant is not None and grant.kind is FailureKind.TOKEN_INVALID
    locked = classify(200, {}, errors(["THREAD_LOCKED", "locked", "parent"]), NOW)
    assert locked is not None and locked.kind is FailureKind.FORBIDDEN
    gone = classify(200, {}, errors(["DELETED_COMMENT", "gone", "parent"]), NOW)
    assert gone is not None and gone.kind is FailureKind.NOT_FOUND
    assert classify(200, {}, b'{"json": {"errors": [], "data": {}}}', NOW) is None
    assert classify(200, {}, b'{"kind": "Listing"}', NOW) is None


def thing(kind: str, **data: Any) -> dict[str, Any]:
    base = {
        "name": f"{kind}_abc",
        "author": "jane",
        "created_utc": 1773140000.0,
        "permalink": "/r/acme/comments/xyz/_/abc/",
        "edited": False,
    }
    return {"kind": kind, "data": base | data}


def test_a_comment_mention_threads_under_its_post_and_parent() -> None:
    event = parse_thing(
        thing("t1", body="u/acme_support my order", link_id="t3_xyz", parent_id="t1_par"),
        source="mentions",
    )
    assert isinstance(event, InboundEvent) and event.kind == "mention"
    post = parse_payload(event.post).to_inbound()
    assert post.to_brand and post.conversation_id == "t3_xyz" and post.in_reply_to == "t1_par"
    assert post.url == "https://www.reddit.com/r/acme/comments/xyz/_/abc/"


def test_posts_messages_deletions_and_edits() -> None:
    post = parse_thing(thing("t3", title="Acme broke", selftext="details"), source="listening")
    assert isinstance(post, InboundEvent) and post.post is not None
    assert post.post["text"] == "Acme broke\n\ndetails" and not post.post["to_brand"]
    message = parse_thing(thing("t4", body="private question"), source="inbox")
    assert isinstance(message, InboundEvent) and message.kind == "dm"
    deleted = parse_thing(thing("t1", body="[deleted]", author="[deleted]"), source="listening")
    assert isinstance(deleted, InboundEvent) and deleted.kind == "deleted"
    edited = parse_thing(thing("t1", body="x", edited=1773150000.5), source="listening")
    assert isinstance(edited, InboundEvent) and edited.dedupe_key.endswith(":edited:1773150000.5")
    assert isinstance(parse_thing(thing("t3", title="notice"), source="inbox"), Ignored)
    assert isinstance(parse_thing(thing("t5"), source="listening"), Rejected)


def test_votes_are_never_automated_and_locked_threads_take_no_reply() -> None:
    assert "automated votes" in capabilities.check(Action.LIKE).reason
    assert not capabilities.check(Action.PUBLIC_REPLY, capabilities.ThingState(locked=True))
    assert not capabilities.check(Action.HIDE)
    assert capabilities.check(Action.PUBLIC_REPLY) and capabilities.check(Action.DM)


@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=15,
    )
)
def test_parsing_and_classifying_never_raise(value: Any) -> None:
    parse_thing(value, source="listening")
    parse_thing({"kind": "t1", "data": value}, source="mentions")
    classify(200, {}, json.dumps(value).encode(), NOW)
    classify(200, {}, json.dumps({"json": {"errors": value}}).encode(), NOW)
