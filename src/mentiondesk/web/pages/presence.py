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
    """Sent when a case opens, every 3 s (viewing) and on keystrokes (typing); answers who
    else is here, and tells the open inboxes at once (the poll's answer is the fallback)."""
    with services.uow() as uow:
        present = do_report_presence(
            uow, actor, case_id, state, now=services.clock.now(), feed=services.inbox_feed
        )
    return render(request, "_presence_list.html", {"present": present})
