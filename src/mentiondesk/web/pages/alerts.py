"""The alerts pages: the list with the on-call rota, one alert with its posts and notes,
acknowledge / resolve / note, and the top bar's badge of open alerts (an htmx fragment)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from mentiondesk.analytics.alerts import (
    alert_view,
    alerts_for,
    do_acknowledge_alert,
    do_add_alert_note,
    do_resolve_alert,
    do_update_rota,
    load_rota,
    open_alert_count,
    shift_lines,
    shifts_from_lines,
)
from mentiondesk.domain.alerts import AlertState
from mentiondesk.web.deps import ActorDep, CsrfSessionDep, ServicesDep, SessionDep
from mentiondesk.web.rendering import render

router = APIRouter()


@router.get("/w/{slug}/alerts")
def alerts_page(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: ActorDep,
    slug: str,
    state: str = "",
) -> Response:
    states = (AlertState(state),) if state in {s.value for s in AlertState} else ()
    with services.uow() as uow:
        alerts = alerts_for(uow, actor, states)
        rota = load_rota(uow, actor.workspace)
        lines = shift_lines(uow, actor.workspace, rota)
        people = {u.id: u.name for u, _ in uow.users.members(actor.workspace.id)}
    context = {
        "session": session,
        "actor": actor,
        "alerts": alerts,
        "state": state,
        "rota": rota,
        "lines": lines,
        "people": people,
    }
    return render(request, "alerts.html", context)


@router.get("/w/{slug}/alerts/badge")
def alerts_badge(
    request: Request, services: ServicesDep, session: SessionDep, actor: ActorDep, slug: str
) -> Response:
    with services.uow() as uow:
        count = open_alert_count(uow, actor)
    return render(request, "_alerts_badge.html", {"actor": actor, "open_alerts": count})


@router.get("/w/{slug}/alerts/{alert_id}")
def alert_page(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: ActorDep,
    slug: str,
    alert_id: int,
) -> Response:
    with services.uow() as uow:
        view = alert_view(uow, actor, alert_id)
    return render(request, "alert.html", {"session": session, "actor": actor, "view": view})


def _back(slug: str, alert_id: int) -> Response:
    return RedirectResponse(f"/w/{slug}/alerts/{alert_id}", status_code=303)


@router.post("/w/{slug}/alerts/{alert_id}/acknowledge")
def acknowledge(
    services: ServicesDep, session: CsrfSessionDep, actor: ActorDep, slug: str, alert_id: int
) -> Response:
    with services.uow() as uow:
        do_acknowledge_alert(uow, actor, alert_id, now=services.clock.now())
    return _back(slug, alert_id)


@router.post("/w/{slug}/alerts/{alert_id}/resolve")
def resolve(
    services: ServicesDep, session: CsrfSessionDep, actor: ActorDep, slug: str, alert_id: int
) -> Response:
    with services.uow() as uow:
        do_resolve_alert(uow, actor, alert_id, now=services.clock.now())
    return _back(slug, alert_id)


@router.post("/w/{slug}/alerts/{alert_id}/notes")
def add_note(
    services: ServicesDep,
    session: CsrfSessionDep,
    actor: ActorDep,
    slug: str,
    alert_id: int,
    text: Annotated[str, Form()] = "",
) -> Response:
    with services.uow() as uow:
        do_add_alert_note(uow, actor, alert_id, text, now=services.clock.now())
    return _back(slug, alert_id)


@router.post("/w/{slug}/alerts/rota")
def save_rota(
    services: ServicesDep,
    session: CsrfSessionDep,
    actor: ActorDep,
    slug: str,
    weekday: Annotated[str, Form()] = "",
    weekend: Annotated[str, Form()] = "",
    escalate_after: Annotated[str, Form()] = "15",
    webhook_url: Annotated[str, Form()] = "",
    webhook_style: Annotated[str, Form()] = "json",
) -> Response:
    with services.uow() as uow:
        raw = {
            "weekday": shifts_from_lines(uow, actor.workspace, weekday, "weekday"),
            "weekend": shifts_from_lines(uow, actor.workspace, weekend, "weekend"),
            "escalate_after": escalate_after,
            "webhook_url": webhook_url,
            "webhook_style": webhook_style,
        }
        do_update_rota(uow, actor, raw, now=services.clock.now())
    return RedirectResponse(f"/w/{slug}/alerts", status_code=303)
