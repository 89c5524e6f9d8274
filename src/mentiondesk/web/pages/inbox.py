"""The inbox page; htmx requests get only the rows so filters update in place."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from mentiondesk.desk.inbox import inbox_page
from mentiondesk.desk.sla_service import inbox_sla
from mentiondesk.domain.cases import CaseStatus
from mentiondesk.domain.inbox import ASSIGNEE_UNASSIGNED, InboxFilter, InboxSort
from mentiondesk.domain.posts import MentionKind
from mentiondesk.web.deps import ServicesDep, SessionDep, actor_in
from mentiondesk.web.rendering import render

router = APIRouter()

STATUS_CHOICES = {
    "active": (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.WAITING),
    "new": (CaseStatus.NEW,),
    "open": (CaseStatus.OPEN,),
    "waiting": (CaseStatus.WAITING,),
    "resolved": (CaseStatus.RESOLVED,),
    "all": (),
}


def inbox_filter(
    *,
    status: str,
    language: str,
    assignee: str,
    sort: str,
    page: int,
    user_id: int,
    needs_reply: str = "",
    mention_kind: str = "",
    breached: str = "",
    now: datetime | None = None,
) -> InboxFilter:
    """Translate query-string choices (as the page and API offer them) into an InboxFilter."""
    assignee_id: int | None = None
    if assignee == "me":
        assignee_id = user_id
    elif assignee == "none":
        assignee_id = ASSIGNEE_UNASSIGNED
    elif assignee.isdigit():
        assignee_id = int(assignee)
    return InboxFilter(
        statuses=STATUS_CHOICES.get(status, STATUS_CHOICES["active"]),
        language=language or None,
        assignee_id=assignee_id,
        needs_reply={"yes": True, "no": False}.get(needs_reply),
        mention_kind=mention_kind if mention_kind in MentionKind._value2member_map_ else None,
        sort=InboxSort(sort) if sort in InboxSort._value2member_map_ else InboxSort.URGENT,
        page=max(1, page),
        awake_at=now if status == "active" else None,
        breached={"yes": True, "no": False}.get(breached),
    )


@router.get("/w/{slug}/inbox")
def inbox(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    slug: str,
    status: str = "active",
    language: str = "",
    assignee: str = "",
    sort: str = "urgent",
    needs_reply: str = "",
    mention_kind: str = "",
    breached: str = "",
    page: int = 1,
) -> Response:
    actor = actor_in(services, session, slug)
    now = services.clock.now()
    f = inbox_filter(
        status=status,
        language=language,
        assignee=assignee,
        sort=sort,
        page=page,
        user_id=session.user.id,
        needs_reply=needs_reply,
        mention_kind=mention_kind,
        breached=breached,
        now=now,
    )
    with services.uow() as uow:
        result = inbox_page(uow, actor, f)
        sla = inbox_sla(uow, actor.workspace, [r.case_id for r in result.rows], now)
        memberships = uow.workspaces.for_user(session.user.id)
        agents = [u for u, m in uow.users.members(actor.workspace.id) if m.role.can_act_on_cases]
    context = {
        "session": session,
        "actor": actor,
        "page": result,
        "memberships": memberships,
        "agents": agents,
        "languages": actor.workspace.languages,
        "q": {
            "status": status,
            "language": language,
            "assignee": assignee,
            "sort": sort,
            "needs_reply": needs_reply,
            "mention_kind": mention_kind,
            "breached": breached,
        },
        "sla": sla,
    }
    template = "_inbox_rows.html" if request.headers.get("hx-request") else "inbox.html"
    return render(request, template, context)
