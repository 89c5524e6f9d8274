"""Replying, delivering through a connector, resolving, and what the audit log keeps of it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from mentiondesk.connectors.dev import DevConnector
from mentiondesk.domain.cases import CaseStatus
from mentiondesk.domain.errors import InvalidInput, InvalidTransition
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import DeliveryStatus, ReplyVisibility
from tests.conftest import START, ServicesFactory
from tests.factories import Desk, build_desk, minutes_before


def sent_by(desk: Desk, platform: Platform = Platform.X) -> DevConnector:
    connector = desk.services.connectors[platform]
    assert isinstance(connector, DevConnector)
    return connector


def replies_of(desk: Desk, case_id: int) -> list[str]:
    with desk.services.uow() as uow:
        return [r.text for r in uow.replies.for_case(desk.workspace.id, case_id)]


class TestReplying:
    def test_a_reply_is_recorded_queued_and_the_case_waits_for_the_customer(
        self, desk: Desk
    ) -> None:
        case_id = desk.ingest_case()

        reply = desk.reply(desk.agent, case_id, "  Hi Anna, checking parcel 4411 now.  ")

        assert reply.status is DeliveryStatus.QUEUED
        assert reply.text == "Hi Anna, checking parcel 4411 now."
        assert reply.user_id == desk.agent.id
        with desk.services.uow() as uow:  # the outbox row was written with the reply
            queued = uow.outbox.for_reply(reply.id)
        assert queued is not None and queued.payload["text"] == reply.text
        case = desk.case(case_id)
        assert case.status is CaseStatus.WAITING
        assert case.first_response_at == START

    def test_replying_to_an_unassigned_case_makes_the_replier_its_owner(self, desk: Desk) -> None:
        case_id = desk.ingest_case()

        desk.reply(desk.colleague, case_id)

        assert desk.case(case_id).assignee_id == desk.colleague.id

    def test_replying_does_not_take_a_case_away_from_its_assignee(self, desk: Desk) -> None:
        case_id = desk.ingest_case()
        desk.assign(desk.owner, case_id, desk.agent)

        desk.reply(desk.colleague, case_id)

        assert desk.case(case_id).assignee_id == desk.agent.id

    def test_the_first_response_time_is_kept_when_the_conversation_goes_on(
        self, desk: Desk
    ) -> None:
        case_id = desk.ingest_case(conversation_id="c1")
        desk.reply(desk.agent, case_id)
        desk.services.clock.set(START + timedelta(hours=1))  # type: ignore[attr-defined]
        desk.ingest(conversation_id="c1", text="@acme still broken")

        desk.reply(desk.agent, case_id, "Sending a replacement today.")

        case = desk.case(case_id)
        assert case.first_response_at == START
        assert case.status is CaseStatus.WAITING
        assert case.last_activity_at == START + timedelta(hours=1)

    @pytest.mark.parametrize("text", ["", "   \n "])
    def test_an_empty_reply_is_refused_and_nothing_changes(self, desk: Desk, text: str) -> None:
        case_id = desk.ingest_case()

        with pytest.raises(InvalidInput) as refused:
            desk.reply(desk.agent, case_id, text)

        assert refused.value.field == "text"
        assert replies_of(desk, case_id) == []
        assert desk.case(case_id).status is CaseStatus.NEW

    def test_a_reply_over_the_length_limit_is_refused(self, desk: Desk) -> None:
        case_id = desk.ingest_case()

        with pytest.raises(InvalidInput) as refused:
            desk.reply(desk.agent, case_id, "x" * 10_001)

        assert refused.value.field == "text"

    @pytest.mark.parametrize("key", ["", "k" * 101])
    def test_a_reply_needs_an_idempotency_key_of_at_most_100_characters(
        self, desk: Desk, key: str
    ) -> None:
        case_id = desk.ingest_case()

        with pytest.raises(InvalidInput) as refused:
            desk.reply(desk.agent, case_id, key=key)

        assert refused.value.field == "idempotency_key"
        assert replies_of(desk, case_id) == []


class TestDelivery:
    def test_a_reply_is_delivered_under_the_customers_post_to_the_customer(
        self, desk: Desk
    ) -> None:
        case_id = desk.ingest_case(platform_post_id="x-4411", author_handle="anna_k")
        reply = desk.reply(desk.agent, case_id, "Hi Anna, it ships today.")

        delivered = desk.deliver(reply)

        # The development connector delivers nowhere: never shown as sent.
        assert delivered.status is DeliveryStatus.SIMULATED
        assert delivered.platform_reply_id == "dev-x-1"
        [outgoing] = sent_by(desk).sent
        assert outgoing.text == "Hi Anna, it ships today."
        assert outgoing.in_reply_to == "x-4411"
        assert outgoing.recipient_handle == "anna_k"
        assert outgoing.workspace_slug == "acme"
        assert outgoing.visibility is ReplyVisibility.PUBLIC

    def test_a_reply_answers_the_customers_latest_post(self, desk: Desk) -> None:
        case_id = desk.ingest_case(
            platform_post_id="x-1", conversation_id="c1", created_at=minutes_before(START, 30)
        )
        desk.ingest(
            platform_post_id="x-2",
            conversation_id="c1",
            text="@acme hello?",
            created_at=minutes_before(START, 10),
        )

        desk.deliver(desk.reply(desk.agent, case_id))

        assert [r.in_reply_to for r in sent_by(desk).sent] == ["x-2"]

    def test_a_private_reply_is_sent_privately(self, desk: Desk) -> None:
        case_id = desk.ingest_case()

        desk.deliver(desk.reply(desk.agent, case_id, visibility=ReplyVisibility.PRIVATE))

        assert sent_by(desk).sent[0].visibility is ReplyVisibility.PRIVATE

    def test_the_development_outbox_log_holds_what_was_sent(self, desk: Desk) -> None:
        case_id = desk.ingest_case()

        desk.deliver(desk.reply(desk.agent, case_id, "Logged reply", key="log-1"))

        log = desk.services.settings.data_dir / "dev-outbox.jsonl"
        [record] = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        assert record["text"] == "Logged reply"
        assert record["idempotency_key"] == "log-1"
        assert record["platform_reply_id"] == "dev-x-1"

    def test_reusing_an_idempotency_key_does_not_send_twice(self, desk: Desk) -> None:
        case_id = desk.ingest_case()
        first = desk.reply(desk.agent, case_id, "On it!", key="submit-1")
        desk.deliver(first)

        again = desk.reply(desk.agent, case_id, "On it!", key="submit-1")
        desk.deliver(again)

        assert again.id == first.id
        assert replies_of(desk, case_id) == ["On it!"]
        assert len(sent_by(desk).sent) == 1

    def test_delivering_an_already_sent_reply_sends_nothing(self, desk: Desk) -> None:
        case_id = desk.ingest_case()
        reply = desk.reply(desk.agent, case_id)
        desk.deliver(reply)

        again = desk.deliver(reply)

        assert again.status is DeliveryStatus.SIMULATED
        assert len(sent_by(desk).sent) == 1

    def test_an_idempotency_key_cannot_be_reused_for_another_case(self, desk: Desk) -> None:
        first_case = desk.ingest_case(author_handle="anna_k")
        second_case = desk.ingest_case(author_handle="marco_b")
        desk.reply(desk.agent, first_case, key="submit-2")

        with pytest.raises(InvalidInput) as refused:
            desk.reply(desk.agent, second_case, key="submit-2")

        assert refused.value.field == "idempotency_key"
        assert replies_of(desk, second_case) == []

    def test_a_reply_on_a_platform_without_a_connector_is_kept_as_failed_with_the_reason(
        self, make_services: ServicesFactory
    ) -> None:
        only_x = make_services(connectors={Platform.X: DevConnector(Platform.X)})
        desk = build_desk(only_x)
        case_id = desk.ingest_case(platform="instagram", text="@acme.pl help")
        reply = desk.reply(desk.agent, case_id, "Ciao!")

        failed = only_x.outbox.deliver(desk.workspace.id, reply.id)

        assert failed.status is DeliveryStatus.FAILED
        assert failed.failure_reason == "no connector is configured for instagram"
        assert failed.text == "Ciao!"


class TestResolving:
    def test_resolving_records_when_and_how_long_the_case_took(self, desk: Desk) -> None:
        case_id = desk.ingest_case(created_at=minutes_before(START, 120))
        desk.reply(desk.agent, case_id)
        desk.services.clock.set(START + timedelta(minutes=30))  # type: ignore[attr-defined]

        desk.resolve(desk.agent, case_id)

        case = desk.case(case_id)
        assert case.status is CaseStatus.RESOLVED
        assert case.resolved_at == START + timedelta(minutes=30)
        assert case.resolution_seconds == 150 * 60

    def test_a_resolved_case_leaves_the_default_inbox(self, desk: Desk) -> None:
        case_id = desk.ingest_case()

        desk.resolve(desk.agent, case_id)

        resolved = desk.inbox(desk.agent, statuses=(CaseStatus.RESOLVED,))
        assert desk.inbox(desk.agent).total == 0
        assert [r.case_id for r in resolved.rows] == [case_id]

    def test_resolving_twice_is_refused_and_keeps_the_first_resolution(self, desk: Desk) -> None:
        case_id = desk.ingest_case()
        desk.resolve(desk.agent, case_id)
        desk.services.clock.set(START + timedelta(hours=2))  # type: ignore[attr-defined]

        with pytest.raises(InvalidTransition, match="already resolved"):
            desk.resolve(desk.colleague, case_id)

        assert desk.case(case_id).resolved_at == START

    def test_an_agent_can_reopen_a_resolved_case(self, desk: Desk) -> None:
        case_id = desk.ingest_case()
        desk.resolve(desk.agent, case_id)

        desk.reopen(desk.agent, case_id)

        case = desk.case(case_id)
        assert case.status is CaseStatus.OPEN
        assert case.resolved_at is None


class TestAuditTrail:
    def test_assigning_replying_and_resolving_are_audited_with_the_actor(self, desk: Desk) -> None:
        case_id = desk.ingest_case()
        desk.assign(desk.owner, case_id, desk.agent)
        reply = desk.reply(desk.agent, case_id)
        desk.resolve(desk.colleague, case_id)

        with desk.services.uow() as uow:
            entries = uow.audit.list(desk.workspace.id, subject=f"case:{case_id}")

        assert [(e.action, e.actor_user_id) for e in reversed(entries)] == [
            ("case.assign", desk.owner.id),
            ("case.reply", desk.agent.id),
            ("case.resolve", desk.colleague.id),
        ]
        assign, replied, resolved = reversed(entries)
        assert assign.data == {"assignee_id": desk.agent.id}
        assert replied.data["reply_id"] == reply.id
        assert resolved.data["resolution_seconds"] == 3600
        assert all(e.at == START for e in entries)

    def test_a_refused_action_leaves_no_audit_entry(self, desk: Desk) -> None:
        case_id = desk.ingest_case()
        desk.resolve(desk.agent, case_id)

        with pytest.raises(InvalidTransition):
            desk.resolve(desk.agent, case_id)

        with desk.services.uow() as uow:
            actions = [e.action for e in uow.audit.list(desk.workspace.id)]
        assert actions == ["case.resolve"]
