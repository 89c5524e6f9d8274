"""Property: the inbound boundary answers every input with a post or a named refusal, and
whatever is refused can be stored as text by any database."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mentiondesk.domain.errors import InvalidInput
from mentiondesk.pipeline.payload import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    MAX_FOLLOWERS,
    loads_json,
    parse_payload,
    storable,
)

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
POSTS = st.fixed_dictionaries(
    {
        "platform": st.sampled_from(["x", "facebook", "myspace", ""]),
        "platform_post_id": st.text(max_size=12),
        "text": st.text(max_size=40),
        "created_at": st.datetimes().map(lambda d: d.isoformat() + "+01:00") | st.text(max_size=8),
        "author_handle": st.text(max_size=12),
    },
    optional={"author_followers": st.integers(), "meta": VALUES, "lang": st.text(max_size=4)},
)


@settings(max_examples=300, derandomize=True)
@given(st.binary(max_size=200))
def test_any_bytes_parse_or_are_refused_with_a_reason(body: bytes) -> None:
    try:
        loads_json(body)
    except InvalidInput as exc:
        assert exc.field == "body" and exc.reason


@settings(max_examples=300, derandomize=True)
@given(POSTS | VALUES)
def test_any_value_is_a_post_within_bounds_or_a_named_refusal(raw: Any) -> None:
    try:
        payload = parse_payload(raw)
    except InvalidInput as exc:
        assert exc.field and exc.reason
        return
    assert EARLIEST_YEAR <= payload.created_at.year <= LATEST_YEAR
    assert payload.author_followers is None or 0 <= payload.author_followers <= MAX_FOLLOWERS
    for text in (payload.text, payload.platform_post_id, payload.author_handle):
        text.encode("utf-8")  # no lone surrogate is left to break the database


@settings(max_examples=300, derandomize=True)
@given(st.binary() | st.text() | VALUES)
def test_anything_refused_can_be_stored_as_text_and_hashes_the_same_twice(raw: Any) -> None:
    text, digest = storable(raw)
    text.encode("utf-8")
    assert "\x00" not in text
    assert storable(raw) == (text, digest) and len(digest) == 64
