"""Whatever Meta (or anyone else) sends, the parser answers with results, never an exception."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentiondesk.connectors.meta.events import Ignored, MetaEvent, Rejected
from mentiondesk.connectors.meta.parser import parse_webhook
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.pipeline.payload import parse_payload

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
)
ANY_JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=30,
)

# Values Meta's keys really take, plus junk, so the search reaches deep into each branch.
IDS = st.one_of(
    st.sampled_from(["1", "42", "1_2", "", "\x01", " "]), st.integers(-5, 2**40), SCALARS
)
TIMES = st.one_of(
    st.integers(0, 2**45), st.sampled_from(["2026-09-10T10:00:00+0000", "2026-09-10", "x"]), SCALARS
)
TEXTS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["\x00", " \n", "\u200b", "ä" * 300, "x" * 20_001]),
    SCALARS,
)
KEYS = {
    "item": st.sampled_from(["comment", "post", "status", "photo", "reaction", "like", "x"])
    | SCALARS,
    "verb": st.sampled_from(["add", "edited", "edit", "remove", "hide", "unhide", "mute"])
    | SCALARS,
    "comment_id": IDS,
    "post_id": IDS,
    "parent_id": IDS,
    "id": IDS,
    "from": st.fixed_dictionaries({}, optional={"id": IDS, "name": TEXTS, "username": TEXTS})
    | SCALARS,
    "sender_id": IDS,
    "created_time": TIMES,
    "timestamp": TIMES,
    "message": TEXTS,
    "text": TEXTS,
    "photo": TEXTS,
    "media": st.fixed_dictionaries({}, optional={"id": IDS}) | SCALARS,
    "media_id": IDS,
}
VALUES = st.fixed_dictionaries({}, optional=KEYS)
MESSAGE = st.fixed_dictionaries(
    {},
    optional={
        "mid": TEXTS,
        "text": TEXTS,
        "is_echo": st.booleans() | SCALARS,
        "is_deleted": st.booleans(),
        "is_unsupported": st.booleans(),
        "app_id": IDS,
        "attachments": st.lists(
            st.fixed_dictionaries({}, optional={"type": TEXTS}) | SCALARS, max_size=3
        )
        | SCALARS,
        "reply_to": st.fixed_dictionaries({}, optional={"mid": TEXTS}) | SCALARS,
    },
)
MESSAGING = st.fixed_dictionaries(
    {},
    optional={
        "sender": st.fixed_dictionaries({}, optional={"id": IDS}) | SCALARS,
        "recipient": st.fixed_dictionaries({}, optional={"id": IDS}) | SCALARS,
        "timestamp": TIMES,
        "message": MESSAGE | SCALARS,
        "message_edit": st.fixed_dictionaries(
            {}, optional={"mid": TEXTS, "text": TEXTS, "num_edit": IDS}
        ),
        "read": ANY_JSON,
    },
)
CHANGE = st.fixed_dictionaries(
    {},
    optional={
        "field": st.sampled_from(["feed", "mention", "comments", "live_comments", "mentions", "x"])
        | SCALARS,
        "value": VALUES | SCALARS,
    },
)
ENTRY = st.fixed_dictionaries(
    {},
    optional={
        "id": IDS,
        "time": TIMES,
        "changes": st.lists(CHANGE, max_size=3) | SCALARS,
        "messaging": st.lists(MESSAGING | SCALARS, max_size=3) | SCALARS,
        "standby": ANY_JSON,
    },
)
META_SHAPED = st.fixed_dictionaries(
    {
        "object": st.sampled_from(["page", "instagram", "user"]) | SCALARS,
        "entry": st.lists(ENTRY | SCALARS, max_size=3) | SCALARS,
    }
)
RESULT_TYPES = (MetaEvent, Ignored, Rejected)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_JSON)
def test_arbitrary_json_never_raises(body: Any) -> None:
    results = parse_webhook(body)
    assert all(isinstance(r, RESULT_TYPES) for r in results)


@settings(max_examples=200)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_raise(body: bytes) -> None:
    assert all(isinstance(r, RESULT_TYPES) for r in parse_webhook(body))


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(META_SHAPED)
def test_meta_shaped_junk_never_raises_and_the_pipeline_takes_or_names_each_post(
    body: dict[str, Any],
) -> None:
    """A post the parser builds from junk may still be refused downstream (an id made of
    control characters), but only ever as ``InvalidInput`` naming the field."""
    results = parse_webhook(json.dumps(body).encode())
    for result in results:
        assert isinstance(result, RESULT_TYPES)
        if isinstance(result, MetaEvent) and result.post is not None:
            try:
                parse_payload(result.post)
            except InvalidInput as exc:
                assert exc.field in {
                    "platform_post_id",
                    "author_handle",
                    "text",
                    "in_reply_to",
                    "conversation_id",
                }, exc
