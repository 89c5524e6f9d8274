"""Private notes on a case: a fragment the case page loads and posts to with htmx."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import Actor
from mentiondesk.desk.accounts import WebSession
from mentiondesk.desk.notes import case_notes, do_add_case_note
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.web.deps import ActorDep, CsrfSessionDep, ServicesDep, SessionDep
from mentiondesk.web.rendering import INLINE_ERROR, render

router = APIRouter()


def _fragment(
    request: Request,
    services: Services,
    session: WebSession,
    actor: Actor,
    slug: str,
    case_id: int,
    *,
    refused: InvalidInput | None = None,
    typed: str = "",
) -> Response:
    with services.uow() as uow:
        notes = case_notes(uow, actor, case_id)
    context = {"notes": notes, "actor": actor, "case_id": case_id, "session": session}
    if refused is None:
        return render(request, "_case_notes_list.html", context)
    context |= {"error": str(refused), "error_reason": refused.reason, "typed": typed}
    response = render(request, "_case_notes_list.html", context, status_code=422)
    response.headers.update(INLINE_ERROR)
    return response


@router.get("/w/{slug}/cases/{case_id}/notes")
def show_notes(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: ActorDep,
    slug: str,
    case_id: int,
) -> Response:
    return _fragment(request, services, session, actor, slug, case_id)


@router.post("/w/{slug}/cases/{case_id}/notes")
def add_note(
    request: Request,
    services: ServicesDep,
    session: CsrfSessionDep,
    actor: ActorDep,
    slug: str,
    case_id: int,
    text: Annotated[str, Form()] = "",
) -> Response:
    """htmx swaps the refreshed list in place; a plain form post goes back to the case. A
    refused note (blank, too long) comes back in the box with the reason under it."""
    try:
        with services.uow() as uow:
            do_add_case_note(uow, actor, case_id, text, now=services.clock.now())
    except InvalidInput as exc:
        if not request.headers.get("hx-request"):
            raise
        return _fragment(request, services, session, actor, slug, case_id, refused=exc, typed=text)
    if request.headers.get("hx-request"):
        return _fragment(request, services, session, actor, slug, case_id)
    return RedirectResponse(f"/w/{slug}/cases/{case_id}", status_code=303)
