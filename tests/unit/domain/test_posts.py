"""Posts: which conversation they belong to, and whether they were addressed to the brand."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from mentiondesk.domain.posts import (
    AuthorRef,
    InboundPost,
    Mention,
    MentionKind,
    Platform,
    Post,
)

AT = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


def inbound(**fields: Any) -> InboundPost:
    values: dict[str, Any] = {
        "platform": Platform.X,
        "platform_post_id": "x-2",
        "text": "hello @acme",
        "created_at": AT,
        "author": AuthorRef(Platform.X, "anna_k", "Anna Kowalska"),
    }
    values.update(fields)
    return InboundPost(**values)


def mention(kind: MentionKind) -> Mention:
    return Mention(kind, "@acme", 6, 11, "@acme")


class TestThreadKey:
    def test_a_post_in_a_conversation_belongs_to_that_conversation(self) -> None:
        post = inbound(conversation_id="conv-1", in_reply_to="x-1")

        assert post.thread_key == "conv-1"

    def test_a_reply_without_a_conversation_belongs_to_the_post_it_answers(self) -> None:
        assert inbound(in_reply_to="x-1").thread_key == "x-1"

    def test_a_top_level_post_starts_its_own_thread(self) -> None:
        assert inbound().thread_key == "x-2"


class TestTagged:
    def test_a_direct_mention_tags_the_brand(self) -> None:
        post = Post(1, 1, inbound(), 1, AT, mentions=(mention(MentionKind.DIRECT),))

        assert post.tagged

    @pytest.mark.parametrize("kind", [MentionKind.INDIRECT, MentionKind.FUZZY, MentionKind.QUERY])
    def test_naming_the_brand_without_the_tag_is_not_tagging_it(self, kind: MentionKind) -> None:
        post = Post(1, 1, inbound(), 1, AT, mentions=(mention(kind),))

        assert not post.tagged

    def test_a_post_addressed_to_the_brand_counts_as_tagged(self) -> None:
        post = Post(1, 1, inbound(to_brand=True), 1, AT)

        assert post.tagged


@pytest.mark.parametrize(
    ("name", "first"),
    [("Anna Kowalska", "Anna"), ("  Giulia  Rossi ", "Giulia"), ("", ""), ("   ", "")],
)
def test_an_authors_first_name_is_the_first_word_of_their_name(name: str, first: str) -> None:
    assert AuthorRef(Platform.X, "h", name).first_name == first
