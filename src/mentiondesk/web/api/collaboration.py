"""API v1 for agents and shifts, presence, private notes and the customer view.

Thin translations to the same ``desk`` services as the pages; registered in ``web/app.py``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from mentiondesk.desk.assignment import (
    agent_board,
    do_save_agent_profile,
    do_save_rules,
    do_set_on_shift,
    do_sweep_as,
)
from mentiondesk.desk.customers import (
    customer_view,
    do_add_customer_note,
    do_link_same_person,
    do_save_customer_profile,
)
from mentiondesk.desk.notes import case_notes, do_add_case_note
from mentiondesk.desk.presence import do_report_presence
from mentiondesk.domain.assignment import (
    AgentProfile,
    AssignmentRules,
    format_shifts,
    parse_shifts,
)
from mentiondesk.domain.presence import PresenceState
from mentiondesk.web.deps import ActorDep, ServicesDep, WriteActorDep

router = APIRouter(prefix="/api/v1/workspaces/{slug}", tags=["collaboration"])


class AgentProfileUpdate(BaseModel):
    teams: list[str] = []
    languages: list[str] = []
    capacity: int = Field(10, ge=0)
    shifts: str = Field("", description="weekly hours, e.g. 'mon-fri 08:00-16:00'")
    available: bool = True


class AgentPublic(BaseModel):
    user_id: int
    name: str
    has_profile: bool
    on_shift: bool
    open_cases: int
    teams: list[str]
    languages: list[str]
    capacity: int | None
    shifts: str
    available: bool | None


class RulesBody(BaseModel):
    auto_assign: bool
    team_by_language: dict[str, str] = {}


class ShiftBody(BaseModel):
    on_shift: bool


class PresenceBody(BaseModel):
    state: PresenceState = PresenceState.VIEWING


class NoteBody(BaseModel):
    text: str


class CustomerProfileBody(BaseModel):
    tags: list[str] = []
    fields: dict[str, str] = {}


class LinkBody(BaseModel):
    other_author_id: int


class NotePublic(BaseModel):
    id: int
    author: str
    text: str
    created_at: datetime


@router.get("/agents", response_model=list[AgentPublic])
def list_agents(services: ServicesDep, actor: ActorDep, slug: str) -> list[AgentPublic]:
    with services.uow() as uow:
        board = agent_board(uow, actor, now=services.clock.now())
    return [
        AgentPublic(
            user_id=r.user.id,
            name=r.user.name,
            has_profile=r.profile is not None,
            on_shift=r.on_shift,
            open_cases=r.open_cases,
            teams=list(r.profile.teams) if r.profile else [],
            languages=list(r.profile.languages) if r.profile else [],
            capacity=r.profile.capacity if r.profile else None,
            shifts=r.shifts,
            available=r.profile.available if r.profile else None,
        )
        for r in board.rows
    ]


@router.put("/agents/{user_id}")
def put_agent(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    user_id: int,
    body: AgentProfileUpdate,
) -> dict[str, Any]:
    profile = AgentProfile(
        user_id=user_id,
        teams=tuple(body.teams),
        languages=tuple(body.languages),
        capacity=body.capacity,
        shifts=parse_shifts(body.shifts),
        available=body.available,
    )
    with services.uow() as uow:
        saved = do_save_agent_profile(uow, actor, profile, now=services.clock.now())
    return {"user_id": saved.user_id, "shifts": format_shifts(saved.shifts)}


@router.post("/agents/{user_id}/shift")
def set_shift(
    services: ServicesDep, actor: WriteActorDep, slug: str, user_id: int, body: ShiftBody
) -> dict[str, Any]:
    """Clock in or out; going off shift returns the cases handed to colleagues."""
    with services.uow() as uow:
        moved = do_set_on_shift(uow, actor, user_id, body.on_shift, now=services.clock.now())
    return {"reassigned": [_moved(m) for m in moved]}


def _moved(m: Any) -> dict[str, Any]:
    return {"case_id": m.case_id, "from": m.from_user_id, "to": m.to_user_id, "reason": m.reason}


@router.put("/assignment")
def put_rules(
    services: ServicesDep, actor: WriteActorDep, slug: str, body: RulesBody
) -> dict[str, Any]:
    with services.uow() as uow:
        do_save_rules(
            uow,
            actor,
            AssignmentRules(body.auto_assign, body.team_by_language),
            now=services.clock.now(),
        )
    return body.model_dump()


@router.post("/assignment/sweep")
def sweep(services: ServicesDep, actor: WriteActorDep, slug: str) -> dict[str, Any]:
    with services.uow() as uow:
        moved = do_sweep_as(uow, actor, now=services.clock.now())
    return {"reassigned": [_moved(m) for m in moved]}


@router.post("/cases/{case_id}/presence")
def presence(
    services: ServicesDep, actor: WriteActorDep, slug: str, case_id: int, body: PresenceBody
) -> list[dict[str, Any]]:
    """Heartbeat; answers the colleagues on the case (presence older than 15 s is ignored)."""
    with services.uow() as uow:
        present = do_report_presence(uow, actor, case_id, body.state, now=services.clock.now())
    return [{"user_id": p.user_id, "name": p.name, "state": p.state.value} for p in present]


@router.get("/cases/{case_id}/notes", response_model=list[NotePublic])
def list_case_notes(
    services: ServicesDep, actor: ActorDep, slug: str, case_id: int
) -> list[NotePublic]:
    with services.uow() as uow:
        notes = case_notes(uow, actor, case_id)
    return [
        NotePublic(id=n.id, author=n.author_name, text=n.text, created_at=n.created_at)
        for n in notes
    ]


@router.post("/cases/{case_id}/notes", status_code=201)
def add_case_note(
    services: ServicesDep, actor: WriteActorDep, slug: str, case_id: int, body: NoteBody
) -> dict[str, int]:
    """A private note for colleagues; it is never delivered to the customer."""
    with services.uow() as uow:
        return {"id": do_add_case_note(uow, actor, case_id, body.text, now=services.clock.now())}


@router.get("/customers/{author_id}")
def get_customer(
    services: ServicesDep, actor: ActorDep, slug: str, author_id: int
) -> dict[str, Any]:
    with services.uow() as uow:
        view = customer_view(uow, actor, author_id)

    def case(c: Any) -> dict[str, Any]:
        return {
            "workspace": c.workspace_slug,
            "case_id": c.case_id,
            "platform": c.platform,
            "handle": c.handle,
            "status": c.status,
            "summary": c.summary,
            "last_activity_at": c.last_activity_at,
        }

    return {
        "author_id": view.author.id,
        "name": view.author.name,
        "identities": [
            {"id": i.id, "platform": i.platform, "handle": i.handle} for i in view.identities
        ],
        "suggested_same_person": [
            {"id": i.id, "platform": i.platform, "handle": i.handle} for i in view.suggestions
        ],
        "cases": [case(c) for c in view.cases],
        "cases_in_other_workspaces": [case(c) for c in view.elsewhere],
        "tags": list(view.profile.tags),
        "fields": view.profile.fields,
        "notes": [
            {"author": n.author_name, "text": n.text, "created_at": n.created_at}
            for n in view.notes
        ],
    }


@router.put("/customers/{author_id}/profile")
def put_customer_profile(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    author_id: int,
    body: CustomerProfileBody,
) -> dict[str, Any]:
    with services.uow() as uow:
        saved = do_save_customer_profile(
            uow, actor, author_id, tags=body.tags, fields=body.fields, now=services.clock.now()
        )
    return {"tags": list(saved.tags), "fields": saved.fields}


@router.post("/customers/{author_id}/notes", status_code=201)
def add_customer_note(
    services: ServicesDep, actor: WriteActorDep, slug: str, author_id: int, body: NoteBody
) -> dict[str, int]:
    with services.uow() as uow:
        return {
            "id": do_add_customer_note(uow, actor, author_id, body.text, now=services.clock.now())
        }


@router.post("/customers/{author_id}/links", status_code=201)
def link_customer(
    services: ServicesDep, actor: WriteActorDep, slug: str, author_id: int, body: LinkBody
) -> dict[str, bool]:
    """Mark another author (e.g. the same person's Instagram account) as this customer."""
    with services.uow() as uow:
        created = do_link_same_person(
            uow, actor, author_id, body.other_author_id, now=services.clock.now()
        )
    return {"linked": True, "new": created}
