"""The customer view page and the agent's edits on it (links, tags, fields, notes)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from mentiondesk.desk.customers import (
    customer_view,
    do_add_customer_note,
    do_link_same_person,
    do_save_customer_profile,
    do_unlink_same_person,
)
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.web.deps import ActorDep, ServicesDep, SessionDep, WriteActorDep
from mentiondesk.web.rendering import render

router = APIRouter()


def _url(slug: str, author_id: int) -> str:
    return f"/w/{slug}/customers/{author_id}"


def parse_fields(text: str) -> dict[str, str]:
    """One ``name: value`` per line, e.g. ``crm_id: 448812``."""
    fields: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise InvalidInput("fields", f"line {number}: write 'name: value'")
        fields[name.strip()] = value.strip()
    return fields


@router.get("/w/{slug}/customers/{author_id}")
def show_customer(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: ActorDep,
    slug: str,
    author_id: int,
) -> Response:
    with services.uow() as uow:
        view = customer_view(uow, actor, author_id)
        memberships = uow.workspaces.for_user(session.user.id)
    return render(
        request,
        "customer.html",
        {"session": session, "actor": actor, "view": view, "memberships": memberships},
    )


@router.post("/w/{slug}/customers/{author_id}/profile")
def save_profile(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    author_id: int,
    tags: Annotated[str, Form()] = "",
    fields: Annotated[str, Form()] = "",
) -> Response:
    with services.uow() as uow:
        do_save_customer_profile(
            uow,
            actor,
            author_id,
            tags=tags.split(","),
            fields=parse_fields(fields),
            now=services.clock.now(),
        )
    return RedirectResponse(_url(slug, author_id), status_code=303)


@router.post("/w/{slug}/customers/{author_id}/notes")
def add_note(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    author_id: int,
    text: Annotated[str, Form()],
) -> Response:
    with services.uow() as uow:
        do_add_customer_note(uow, actor, author_id, text, now=services.clock.now())
    return RedirectResponse(_url(slug, author_id), status_code=303)


@router.post("/w/{slug}/customers/{author_id}/links")
def link(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    author_id: int,
    other_author_id: Annotated[int, Form()],
    unlink: Annotated[bool, Form()] = False,
) -> Response:
    """Mark (or, with ``unlink``, unmark) another author as the same person."""
    with services.uow() as uow:
        action = do_unlink_same_person if unlink else do_link_same_person
        action(uow, actor, author_id, other_author_id, now=services.clock.now())
    return RedirectResponse(_url(slug, author_id), status_code=303)
