"""API v1 for alerts (list, one with its posts and notes, acknowledge, resolve, note) and
the on-call rota."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from mentiondesk.analytics.alerts import (
    alert_view,
    alerts_for,
    do_acknowledge_alert,
    do_add_alert_note,
    do_resolve_alert,
    do_update_rota,
    load_rota,
)
from mentiondesk.domain.alerts import AlertRecord, AlertState
from mentiondesk.web.deps import ActorDep, ServicesDep, WriteActorDep

router = APIRouter(prefix="/api/v1/workspaces/{slug}", tags=["alerts"])


class AlertPublic(BaseModel):
    id: int
    kind: str
    channel: str
    title: str
    state: str
    started_at: datetime
    raised_at: datetime
    level: int
    posts: list[int]
    case_id: int | None
    notified: list[int]
    acknowledged_at: datetime | None
    acknowledged_by: int | None
    resolved_at: datetime | None

    @classmethod
    def of(cls, a: AlertRecord) -> AlertPublic:
        return cls(
            id=a.id,
            kind=a.kind,
            channel=a.channel,
            title=a.title,
            state=a.state.value,
            started_at=a.started_at,
            raised_at=a.raised_at,
            level=a.level,
            posts=list(a.posts),
            case_id=a.case_id,
            notified=list(a.notified),
            acknowledged_at=a.acknowledged_at,
            acknowledged_by=a.acknowledged_by,
            resolved_at=a.resolved_at,
        )


class NoteRequest(BaseModel):
    text: str = Field(min_length=1, max_length=2000)


@router.get("/alerts", response_model=list[AlertPublic])
def list_alerts(
    services: ServicesDep,
    actor: ActorDep,
    slug: str,
    state: AlertState | None = Query(default=None),  # noqa: B008
) -> list[AlertPublic]:
    with services.uow() as uow:
        return [AlertPublic.of(a) for a in alerts_for(uow, actor, (state,) if state else ())]


@router.get("/alerts/{alert_id}")
def get_alert(services: ServicesDep, actor: ActorDep, slug: str, alert_id: int) -> dict[str, Any]:
    """The alert, the posts that caused it, its notes and who was told."""
    with services.uow() as uow:
        view = alert_view(uow, actor, alert_id)
    return {
        "alert": AlertPublic.of(view.alert).model_dump(mode="json"),
        "posts": [p | {"at": p["at"].isoformat()} for p in view.posts],
        "notes": [n | {"at": n["at"].isoformat()} for n in view.notes],
        "notified": view.notified,
    }


@router.post("/alerts/{alert_id}/acknowledge", response_model=AlertPublic)
def acknowledge(
    services: ServicesDep, actor: WriteActorDep, slug: str, alert_id: int
) -> AlertPublic:
    with services.uow() as uow:
        return AlertPublic.of(do_acknowledge_alert(uow, actor, alert_id, now=services.clock.now()))


@router.post("/alerts/{alert_id}/resolve", response_model=AlertPublic)
def resolve(services: ServicesDep, actor: WriteActorDep, slug: str, alert_id: int) -> AlertPublic:
    with services.uow() as uow:
        return AlertPublic.of(do_resolve_alert(uow, actor, alert_id, now=services.clock.now()))


@router.post("/alerts/{alert_id}/notes", status_code=201)
def add_note(
    services: ServicesDep, actor: WriteActorDep, slug: str, alert_id: int, body: NoteRequest
) -> dict[str, str]:
    with services.uow() as uow:
        do_add_alert_note(uow, actor, alert_id, body.text, now=services.clock.now())
    return {"status": "added"}


@router.get("/oncall")
def get_rota(services: ServicesDep, actor: ActorDep, slug: str) -> dict[str, Any]:
    """The rota: ``weekday``/``weekend`` shifts (``start``, ``end`` as HH:MM local time,
    ``people`` as user ids in calling order), ``escalate_after`` minutes, the webhook."""
    with services.uow() as uow:
        return load_rota(uow, actor.workspace).as_dict()


@router.put("/oncall")
def put_rota(
    services: ServicesDep, actor: WriteActorDep, slug: str, body: dict[str, Any]
) -> dict[str, Any]:
    with services.uow() as uow:
        return do_update_rota(uow, actor, body, now=services.clock.now()).as_dict()
