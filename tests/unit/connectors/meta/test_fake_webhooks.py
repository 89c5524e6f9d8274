"""The fake's webhook builders produce what the parser reads as the intended events."""

from __future__ import annotations

from datetime import UTC, datetime

from mentiondesk.connectors.meta import fake_webhooks as wh
from mentiondesk.connectors.meta.events import EventKind, MetaEvent
from mentiondesk.connectors.meta.parser import parse_webhook
from mentiondesk.domain.posts import Platform

AT = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
PAGE, IG = "111", "222"


def events(body: dict[str, object]) -> list[MetaEvent]:
    results = parse_webhook(wh.encode(body))
    assert all(isinstance(r, MetaEvent) for r in results), results
    return [r for r in results if isinstance(r, MetaEvent)]


def test_encoded_bodies_are_ascii_with_escaped_unicode() -> None:
    raw = wh.encode({"message": "Zofia Żak"})
    assert raw == b'{"message":"Zofia \\u017bak"}'


def test_every_facebook_builder_reads_back_as_its_event() -> None:
    common = {"post_id": f"{PAGE}_1", "author_id": "9", "author_name": "Bo", "at": AT}
    changes = [
        wh.comment(comment_id="1_2", message="hi", **common),
        wh.comment(comment_id="1_2", message="hi!", verb="edited", **common),
        wh.comment(comment_id="1_2", message=None, verb="remove", **common),
        wh.comment(comment_id="1_2", message="hi", verb="hide", **common),
        wh.visitor_post(
            post_id=f"{PAGE}_3", message="Help", author_id="9", author_name="Bo", at=AT
        ),
        wh.comment(comment_id="1_4", message="@Acme", field="mention", **common),
    ]
    messaging = [
        wh.message(sender="9", recipient=PAGE, mid="m_1", text="hello", at=AT),
        wh.message(sender=PAGE, recipient="9", mid="m_2", text="hi Bo", at=AT, echo=True),
    ]
    body = wh.batch(
        "page", wh.entry(PAGE, AT, changes=changes), wh.entry(PAGE, AT, messaging=messaging)
    )

    kinds = [(e.kind, e.echo) for e in events(body)]

    assert kinds == [
        (EventKind.COMMENT_ADDED, False),
        (EventKind.COMMENT_EDITED, False),
        (EventKind.COMMENT_REMOVED, False),
        (EventKind.COMMENT_HIDDEN, False),
        (EventKind.POST_ADDED, False),
        (EventKind.MENTION, False),
        (EventKind.MESSAGE, False),
        (EventKind.MESSAGE, True),
    ]


def test_every_instagram_builder_reads_back_as_its_event() -> None:
    changes = [
        wh.ig_comment(comment_id="5", media_id="6", text="nice", author_id="9", username="bo"),
        wh.ig_mention(media_id="6", comment_id="7"),
    ]
    messaging = [wh.message(sender="9", recipient=IG, mid="aWdf", text="hey", at=AT)]
    body = wh.batch(
        "instagram", wh.entry(IG, AT, changes=changes), wh.entry(IG, AT, messaging=messaging)
    )

    found = events(body)

    assert [e.kind for e in found] == [
        EventKind.COMMENT_ADDED,
        EventKind.MENTION,
        EventKind.MESSAGE,
    ]
    assert {e.platform for e in found} == {Platform.INSTAGRAM}
