"""The reports' "Scheduled e-mails" tab: who gets a daily or weekly summary, a preview of the
e-mail, "send now", and (admins) adding and removing subscriptions. Every form carries the
session's CSRF token; a refused form keeps what was typed and says why beside the field."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from mentiondesk.analytics.schedules import (
    do_create_schedule,
    do_remove_schedule,
    do_send_summary_now,
    member_emails,
    preview,
    schedules_for,
)
from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import Actor
from mentiondesk.desk.accounts import WebSession
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.report_schedules import (
    WEEKDAYS,
    parse_cadence,
    parse_hour,
    parse_weekday,
)
from mentiondesk.web.deps import ActorDep, CsrfSessionDep, ServicesDep, SessionDep
from mentiondesk.web.rendering import render

router = APIRouter()


def _page(
    request: Request,
    services: Services,
    session: WebSession,
    actor: Actor,
    *,
    form: dict[str, Any] | None = None,
    refused: InvalidInput | None = None,
    show: int | None = None,
    sent: dict[str, str] | None = None,
) -> Response:
    now = services.clock.now()
    with services.uow() as uow:
        schedules = schedules_for(uow, actor)
        members = member_emails(uow, actor.workspace.id)
        memberships = uow.workspaces.for_user(session.user.id)
        shown = None
        if show is not None and any(s.id == show for s in schedules):
            first, last, subject, text = preview(uow, actor, show, now=now)
            shown = {"id": show, "first": first, "last": last, "subject": subject, "text": text}
    context = {
        "session": session,
        "actor": actor,
        "memberships": memberships,
        "schedules": schedules,
        "members": members,
        "weekdays": WEEKDAYS,
        "form": form or {"cadence": "weekly", "weekday": "0", "hour": "8", "recipients": []},
        "error": str(refused) if refused else None,
        "error_field": refused.field if refused else None,
        "error_reason": refused.reason if refused else None,
        "preview": shown,
        "sent": sent,
        "tab": "schedules",
    }
    return render(request, "reports_schedules.html", context, status_code=422 if refused else 200)


@router.get("/w/{slug}/reports/schedules")
def schedules_page(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: ActorDep,
    preview: int | None = None,
    sent: int | None = None,
    status: str = "",
    reason: str = "",
) -> Response:
    outcome = {"id": str(sent), "status": status, "reason": reason} if sent else None
    return _page(request, services, session, actor, show=preview, sent=outcome)


@router.post("/w/{slug}/reports/schedules")
def add_schedule(
    request: Request,
    services: ServicesDep,
    session: CsrfSessionDep,
    actor: ActorDep,
    slug: str,
    cadence: Annotated[str, Form()] = "weekly",
    weekday: Annotated[str, Form()] = "0",
    hour: Annotated[str, Form()] = "8",
    recipients: Annotated[list[str] | None, Form()] = None,
) -> Response:
    actor.require_settings()
    form = {"cadence": cadence, "weekday": weekday, "hour": hour, "recipients": recipients or []}
    try:
        with services.uow() as uow:
            do_create_schedule(
                uow,
                actor,
                cadence=parse_cadence(cadence),
                hour=parse_hour(hour),
                weekday=parse_weekday(weekday),
                recipients=recipients or [],
                now=services.clock.now(),
            )
    except InvalidInput as exc:
        return _page(request, services, session, actor, form=form, refused=exc)
    return RedirectResponse(f"/w/{slug}/reports/schedules", status_code=303)


@router.post("/w/{slug}/reports/schedules/{schedule_id}/remove")
def remove_schedule(
    services: ServicesDep, session: CsrfSessionDep, actor: ActorDep, slug: str, schedule_id: int
) -> Response:
    with services.uow() as uow:
        do_remove_schedule(uow, actor, schedule_id, now=services.clock.now())
    return RedirectResponse(f"/w/{slug}/reports/schedules", status_code=303)


@router.post("/w/{slug}/reports/schedules/{schedule_id}/send-now")
def send_now(
    services: ServicesDep, session: CsrfSessionDep, actor: ActorDep, slug: str, schedule_id: int
) -> Response:
    """Queue the summary and try it at once; the page then says what the mail server said."""
    with services.uow() as uow:
        item_id = do_send_summary_now(uow, actor, schedule_id, now=services.clock.now())
    item = services.outbox.attempt(item_id)
    query = f"sent={schedule_id}&status={item.status.value}"
    if item.failure_reason:
        query += f"&reason={quote(item.failure_reason[:200])}"
    return RedirectResponse(f"/w/{slug}/reports/schedules?{query}", status_code=303)
