"""The reply guard on send: blocking findings refuse, owners/admins override with a reason."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from mentiondesk.desk.access import actor_for
from mentiondesk.domain.errors import InvalidInput, PermissionDenied
from mentiondesk.domain.replies import Reply, ReplyVisibility
from mentiondesk.domain.workspaces import User
from mentiondesk.replies.composer import ReplyBlocked, do_send_guarded_reply
from mentiondesk.replies.settings import do_set_reply_policy, do_set_signature
from tests.factories import Desk

WRONG_NAME = "Hi Marco, sorry about the parcel, we are checking it and will write back today."
_keys = itertools.count(1)
PRIVATE = ReplyVisibility.PRIVATE


def send(desk: Desk, user: User, case_id: int, text: str, **kw: Any) -> Reply:
    with desk.services.uow() as uow:
        actor = actor_for(uow, user, desk.workspace.slug)
        return do_send_guarded_reply(
            uow,
            actor,
            case_id,
            text,
            idempotency_key=f"guard-{next(_keys)}",
            now=desk.services.clock.now(),
            **kw,
        )


def texts(desk: Desk, case_id: int) -> list[str]:
    with desk.services.uow() as uow:
        return [r.text for r in uow.replies.for_case(desk.workspace.id, case_id)]


def set_policy(desk: Desk, user: User, **data: Any) -> None:
    with desk.services.uow() as uow:
        do_set_reply_policy(
            uow, actor_for(uow, user, desk.workspace.slug), data, now=desk.services.clock.now()
        )


def test_a_reply_greeting_the_wrong_customer_is_refused_and_not_recorded(desk: Desk) -> None:
    case_id = desk.ingest_case()

    with pytest.raises(ReplyBlocked) as refused:
        send(desk, desk.agent, case_id, WRONG_NAME)

    assert "wrong_name" in refused.value.reason
    assert "wrong_name" in {f.check for f in refused.value.findings}
    assert texts(desk, case_id) == []


def test_an_owner_overrides_with_a_reason_and_the_audit_log_keeps_it(desk: Desk) -> None:
    case_id = desk.ingest_case()

    reply = send(desk, desk.owner, case_id, WRONG_NAME, override_reason="Marco is her husband")

    assert texts(desk, case_id) == [WRONG_NAME]
    with desk.services.uow() as uow:
        entries = uow.audit.list(desk.workspace.id, subject=f"case:{case_id}")
    override = next(e for e in entries if e.action == "reply.guard_override")
    assert override.actor_user_id == desk.owner.id
    assert override.reason == override.data["reason"] == "Marco is her husband"
    assert override.data["reply_id"] == reply.id
    assert "wrong_name" in {f["check"] for f in override.data["findings"]}


def test_an_agent_cannot_override_the_guard(desk: Desk) -> None:
    case_id = desk.ingest_case()

    with pytest.raises(PermissionDenied):
        send(desk, desk.agent, case_id, WRONG_NAME, override_reason="trust me")

    assert texts(desk, case_id) == []


def test_the_same_long_text_to_another_customer_today_is_a_duplicate(desk: Desk) -> None:
    body = (
        "We are very sorry for the trouble with your delivery, our team is looking into it "
        "and will get back to you within the day."
    )
    first = desk.ingest_case()
    second = desk.ingest_case(author_handle="piotr_w", author_name="Piotr Wiśniewski")
    send(desk, desk.agent, first, body)

    with pytest.raises(ReplyBlocked) as refused:
        send(desk, desk.agent, second, body)

    assert "duplicate_reply" in refused.value.reason


def test_a_stricter_duplicate_threshold_is_read_from_the_workspace_policy(desk: Desk) -> None:
    set_policy(desk, desk.owner, duplicate_threshold=1.0, requires_signature=True)
    body = (
        "We are very sorry for the trouble with your delivery, our team is looking into it "
        "and will get back to you within the day."
    )
    first = desk.ingest_case()
    second = desk.ingest_case(author_handle="piotr_w", author_name="Piotr Wiśniewski")
    send(desk, desk.agent, first, body)

    send(desk, desk.agent, second, body.replace("the day", "the hour"))

    assert len(texts(desk, second)) == 1


def test_only_owners_and_admins_change_the_reply_policy(desk: Desk) -> None:
    with pytest.raises(PermissionDenied):
        set_policy(desk, desk.agent, signature_mode="always")
    with pytest.raises(InvalidInput):
        set_policy(desk, desk.owner, signature_mode="sometimes")


def test_the_agents_signature_is_appended_once_per_policy(desk: Desk) -> None:
    set_policy(desk, desk.owner, signature_mode="public_only")
    with desk.services.uow() as uow:
        do_set_signature(uow, desk.agent.id, " Ania ")
        agent = uow.users.get(desk.agent.id)
    assert agent is not None and agent.signature == "Ania"
    case_id = desk.ingest_case()
    body = "Hi Anna, we are checking parcel 4411 and will write back today."

    send(desk, agent, case_id, body)
    send(desk, agent, case_id, body.replace("today", "tonight") + " ^Ania")
    send(desk, agent, case_id, "Could you send us your phone number?", visibility=PRIVATE)

    assert texts(desk, case_id) == [
        body + " ^Ania",
        body.replace("today", "tonight") + " ^Ania",
        "Could you send us your phone number?",
    ]
