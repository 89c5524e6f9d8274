"""Data-subject erasure: texts replaced, identity pseudonymised, counts kept, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mentiondesk.domain.errors import InvalidInput, NotFound, PermissionDenied
from mentiondesk.domain.workspaces import User
from mentiondesk.moderation.erasure import ErasureReceipt, do_erase_author, erasure_requests
from mentiondesk.storage import tables as t
from tests.factories import Desk


def _erase(desk: Desk, user: User, handle: str = "anna_k", **kw: str) -> ErasureReceipt:
    args = {
        "platform": "x",
        "handle": handle,
        "requested_by": "anna@example.com",
        "legal_reason": "GDPR art. 17 request received by e-mail",
        "confirmation": handle,  # the desk's sole owner confirms by typing the handle
    } | kw
    with desk.services.uow() as uow:
        return do_erase_author(uow, desk.actor(user), now=desk.services.clock.now(), **args)


def test_erasure_replaces_texts_pseudonymises_and_keeps_counts(desk: Desk) -> None:
    first = desk.ingest_case(text="@acme I am Anna, call me on 600 100 200")
    desk.ingest(text="@acme still waiting", in_reply_to="x-anything", conversation_id="c1")
    other = desk.ingest_case(text="@acme hello from Piotr", author_handle="piotr")
    with desk.services.uow() as uow:
        posts_before = uow.posts.count(desk.workspace.id)
    receipt = _erase(desk, desk.owner, "@anna_k")
    assert receipt.posts_redacted == 2
    with desk.services.uow() as uow:
        assert uow.posts.count(desk.workspace.id) == posts_before
        anna_posts = uow.posts.for_case(desk.workspace.id, first)
        piotr_posts = uow.posts.for_case(desk.workspace.id, other)
        entries = uow.audit.list(desk.workspace.id, subject=f"author:{anna_posts[0].author_id}")
        requests = erasure_requests(uow, desk.actor(desk.owner))
    notice = "[erased on 2026-03-10 at the data subject's request]"
    # the follow-up joined Anna's case (same author within the follow-up window)
    assert [p.inbound.text for p in anna_posts] == [notice, notice]
    assert anna_posts[0].inbound.author.handle == receipt.pseudonym
    assert anna_posts[0].inbound.author.name == "Erased user"
    assert anna_posts[0].triage is not None  # labels stay for the metrics
    assert piotr_posts[0].inbound.text == "@acme hello from Piotr"
    with desk.services.uow() as uow:
        summary = uow.connection.execute(
            select(t.cases.c.summary).where(t.cases.c.id == first)
        ).scalar_one()
    assert summary == notice
    assert [(e.action, e.actor_user_id) for e in entries] == [("erasure.request", desk.owner.id)]
    assert entries[0].data["requested_by"] == "anna@example.com"
    assert [(r.requested_by, r.approved_by, r.posts_redacted) for r in requests] == [
        ("anna@example.com", desk.owner.id, 2)
    ]


def test_only_owners_and_admins_may_erase(desk: Desk) -> None:
    desk.ingest()
    with pytest.raises(PermissionDenied):
        _erase(desk, desk.agent)


def test_an_erasure_needs_a_legal_reason_and_a_known_author(desk: Desk) -> None:
    desk.ingest()
    with pytest.raises(InvalidInput) as no_reason:
        _erase(desk, desk.owner, legal_reason=" ")
    assert no_reason.value.field == "legal_reason"
    with pytest.raises(NotFound):
        _erase(desk, desk.owner, "nobody_here")
