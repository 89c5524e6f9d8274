"""Private hand-off: one public acknowledgement and one private message, in the same case."""

from __future__ import annotations

import pytest

from mentiondesk.desk.access import actor_for
from mentiondesk.domain.replies import ReplyVisibility
from mentiondesk.replies.composer import ReplyBlocked, check_draft
from mentiondesk.replies.handoff import ACKNOWLEDGEMENTS, HandOff, do_hand_off
from tests.factories import Desk

PRIVATE = "Hi Anna, your order AB12345 left our warehouse today; we will write back tomorrow."


def hand_off(desk: Desk, case_id: int, text: str = PRIVATE, key: str = "h-1") -> HandOff:
    with desk.services.uow() as uow:
        actor = actor_for(uow, desk.agent, desk.workspace.slug)
        return do_hand_off(
            uow, actor, case_id, text, idempotency_key=key, now=desk.services.clock.now()
        )


def test_the_guard_suggests_going_private_for_order_data_in_public(desk: Desk) -> None:
    case_id = desk.ingest_case()
    with desk.services.uow() as uow:
        actor = actor_for(uow, desk.agent, desk.workspace.slug)
        public = check_draft(
            uow,
            actor,
            case_id,
            PRIVATE,
            visibility=ReplyVisibility.PUBLIC,
            now=desk.services.clock.now(),
        )
    sensitive = [f for f in public.result.findings if f.check == "sensitive_public"]
    assert sensitive and "private" in sensitive[0].suggestion


def test_a_hand_off_records_one_public_and_one_private_reply_in_the_case(desk: Desk) -> None:
    case_id = desk.ingest_case()

    done = hand_off(desk, case_id)
    again = hand_off(desk, case_id)  # a resubmitted form sends nothing new

    with desk.services.uow() as uow:
        replies = uow.replies.for_case(desk.workspace.id, case_id)
    assert [(r.visibility, r.case_id) for r in replies] == [
        (ReplyVisibility.PRIVATE, case_id),
        (ReplyVisibility.PUBLIC, case_id),
    ]
    assert replies[0].text == PRIVATE
    assert replies[1].text == ACKNOWLEDGEMENTS["en"]
    assert (again.public.id, again.private.id) == (done.public.id, done.private.id)
    for reply in (done.private, done.public):
        assert desk.deliver(reply).status.value == "simulated"  # the development channel


def test_a_blocked_private_message_sends_no_acknowledgement_either(desk: Desk) -> None:
    case_id = desk.ingest_case()

    with pytest.raises(ReplyBlocked):
        hand_off(desk, case_id, "Hi Marco, your order AB12345 left today, more tomorrow.")

    with desk.services.uow() as uow:
        assert uow.replies.for_case(desk.workspace.id, case_id) == []
