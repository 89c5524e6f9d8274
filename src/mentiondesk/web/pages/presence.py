"""Collision detection on the case page: heartbeats from the page, the "who else" fragment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from mentiondesk.desk.presence import do_report_presence
from mentiondesk.domain.presence import PresenceState
from mentiondesk.web.deps import ServicesDep, WriteActorDep
from mentiondesk.web.rendering import render

router = APIRouter()


@router.post("/w/{slug}/cases/{case_id}/presence")
def report_presence(
    request: Request,
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    case_id: int,
    state: Annotated[PresenceState, Form()] = PresenceState.VIEWING,
) -> Response:
    """Polled every 3 s (viewing) and sent on keystrokes (typing); answers who else is here."""
    with services.uow() as uow:
        present = do_report_presence(uow, actor, case_id, state, now=services.clock.now())
    return render(request, "_presence_list.html", {"present": present})
