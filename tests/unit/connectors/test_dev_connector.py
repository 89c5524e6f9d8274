"""The development connector records exactly what would have been sent, once per key."""

from __future__ import annotations

from mentiondesk.connectors.base import OutgoingReply
from mentiondesk.connectors.dev import DevConnector
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import ReplyVisibility


def outgoing(key: str, text: str = "Hi Anna, we are on it.") -> OutgoingReply:
    return OutgoingReply(
        platform=Platform.X,
        workspace_slug="acme",
        text=text,
        visibility=ReplyVisibility.PUBLIC,
        in_reply_to="x-1",
        recipient_handle="anna_k",
        idempotency_key=key,
    )


def test_it_records_what_was_sent_and_returns_a_platform_id() -> None:
    connector = DevConnector(Platform.X)

    delivered = connector.send(outgoing("k1"))

    assert connector.sent == [outgoing("k1")]
    assert delivered.platform_reply_id == "dev-x-1"


def test_sending_twice_with_one_key_sends_once_and_returns_the_same_id() -> None:
    connector = DevConnector(Platform.X)

    first = connector.send(outgoing("k1"))
    second = connector.send(outgoing("k1", text="a retried copy"))

    assert first == second
    assert [r.text for r in connector.sent] == ["Hi Anna, we are on it."]


def test_each_new_key_gets_its_own_platform_id() -> None:
    connector = DevConnector(Platform.X)

    ids = {connector.send(outgoing(f"k{i}")).platform_reply_id for i in range(3)}

    assert len(ids) == 3
