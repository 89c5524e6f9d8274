"""Saved replies: managed per workspace and language, found by search, rendered for a case."""

from __future__ import annotations

import json

import pytest

from mentiondesk.desk.access import actor_for
from mentiondesk.domain.errors import InvalidInput, PermissionDenied
from mentiondesk.domain.workspaces import User
from mentiondesk.replies.composer import ReplyBlocked
from mentiondesk.replies.saved import (
    do_archive_saved_reply,
    do_import_saved_replies,
    do_save_saved_reply,
    render_for_case,
    search_saved_replies,
)
from mentiondesk.replies.templates import RenderedReply, SavedReply
from tests.factories import Desk
from tests.integration.test_reply_guard_on_send import send

GREETING = (
    "Cześć {{ author.first_name|vocative(familiar=True) }}! "
    "Sprawdzamy zamówienie {{ case.order_number }} i odezwiemy się dziś."
)


def save(desk: Desk, user: User, **kw: object) -> SavedReply:
    kw.setdefault("language", "pl")
    kw.setdefault("title", "Powitanie")
    kw.setdefault("body", GREETING)
    with desk.services.uow() as uow:
        actor = actor_for(uow, user, desk.workspace.slug)
        return do_save_saved_reply(uow, actor, now=desk.services.clock.now(), **kw)  # type: ignore[arg-type]


def render(desk: Desk, case_id: int, saved_id: int) -> RenderedReply:
    with desk.services.uow() as uow:
        actor = actor_for(uow, desk.agent, desk.workspace.slug)
        return render_for_case(uow, actor, case_id, saved_id)[1]


def tomasz_case(desk: Desk, text: str) -> int:
    return desk.ingest_case(
        text=text, author_handle="tomek_k", author_name="Tomasz Kowalski", lang="pl"
    )


def test_a_saved_reply_greets_tomasz_in_the_vocative_and_fills_the_order(desk: Desk) -> None:
    saved = save(desk, desk.owner)
    case_id = tomasz_case(desk, "@acme gdzie jest moje zamówienie nr AB12345?")

    rendered = render(desk, case_id, saved.id)

    assert rendered.text.startswith("Cześć Tomku!")
    assert "AB12345" in rendered.text and rendered.complete


def test_an_unknown_order_number_stays_visible_and_sending_it_is_blocked(desk: Desk) -> None:
    saved = save(desk, desk.owner)
    case_id = tomasz_case(desk, "@acme paczka nie doszła")

    rendered = render(desk, case_id, saved.id)

    assert "{{ case.order_number }}" in rendered.text
    assert rendered.unfilled == ("case.order_number",)
    with pytest.raises(ReplyBlocked) as refused:
        send(desk, desk.agent, case_id, rendered.text)
    assert "unfilled_placeholder" in refused.value.reason


def test_search_finds_titles_and_bodies_with_the_case_language_first(desk: Desk) -> None:
    save(desk, desk.owner)
    save(desk, desk.owner, language="en", title="Parcel delay", body="Sorry, the parcel is late.")
    with desk.services.uow() as uow:
        actor = actor_for(uow, desk.agent, desk.workspace.slug)
        english_first = search_saved_replies(uow, actor, "", language="en")
        found = search_saved_replies(uow, actor, "ZAMÓWIENIE")

    assert [s.title for s in english_first] == ["Parcel delay", "Powitanie"]
    assert [s.title for s in found] == ["Powitanie"]


def test_agents_use_saved_replies_but_only_admins_write_them(desk: Desk) -> None:
    with pytest.raises(PermissionDenied):
        save(desk, desk.agent)
    with pytest.raises(InvalidInput):
        save(desk, desk.owner, body="Hi {{ author.name ")  # does not compile
    save(desk, desk.owner)
    with pytest.raises(InvalidInput):
        save(desk, desk.owner)  # the same title twice in one language


def test_a_jsonl_import_creates_and_updates_by_title(desk: Desk) -> None:
    save(desk, desk.owner)
    lines = [
        json.dumps({"language": "pl", "title": "Powitanie", "body": "Dzień dobry!"}),
        json.dumps({"language": "it", "title": "Saluto", "body": "Ciao!", "tags": ["hi"]}),
    ]
    with desk.services.uow() as uow:
        actor = actor_for(uow, desk.owner, desk.workspace.slug)
        report = do_import_saved_replies(uow, actor, lines, now=desk.services.clock.now())
        with pytest.raises(InvalidInput, match="line 1"):
            do_import_saved_replies(uow, actor, ["{not json"], now=desk.services.clock.now())
        bodies = {s.title: s.body for s in uow.saved_replies.search(desk.workspace.id)}

    assert (report.created, report.updated) == (1, 1)
    assert bodies == {"Powitanie": "Dzień dobry!", "Saluto": "Ciao!"}


def test_an_archived_reply_leaves_search_and_saving_its_title_brings_it_back(
    desk: Desk,
) -> None:
    saved = save(desk, desk.owner)
    with desk.services.uow() as uow:
        actor = actor_for(uow, desk.owner, desk.workspace.slug)
        do_archive_saved_reply(uow, actor, saved.id, now=desk.services.clock.now())
        assert search_saved_replies(uow, actor) == []

    again = save(desk, desk.owner, body="Dzień dobry!")

    assert again.id == saved.id
    with desk.services.uow() as uow:
        assert [s.body for s in uow.saved_replies.search(desk.workspace.id)] == ["Dzień dobry!"]
