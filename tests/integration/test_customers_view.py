"""The customer view and private notes, on both databases."""

from __future__ import annotations

import pytest

from mentiondesk.desk.customers import (
    customer_view,
    do_add_customer_note,
    do_link_same_person,
    do_save_customer_profile,
)
from mentiondesk.desk.notes import case_notes, do_add_case_note
from mentiondesk.domain.errors import InvalidInput, NotFound, PermissionDenied
from mentiondesk.domain.workspaces import Role, User
from tests.factories import Desk, grant

pytestmark = pytest.mark.usefixtures("database_url")


def _view(desk: Desk, user: User, author_id: int):  # type: ignore[no-untyped-def]
    with desk.services.uow() as uow:
        return customer_view(uow, desk.actor(user), author_id)


def _author_of(desk: Desk, case_id: int) -> int:
    return desk.case(case_id).author_id


def test_linked_authors_show_cases_from_two_platforms(desk: Desk) -> None:
    on_x = desk.ingest_case(author_handle="anna_k")
    on_instagram = desk.ingest_case(platform="instagram", author_handle="anna.k", to_brand=True)
    anna_x, anna_ig = _author_of(desk, on_x), _author_of(desk, on_instagram)
    assert [c.case_id for c in _view(desk, desk.agent, anna_x).cases] == [on_x]
    with desk.services.uow() as uow:
        do_link_same_person(
            uow, desk.actor(desk.agent), anna_x, anna_ig, now=desk.services.clock.now()
        )
    view = _view(desk, desk.agent, anna_ig)
    assert sorted(c.platform for c in view.cases) == ["instagram", "x"]
    assert {i.handle for i in view.identities} == {"anna_k", "anna.k"}


def test_an_identical_handle_on_another_platform_is_only_suggested(desk: Desk) -> None:
    on_x = desk.ingest_case(author_handle="@marta")
    on_fb = desk.ingest_case(platform="facebook", author_handle="Marta", to_brand=True)
    view = _view(desk, desk.agent, _author_of(desk, on_x))
    assert [c.case_id for c in view.cases] == [on_x]
    assert [s.id for s in view.suggestions] == [_author_of(desk, on_fb)]


def test_cases_in_another_workspace_show_only_to_its_members(desk: Desk, other_desk: Desk) -> None:
    here = desk.ingest_case(author_handle="anna_k")
    other_desk.ingest_case(author_handle="anna_k", text="@acme and Globex, hello", to_brand=True)
    anna = _author_of(desk, here)
    assert _view(desk, desk.agent, anna).elsewhere == ()  # not a Globex member: never shown
    grant(desk.services, desk.agent, other_desk.workspace, Role.VIEWER)
    elsewhere = _view(desk, desk.agent, anna).elsewhere
    assert [(c.workspace_slug, c.handle) for c in elsewhere] == [("globex", "anna_k")]
    assert _view(desk, desk.colleague, anna).elsewhere == ()


def test_another_workspaces_customer_is_not_found(desk: Desk, other_desk: Desk) -> None:
    theirs = other_desk.ingest_case(author_handle="zed", to_brand=True)
    with pytest.raises(NotFound):
        _view(desk, desk.agent, _author_of(other_desk, theirs))


def test_agents_edit_tags_fields_and_notes_that_viewers_can_read(desk: Desk) -> None:
    anna = _author_of(desk, desk.ingest_case())
    now = desk.services.clock.now()
    with desk.services.uow() as uow:
        actor = desk.actor(desk.agent)
        do_save_customer_profile(
            uow,
            actor,
            anna,
            tags=["VIP", " vip", "frequent flyer"],
            fields={"crm_id": "448812"},
            now=now,
        )
        do_add_customer_note(uow, actor, anna, "Prefers answers in Polish.", now=now)
    view = _view(desk, desk.viewer, anna)
    assert view.profile.tags == ("vip", "frequent flyer")
    assert view.profile.fields == {"crm_id": "448812"}
    assert [n.text for n in view.notes] == ["Prefers answers in Polish."]
    assert not view.can_edit
    with desk.services.uow() as uow, pytest.raises(PermissionDenied):
        do_add_customer_note(uow, desk.actor(desk.viewer), anna, "hi", now=now)


def test_a_private_note_is_audited_and_never_delivered_through_the_connector(desk: Desk) -> None:
    case_id = desk.ingest_case()
    now = desk.services.clock.now()
    with desk.services.uow() as uow:
        do_add_case_note(
            uow, desk.actor(desk.agent), case_id, "Customer is a journalist: careful.", now=now
        )
    reply = desk.reply(desk.agent, case_id, "Sorry, we are checking.")
    desk.deliver(reply)
    outbox = (desk.services.settings.data_dir / "dev-outbox.jsonl").read_text(encoding="utf-8")
    assert "Sorry, we are checking." in outbox
    assert "journalist" not in outbox
    with desk.services.uow() as uow:
        assert [r.text for r in uow.replies.for_case(desk.workspace.id, case_id)] == [
            "Sorry, we are checking."
        ]
        assert [n.text for n in case_notes(uow, desk.actor(desk.colleague), case_id)] == [
            "Customer is a journalist: careful."
        ]
        audit = uow.audit.list(desk.workspace.id, subject=f"case:{case_id}")
        assert "case.note" in [e.action for e in audit]
        with pytest.raises(PermissionDenied):
            case_notes(uow, desk.actor(desk.viewer), case_id)
        with pytest.raises(InvalidInput):
            do_add_case_note(uow, desk.actor(desk.agent), case_id, "   ", now=now)
