"""Erasure takes two people: the requester cannot approve their own request, unless they are
the workspace's only owner or admin — then they type the author's handle after a preview."""

from __future__ import annotations

import pytest

from mentiondesk.desk.notes import do_add_case_note
from mentiondesk.domain.errors import InvalidInput, InvalidTransition, PermissionDenied
from mentiondesk.domain.workspaces import Role
from mentiondesk.moderation.erasure import (
    TYPED_CONFIRMATION,
    do_approve_erasure,
    do_erase_author,
    do_reject_erasure,
    do_request_erasure,
    erasure_preview,
)
from tests.factories import Desk, create_member

REQUEST = {
    "platform": "x",
    "handle": "anna_k",
    "requested_by": "anna@example.com",
    "legal_reason": "GDPR art. 17, e-mail of 2026-03-09",
}


def _texts_of(desk: Desk, case_id: int) -> list[str]:
    return [e.post.inbound.text for e in desk.view(desk.owner, case_id).thread if e.post]


def _replies_of(desk: Desk, case_id: int) -> list[str]:
    return [e.reply.text for e in desk.view(desk.owner, case_id).thread if e.reply]


def _with_history(desk: Desk) -> int:
    case_id = desk.ingest_case(text="@acme I am Anna, my booking is AB123")
    desk.ingest(text="@acme any news?", conversation_id="c1", in_reply_to="x-1")
    desk.reply(desk.agent, case_id, "Hi Anna, we are checking AB123.")
    with desk.services.uow() as uow:
        do_add_case_note(
            uow,
            desk.actor(desk.agent),
            case_id,
            "Anna = frequent flyer 4411",
            now=desk.services.clock.now(),
        )
    return case_id


def test_the_preview_counts_what_will_be_erased(desk: Desk) -> None:
    _with_history(desk)
    desk.ingest_case(text="@acme unrelated", author_handle="piotr")
    with desk.services.uow() as uow:
        preview = erasure_preview(uow, desk.actor(desk.owner), platform="x", handle="@anna_k")
    assert (preview.posts, preview.cases, preview.replies, preview.notes) == (2, 1, 1, 1)


def test_a_second_owner_or_admin_approves_and_both_steps_are_audited(desk: Desk) -> None:
    case_id = _with_history(desk)
    admin = create_member(desk.services, desk.workspace, "admin@acme.test", Role.ADMIN)
    now = desk.services.clock.now()
    with desk.services.uow() as uow:
        pending = do_request_erasure(uow, desk.actor(desk.owner), now=now, **REQUEST)
    assert not pending.needs_typed_confirmation
    assert "I am Anna" in _texts_of(desk, case_id)[0]  # nothing erased yet
    with desk.services.uow() as uow, pytest.raises(PermissionDenied, match="another owner"):
        do_approve_erasure(
            uow, desk.actor(desk.owner), pending.request_id, now=now, confirmation="anna_k"
        )
    with desk.services.uow() as uow:
        receipt = do_approve_erasure(uow, desk.actor(admin), pending.request_id, now=now)
    assert receipt.posts_redacted == 2
    texts = _texts_of(desk, case_id)
    assert all(t.startswith("[erased on") for t in texts)
    replies = _replies_of(desk, case_id)
    assert replies and all("Anna" not in r for r in replies)
    with desk.services.uow() as uow:
        entries = uow.audit.list(desk.workspace.id)
        request = uow.erasure.get_request(desk.workspace.id, pending.request_id)
        notes = uow.connection.exec_driver_sql("SELECT text FROM case_notes").scalars().all()
    assert [(e.action, e.actor_user_id) for e in entries if e.action.startswith("erasure")] == [
        ("erasure.approve", admin.id),
        ("erasure.request", desk.owner.id),
    ]
    assert (request.status, request.approved_by, request.requester_id) == (
        "completed",
        admin.id,
        desk.owner.id,
    )
    assert request.subject_handle != "anna_k"  # the record keeps the pseudonym only
    assert all("Anna" not in n for n in notes)
    with desk.services.uow() as uow, pytest.raises(InvalidTransition):
        do_approve_erasure(uow, desk.actor(admin), pending.request_id, now=now)


def test_the_sole_owner_confirms_by_typing_the_handle(desk: Desk) -> None:
    case_id = _with_history(desk)
    now = desk.services.clock.now()
    owner = desk.actor(desk.owner)
    with desk.services.uow() as uow, pytest.raises(InvalidInput) as missing:
        do_erase_author(uow, owner, now=now, **REQUEST)
    assert missing.value.field == "confirmation" and "anna_k" in missing.value.reason
    with desk.services.uow() as uow, pytest.raises(InvalidInput):
        do_erase_author(uow, owner, now=now, confirmation="anna", **REQUEST)
    assert "I am Anna" in _texts_of(desk, case_id)[0]
    with desk.services.uow() as uow:
        receipt = do_erase_author(uow, owner, now=now, confirmation="@Anna_K", **REQUEST)
        entries = [e for e in uow.audit.list(desk.workspace.id) if e.action.startswith("erasure")]
    assert receipt.posts_redacted == 2
    assert [(e.action, e.data["approval"]) for e in entries] == [
        ("erasure.request", TYPED_CONFIRMATION)
    ]
    assert entries[0].data["preview"] == {"posts": 2, "cases": 1, "replies": 1, "notes": 1}


def test_a_pending_request_can_be_confirmed_by_typing_or_rejected(desk: Desk) -> None:
    _with_history(desk)
    desk.ingest_case(text="@acme hi", author_handle="piotr")
    now = desk.services.clock.now()
    owner = desk.actor(desk.owner)
    with desk.services.uow() as uow:
        first = do_request_erasure(uow, owner, now=now, **REQUEST)
        second = do_request_erasure(uow, owner, now=now, **(REQUEST | {"handle": "piotr"}))
    assert first.needs_typed_confirmation
    with desk.services.uow() as uow:
        do_approve_erasure(uow, owner, first.request_id, now=now, confirmation="anna_k")
        do_reject_erasure(uow, owner, second.request_id, reason="identity not verified", now=now)
        actions = [e.action for e in uow.audit.list(desk.workspace.id)]
        rejected = uow.erasure.get_request(desk.workspace.id, second.request_id)
    assert actions[:2] == ["erasure.reject", "erasure.confirm"]
    assert rejected.status == "rejected"
    with desk.services.uow() as uow, pytest.raises(PermissionDenied):
        do_request_erasure(uow, desk.actor(desk.agent), now=now, **REQUEST)
