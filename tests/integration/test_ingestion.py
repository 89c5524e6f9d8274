"""Ingestion: each post is stored once, and lands in the right case (or in none)."""

from __future__ import annotations

import json

from mentiondesk.domain import events
from mentiondesk.domain.cases import CaseStatus
from mentiondesk.domain.inbox import InboxSort
from mentiondesk.pipeline.runner import ImportStats
from tests.conftest import START, ServicesFactory
from tests.factories import Desk, ScriptedTriager, build_desk, minutes_before, raw_post


def post_count(desk: Desk) -> int:
    with desk.services.uow() as uow:
        return uow.posts.count(desk.workspace.id)


def thread_texts(desk: Desk, case_id: int) -> list[str]:
    thread = desk.view(desk.agent, case_id).thread
    return [entry.post.inbound.text for entry in thread if entry.post is not None]


class TestNewPosts:
    def test_a_post_naming_the_brand_is_stored_and_opens_a_new_case(self, desk: Desk) -> None:
        result = desk.ingest(text="@acme my parcel never came", author_handle="anna_k")

        assert result.status == "created"
        assert result.case_id is not None
        view = desk.view(desk.agent, result.case_id)
        assert view.case.status is CaseStatus.NEW
        assert view.author.handle == "anna_k"
        assert thread_texts(desk, result.case_id) == ["@acme my parcel never came"]
        assert [row.case_id for row in desk.inbox(desk.agent).rows] == [result.case_id]

    def test_a_case_opens_when_the_customer_wrote_not_when_the_post_arrived(
        self, desk: Desk
    ) -> None:
        case_id = desk.ingest_case(created_at=minutes_before(START, 90))

        assert desk.case(case_id).opened_at == START.replace(hour=7, minute=30)

    def test_a_direct_message_opens_a_case_without_naming_the_brand(self, desk: Desk) -> None:
        result = desk.ingest(kind="dm", text="hello, where is my refund?")

        assert result.case_id is not None
        assert desk.inbox(desk.agent).rows[0].tagged

    def test_a_post_that_does_not_concern_the_brand_is_stored_without_a_case(
        self, desk: Desk
    ) -> None:
        result = desk.ingest(text="lovely weather in Kraków today")

        assert result.status == "created"
        assert result.case_id is None
        assert post_count(desk) == 1
        with desk.services.uow() as uow:
            stored = uow.posts.get(desk.workspace.id, result.post_id or 0)
        assert stored is not None and stored.case_id is None
        assert desk.inbox(desk.agent).total == 0

    def test_opening_a_case_is_announced_after_it_is_stored(self, desk: Desk) -> None:
        result = desk.ingest()

        published = desk.services.published
        assert (
            events.CaseOpened(
                result.case_id, desk.workspace.id, result.post_id, START.replace(hour=8)
            )
            in published
        )  # type: ignore[arg-type]
        assert any(
            isinstance(e, events.PostReceived) and e.post_id == result.post_id for e in published
        )

    def test_a_returning_author_keeps_one_identity_with_refreshed_details(self, desk: Desk) -> None:
        first = desk.ingest_case(author_followers=120, conversation_id="c1")
        second = desk.ingest_case(author_followers=450, author_name="Anna K.", conversation_id="c2")

        first_author = desk.view(desk.agent, first).author
        second_author = desk.view(desk.agent, second).author
        assert first_author.id == second_author.id
        assert (second_author.followers, second_author.name) == (450, "Anna K.")


class TestRedelivery:
    def test_the_same_post_delivered_twice_is_stored_once_in_one_case(self, desk: Desk) -> None:
        raw = raw_post(platform_post_id="x-500")

        first = desk.services.pipeline.ingest(desk.workspace, raw, source="test")
        second = desk.services.pipeline.ingest(desk.workspace, dict(raw), source="test")

        assert (first.status, second.status) == ("created", "duplicate")
        assert (second.post_id, second.case_id) == (first.post_id, first.case_id)
        assert post_count(desk) == 1
        assert desk.inbox(desk.agent).total == 1

    def test_a_redelivered_post_does_not_reopen_its_resolved_case(self, desk: Desk) -> None:
        raw = raw_post(platform_post_id="x-501")
        case_id = desk.ingest_case(**raw)
        desk.resolve(desk.agent, case_id)

        again = desk.services.pipeline.ingest(desk.workspace, raw, source="test")

        assert again.status == "duplicate"
        assert desk.case(case_id).status is CaseStatus.RESOLVED

    def test_the_same_post_id_on_another_platform_is_another_post(self, desk: Desk) -> None:
        on_x = desk.ingest(platform="x", platform_post_id="12345")
        on_instagram = desk.ingest(
            platform="instagram", platform_post_id="12345", text="@acme.pl help"
        )

        assert on_instagram.status == "created"
        assert on_instagram.post_id != on_x.post_id
        assert post_count(desk) == 2


class TestConversations:
    def test_a_follow_up_in_the_same_conversation_joins_the_authors_case(self, desk: Desk) -> None:
        first = desk.ingest_case(
            conversation_id="conv-1",
            text="@acme my parcel is late",
            created_at=minutes_before(START, 60),
        )

        follow_up = desk.ingest(
            conversation_id="conv-1",
            text="@acme still nothing, order 4411",
            created_at=minutes_before(START, 30),
        )

        assert follow_up.case_id == first
        assert thread_texts(desk, first) == [
            "@acme my parcel is late",
            "@acme still nothing, order 4411",
        ]
        assert desk.inbox(desk.agent).total == 1
        assert desk.case(first).last_activity_at == START.replace(hour=8, minute=30)

    def test_a_reply_to_the_first_post_joins_its_case(self, desk: Desk) -> None:
        first = desk.ingest_case(platform_post_id="x-900")

        follow_up = desk.ingest(in_reply_to="x-900", text="@acme any news?")

        assert follow_up.case_id == first

    def test_a_follow_up_reopens_a_resolved_case(self, desk: Desk) -> None:
        case_id = desk.ingest_case(conversation_id="conv-2")
        desk.reply(desk.agent, case_id)
        desk.resolve(desk.agent, case_id)

        desk.ingest(conversation_id="conv-2", text="@acme it broke again")

        case = desk.case(case_id)
        assert case.status is CaseStatus.OPEN
        assert case.resolved_at is None
        assert case.first_response_at is not None
        assert [r.case_id for r in desk.inbox(desk.agent).rows] == [case_id]

    def test_a_follow_up_wakes_a_case_waiting_for_the_customer(self, desk: Desk) -> None:
        case_id = desk.ingest_case(conversation_id="conv-3")
        desk.reply(desk.agent, case_id)

        desk.ingest(conversation_id="conv-3", text="@acme thanks, but it still fails")

        assert desk.case(case_id).status is CaseStatus.OPEN

    def test_another_author_in_the_same_conversation_gets_a_case_of_their_own(
        self, desk: Desk
    ) -> None:
        anna = desk.ingest_case(conversation_id="conv-4", author_handle="anna_k")

        marco = desk.ingest(
            conversation_id="conv-4",
            author_handle="marco_b",
            author_name="Marco Bianchi",
            text="@acme same problem here",
        )

        assert marco.case_id is not None and marco.case_id != anna
        assert thread_texts(desk, anna) == [raw_post()["text"]]
        rows = desk.inbox(desk.agent, sort=InboxSort.OLDEST).rows
        assert [r.author_handle for r in rows] == ["anna_k", "marco_b"]

    def test_the_same_author_in_another_conversation_after_the_follow_up_window_gets_a_new_case(
        self, desk: Desk
    ) -> None:
        first = desk.ingest_case(conversation_id="conv-5", created_at="2026-03-10T08:00:00+00:00")

        second = desk.ingest_case(conversation_id="conv-6", created_at="2026-03-12T08:00:00+00:00")

        assert second != first

    def test_a_follow_up_that_does_not_repeat_the_brand_still_joins_the_case(
        self, desk: Desk
    ) -> None:
        case_id = desk.ingest_case(conversation_id="conv-7", text="@acme my parcel is late")
        desk.reply(desk.agent, case_id)
        desk.resolve(desk.agent, case_id)

        follow_up = desk.ingest(conversation_id="conv-7", text="still waiting, nothing came")

        assert follow_up.case_id == case_id
        assert desk.case(case_id).status is CaseStatus.OPEN


class TestPriority:
    def test_a_follow_up_does_not_lower_the_priority_of_a_new_case(
        self, make_services: ServicesFactory
    ) -> None:
        triager = ScriptedTriager({"x-urgent": {"priority": 90}, "x-calm": {"priority": 10}})
        desk = build_desk(make_services(triager=triager))
        case_id = desk.ingest_case(platform_post_id="x-urgent", conversation_id="c1")
        assert desk.case(case_id).status is CaseStatus.NEW

        desk.ingest(platform_post_id="x-calm", conversation_id="c1", text="@acme hello?")

        assert desk.case(case_id).priority == 90

    def test_a_more_urgent_follow_up_raises_the_priority(
        self, make_services: ServicesFactory
    ) -> None:
        triager = ScriptedTriager({"x-calm": {"priority": 10}, "x-urgent": {"priority": 90}})
        desk = build_desk(make_services(triager=triager))
        case_id = desk.ingest_case(platform_post_id="x-calm", conversation_id="c1")

        desk.ingest(platform_post_id="x-urgent", conversation_id="c1", text="@acme NOW please")

        assert desk.case(case_id).priority == 90


class TestRejectedInput:
    def test_a_malformed_post_is_kept_with_the_field_and_the_reason(self, desk: Desk) -> None:
        raw = raw_post(created_at="2026-03-10T08:00:00", platform_post_id="x-bad")

        result = desk.services.pipeline.ingest(desk.workspace, raw, source="import:march.jsonl")

        assert result.status == "rejected"
        assert result.field == "created_at"
        with desk.services.uow() as uow:
            [kept] = uow.rejected.list(desk.workspace.id)
        assert kept.id == result.rejected_id
        assert kept.field == "created_at"
        assert "time zone" in kept.reason
        assert kept.source == "import:march.jsonl"
        assert kept.received_at == START
        assert json.loads(kept.payload) == raw
        assert post_count(desk) == 0

    def test_a_batch_goes_on_past_a_malformed_post(self, desk: Desk) -> None:
        batch = [
            raw_post(text="@acme first"),
            raw_post(text="@acme second", author_followers=-5),
            raw_post(text="@acme third", author_handle="marco_b"),
        ]

        results = list(desk.services.pipeline.ingest_many(desk.workspace, batch, source="batch"))

        assert [r.status for r in results] == ["created", "rejected", "created"]
        assert results[1].field == "author_followers"
        stats = ImportStats()
        for r in results:
            stats.add(r)
        assert (stats.created, stats.duplicate, stats.rejected) == (2, 0, 1)
        assert post_count(desk) == 2
        with desk.services.uow() as uow:
            assert [r.field for r in uow.rejected.list(desk.workspace.id)] == ["author_followers"]

    def test_a_nul_character_in_a_name_is_cleaned_and_never_stops_a_batch(self, desk: Desk) -> None:
        batch = [raw_post(author_name="Anna\x00 K"), raw_post(author_handle="marco_b")]

        results = list(desk.services.pipeline.ingest_many(desk.workspace, batch, source="batch"))

        assert [r.status for r in results] == ["created", "created"]
        assert desk.view(desk.agent, results[0].case_id or 0).author.name == "Anna K"

    def test_a_payload_that_is_not_json_text_is_kept_as_received(self, desk: Desk) -> None:
        result = desk.services.pipeline.reject(
            desk.workspace, "{not json", source="webhook", field="body", reason="is not JSON"
        )

        with desk.services.uow() as uow:
            [kept] = uow.rejected.list(desk.workspace.id)
        assert kept.id == result.rejected_id
        assert kept.payload == "{not json"
