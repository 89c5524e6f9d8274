"""The inbound post shape: what a channel may send, and how a refusal names the culprit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.posts import Platform, PostKind
from mentiondesk.pipeline.payload import MAX_TEXT_CHARS, parse_payload
from tests.factories import raw_post


def refusal(raw: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        parse_payload(raw)
    return refused.value


class TestAcceptedPosts:
    def test_a_complete_post_becomes_an_inbound_post(self) -> None:
        post = parse_payload(
            raw_post(
                platform="instagram",
                platform_post_id="ig-1",
                text="Ciao @acme.pl",
                created_at="2026-03-10T10:00:00+01:00",
                author_handle="giulia",
                author_name="Giulia Rossi",
                author_followers=5,
                conversation_id="c-1",
                lang="IT",
                country="it",
            )
        ).to_inbound()

        assert post.platform is Platform.INSTAGRAM
        assert post.platform_post_id == "ig-1"
        assert post.text == "Ciao @acme.pl"
        assert post.author.handle == "giulia"
        assert post.author.name == "Giulia Rossi"
        assert post.author.followers == 5
        assert post.thread_key == "c-1"
        assert post.language_hint == "it"
        assert post.country == "IT"

    def test_timestamps_are_converted_to_utc(self) -> None:
        post = parse_payload(raw_post(created_at="2026-03-10T10:00:00+01:00")).to_inbound()

        assert post.created_at == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
        assert post.created_at.utcoffset() is not None
        assert post.created_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]

    def test_control_characters_are_stripped_but_line_breaks_and_tabs_kept(self) -> None:
        post = parse_payload(raw_post(text="  hi\x00 @acme\x07\r\nline two\tend\x1b ")).to_inbound()

        assert post.text == "hi @acme\nline two\tend"

    @pytest.mark.parametrize(
        "field", ["author_name", "author_handle", "platform_post_id", "conversation_id"]
    )
    def test_control_characters_are_stripped_from_names_and_ids_too(self, field: str) -> None:
        payload = parse_payload(raw_post(**{field: "ab\x00c\x1b"}))

        assert getattr(payload, field) == "abc"

    def test_text_is_stored_in_composed_unicode_form(self) -> None:
        post = parse_payload(raw_post(text="zaz\u0301o\u0301\u0142c\u0301")).to_inbound()

        assert post.text == "zaźółć"

    def test_a_direct_message_counts_as_addressed_to_the_brand(self) -> None:
        post = parse_payload(raw_post(kind="dm", text="where is my order?")).to_inbound()

        assert post.kind is PostKind.DM
        assert post.to_brand

    def test_a_public_post_is_not_addressed_to_the_brand_unless_the_channel_says_so(self) -> None:
        assert not parse_payload(raw_post(kind="post")).to_inbound().to_brand
        assert parse_payload(raw_post(kind="comment", to_brand=True)).to_inbound().to_brand

    def test_blank_optional_fields_count_as_absent(self) -> None:
        post = parse_payload(
            raw_post(platform_post_id="x-77", conversation_id="  ", in_reply_to="", lang=" ")
        ).to_inbound()

        assert post.conversation_id is None
        assert post.in_reply_to is None
        assert post.language_hint is None
        assert post.thread_key == "x-77"

    def test_optional_fields_may_be_left_out(self) -> None:
        post = parse_payload(
            raw_post(author_name=None, author_followers=None, lang=None)
        ).to_inbound()

        assert post.author.name == ""
        assert post.author.followers is None
        assert post.kind is PostKind.POST

    def test_channel_specific_extras_travel_in_meta(self) -> None:
        payload = parse_payload(raw_post(meta={"likes": 3}))

        assert payload.meta == {"likes": 3}


class TestRefusedPosts:
    def test_missing_text_is_refused_naming_the_field(self) -> None:
        error = refusal(raw_post(text=None))

        assert error.field == "text"
        assert error.reason == "is required"

    @pytest.mark.parametrize("text", ["", "   ", "\n\t ", "\x00\x07"])
    def test_blank_text_is_refused(self, text: str) -> None:
        assert refusal(raw_post(text=text)).field == "text"

    def test_too_long_text_is_refused(self) -> None:
        error = refusal(raw_post(text="a" * (MAX_TEXT_CHARS + 1)))

        assert error.field == "text"
        assert str(MAX_TEXT_CHARS) in error.reason

    def test_text_at_the_limit_is_accepted(self) -> None:
        assert len(parse_payload(raw_post(text="a" * MAX_TEXT_CHARS)).text) == MAX_TEXT_CHARS

    def test_a_timestamp_without_a_time_zone_is_refused_with_an_example(self) -> None:
        error = refusal(raw_post(created_at="2026-03-10T08:00:00"))

        assert error.field == "created_at"
        assert "time zone" in error.reason
        assert "+01:00" in error.reason

    @pytest.mark.parametrize("created_at", ["yesterday", "2026-13-40T25:00:00+00:00", ""])
    def test_a_timestamp_that_is_not_a_date_is_refused(self, created_at: str) -> None:
        assert refusal(raw_post(created_at=created_at)).field == "created_at"

    def test_a_missing_timestamp_is_refused(self) -> None:
        error = refusal(raw_post(created_at=None))

        assert (error.field, error.reason) == ("created_at", "is required")

    def test_an_unknown_platform_is_refused(self) -> None:
        error = refusal(raw_post(platform="myspace"))

        assert error.field == "platform"
        assert "facebook" in error.reason

    def test_an_unknown_kind_is_refused(self) -> None:
        assert refusal(raw_post(kind="story")).field == "kind"

    def test_an_unknown_key_is_refused_rather_than_dropped(self) -> None:
        error = refusal(raw_post(retweets=4))

        assert error.field == "retweets"
        assert error.reason == "is not a known field"

    def test_a_negative_follower_count_is_refused(self) -> None:
        error = refusal(raw_post(author_followers=-1))

        assert error.field == "author_followers"
        assert "0" in error.reason

    @pytest.mark.parametrize("field", ["platform_post_id", "author_handle"])
    def test_an_identifier_cannot_be_blank(self, field: str) -> None:
        assert refusal(raw_post(**{field: "  "})).field == field

    def test_an_oversized_identifier_is_refused(self) -> None:
        assert refusal(raw_post(platform_post_id="9" * 201)).field == "platform_post_id"

    def test_a_name_made_only_of_control_characters_is_refused(self) -> None:
        assert refusal(raw_post(author_name="\x00\x07")).field == "author_name"

    @pytest.mark.parametrize("raw", [["a", "list"], "a string", None, 42])
    def test_a_payload_that_is_not_an_object_is_refused_as_a_whole(self, raw: Any) -> None:
        error = refusal(raw)

        assert error.field == "body"
        assert "JSON object" in error.reason
