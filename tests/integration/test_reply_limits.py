"""A reply longer than its platform takes is refused before it is recorded, with the limit."""

from __future__ import annotations

import pytest

from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.replies import ReplyVisibility
from tests.factories import Desk


def test_a_public_reply_on_x_takes_280_characters(desk: Desk) -> None:
    case_id = desk.ingest_case()  # a post on X
    with pytest.raises(InvalidInput, match="281 characters; a public reply on x takes at most 280"):
        desk.reply(desk.agent, case_id, "a" * 281)
    assert desk.view(desk.agent, case_id).thread[-1].reply is None  # nothing recorded

    assert desk.reply(desk.agent, case_id, "a" * 280).text == "a" * 280


def test_a_private_message_on_x_may_be_longer(desk: Desk) -> None:
    case_id = desk.ingest_case()
    reply = desk.reply(desk.agent, case_id, "b" * 900, visibility=ReplyVisibility.PRIVATE)
    assert len(reply.text) == 900


def test_mastodon_takes_500(desk: Desk) -> None:
    case_id = desk.ingest_case(platform="mastodon", author_handle="kasia@mastodon.social")
    with pytest.raises(InvalidInput, match="at most 500"):
        desk.reply(desk.agent, case_id, "c" * 501)
