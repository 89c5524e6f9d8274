"""The inbox page; htmx requests get only the rows so filters update in place."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from mentiondesk.desk.bulk import BULK_ACTIONS, BulkOutcome, do_bulk_action
from mentiondesk.desk.inbox import inbox_page
from mentiondesk.desk.inbox_views import inbox_views
from mentiondesk.desk.search import search_patterns
from mentiondesk.desk.sla_service import inbox_sla
from mentiondesk.domain.cases import CaseStatus
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.inbox import ASSIGNEE_UNASSIGNED, InboxFilter, InboxSort
from mentiondesk.domain.inbox_views import SavedView
from mentiondesk.domain.posts import MentionKind
from mentiondesk.domain.triage import Intent
from mentiondesk.moderation.actions import hide_reasons
from mentiondesk.moderation.bulk import MODERATION_BULK_ACTIONS, do_bulk_hide, do_bulk_tag
from mentiondesk.web.deps import ActorDep, ServicesDep, SessionDep, WriteActorDep
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
    (how the case opened), ``intent`` complaint|question|praise|lead|other, ``breached``
    yes|no (a recorded SLA breach), ``breaching`` 1h (an SLA clock falls due within the hour;
    any other value is ignored), ``q`` search over the opening post and its author
    (inflected forms found; ``"a phrase"`` as written); ``case`` the case open in the split
    inbox's pane."""

    status: str = "active"
    language: str = ""
    assignee: str = ""
    sort: str = "urgent"
    needs_reply: str = ""
    mention_kind: str = ""
    breached: str = ""
    breaching: str = ""
    intent: str = ""
    q: str = ""
    page: int = 1
    case: int = 0

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
            due_before=now + BREACHING_WITHIN if self.breaching == "1h" and now else None,
            intent=self.intent if self.intent in Intent._value2member_map_ else None,
            search=search_patterns(self.q),
        )

    def url(self, slug: str, **changes: Any) -> str:
        """This view's address with ``changes``: every filter survives paging and views."""
        params = {**asdict(self), "case": 0, **changes}
        defaults = {("page", 1), ("case", 0)}
        kept = {k: v for k, v in params.items() if v not in ("", None) and (k, v) not in defaults}
        return f"/w/{slug}/inbox" + (f"?{urlencode(kept)}" if kept else "")


InboxQueryDep = Annotated[InboxQuery, Depends()]

EXACT_COUNT = 1000
"""The page counts exactly up to this many cases and says "1,000+" past it."""

SAVED_VIEWS = (
    ("Mine", {"assignee": "me"}),
    ("Unassigned", {"assignee": "none"}),
    ("Unassigned PL complaints", {"assignee": "none", "language": "pl", "intent": "complaint"}),
    ("Needs reply", {"needs_reply": "yes"}),
    ("Breaching in 1 h", {"breaching": "1h"}),
    ("Breached", {"breached": "yes"}),
)
BREACHING_WITHIN = timedelta(hours=1)


QUERY_FIELDS = tuple(f.name for f in fields(InboxQuery))


def _saved_views(uow: Any, actor: Any, user_id: int, now: datetime) -> list[dict[str, Any]]:
    """The fixed views, then the person's own and the workspace's shared ones, each with its
    live count."""
    listed: list[tuple[str, dict[str, str], SavedView | None]] = [
        (name, params, None) for name, params in SAVED_VIEWS
    ]
    listed += [(view.name, view.params, view) for view in inbox_views(uow, actor)]
    views = []
    for name, params, saved in listed:
        query = InboxQuery(**params)  # type: ignore[arg-type]
        f = replace(query.to_filter(user_id, now), page_size=1, count_at_least=EXACT_COUNT)
        page = inbox_page(uow, actor, f)
        views.append(
            {
                "name": name,
                "url": query.url(actor.workspace.slug),
                "count": f"{page.total:,}{'+' if page.total_capped else ''}",
                "params": params,
                "saved": saved,
                "deletable": saved is not None
                and (saved.user_id == user_id or actor.role.can_manage_settings),
            }
        )
    return views


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
    f = replace(query.to_filter(session.user.id, now), count_at_least=EXACT_COUNT)
    rows_only = bool(request.headers.get("hx-request")) and not request.headers.get(
        "hx-history-restore-request"
    )
    context: dict[str, Any] = {
        "session": session,
        "actor": actor,
        "q": asdict(query),
        "query": query,
        "bulk_actions": BULK_ACTIONS,
        "notice": request.query_params.get("done", ""),
    }
    with services.uow() as uow:
        result = inbox_page(uow, actor, f)
        context["page"] = result
        context["sla"] = inbox_sla(uow, actor.workspace, [r.case_id for r in result.rows], now)
        context["known_tags"] = uow.moderation.workspace_tags(actor.workspace.id)
        context["hide_reasons"] = hide_reasons(uow, actor.workspace.id)
        if not rows_only:  # the page around the rows: menus, filters, views and their counts
            context["memberships"] = uow.workspaces.for_user(session.user.id)
            context["agents"] = [
                u for u, m in uow.users.members(actor.workspace.id) if m.role.can_act_on_cases
            ]
            context["views"] = _saved_views(uow, actor, session.user.id, now)
    context.update(
        languages=actor.workspace.languages,
        view_error=request.query_params.get("view_error", ""),
        view_name=request.query_params.get("view_name", ""),
    )
    template = "_inbox_rows.html" if rows_only else "inbox.html"
    return render(request, template, context)


@router.post("/w/{slug}/inbox/bulk")
def bulk(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    action: Annotated[str, Form()],
    case_ids: Annotated[list[int], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
    back: Annotated[str, Form()] = "",
    tag: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    """One action on the selected cases; the inbox comes back with what was and was not done
    (a refused action, such as hiding without a reason, comes back as the notice)."""
    now = services.clock.now()
    with services.uow() as uow:
        outcome: BulkOutcome | str
        try:
            if action == "tag":
                outcome = do_bulk_tag(uow, actor, case_ids, tag, now=now)
            elif action == "hide":
                outcome = do_bulk_hide(uow, actor, case_ids, reason, now=now)
            else:
                outcome = do_bulk_action(uow, actor, action, case_ids, now=now)
        except InvalidInput as exc:
            label = MODERATION_BULK_ACTIONS.get(action) or BULK_ACTIONS.get(action, action)
            outcome = f"{label}: not done, {exc.field} {exc.reason}."
    summary = outcome if isinstance(outcome, str) else outcome.summary
    target = back if back.startswith(f"/w/{slug}/inbox") else f"/w/{slug}/inbox"
    glue = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{glue}{urlencode({'done': summary})}", status_code=303)
