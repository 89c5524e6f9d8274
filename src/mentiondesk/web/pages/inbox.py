"""The inbox page; htmx requests get only the rows so filters update in place."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from mentiondesk.desk.inbox import inbox_page
from mentiondesk.desk.sla_service import inbox_sla
from mentiondesk.domain.cases import CaseStatus
from mentiondesk.domain.inbox import ASSIGNEE_UNASSIGNED, InboxFilter, InboxSort
from mentiondesk.domain.posts import MentionKind
from mentiondesk.web.deps import ActorDep, ServicesDep, SessionDep
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


@dataclass
class InboxQuery:
    """The inbox's query string, shared by the page and the API: ``status``
    active|new|open|waiting|resolved|all, ``assignee`` me|none|<id>, ``sort``
    urgent|newest|oldest, ``needs_reply`` yes|no, ``mention_kind`` direct|indirect|fuzzy|query
    (how the case opened), ``breached`` yes|no (a recorded SLA breach)."""

    status: str = "active"
    language: str = ""
    assignee: str = ""
    sort: str = "urgent"
    needs_reply: str = ""
    mention_kind: str = ""
    breached: str = ""
    page: int = 1

    def to_filter(self, user_id: int, now: datetime | None = None) -> InboxFilter:
        """Unknown choices fall back to the default view rather than failing the page."""
        assignee_id: int | None = None
        if self.assignee == "me":
            assignee_id = user_id
        elif self.assignee == "none":
            assignee_id = ASSIGNEE_UNASSIGNED
        elif self.assignee.isdigit():
            assignee_id = int(self.assignee)
        yes_no = {"yes": True, "no": False}
        return InboxFilter(
            statuses=STATUS_CHOICES.get(self.status, STATUS_CHOICES["active"]),
            language=self.language or None,
            assignee_id=assignee_id,
            needs_reply=yes_no.get(self.needs_reply),
            mention_kind=(
                self.mention_kind if self.mention_kind in MentionKind._value2member_map_ else None
            ),
            sort=InboxSort(self.sort)
            if self.sort in InboxSort._value2member_map_
            else InboxSort.URGENT,
            page=max(1, self.page),
            awake_at=now if self.status == "active" else None,
            breached=yes_no.get(self.breached),
        )


InboxQueryDep = Annotated[InboxQuery, Depends()]


@router.get("/w/{slug}/inbox")
def inbox(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: ActorDep,
    slug: str,
    query: InboxQueryDep,
) -> Response:
    now = services.clock.now()
    f = query.to_filter(session.user.id, now)
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
        "q": asdict(query),
        "sla": sla,
    }
    template = "_inbox_rows.html" if request.headers.get("hx-request") else "inbox.html"
    return render(request, template, context)
