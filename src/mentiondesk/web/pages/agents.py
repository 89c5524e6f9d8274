"""Agents and shifts: profiles, on/off-shift switches and the workspace's assignment rules."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from mentiondesk.desk.assignment import (
    agent_board,
    do_save_agent_profile,
    do_save_rules,
    do_set_on_shift,
    do_sweep_as,
)
from mentiondesk.desk.shift_sweeps import case_sweep_note, describe_moves, recent_sweeps
from mentiondesk.domain.assignment import AgentProfile, AssignmentRules, parse_shifts
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.web.deps import ActorDep, ServicesDep, SessionDep, WriteActorDep
from mentiondesk.web.rendering import render

router = APIRouter()


def _words(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w.strip().lower() for w in text.replace(",", " ").split() if w))


def parse_team_map(text: str) -> dict[str, str]:
    """``pl=pl-team, it=it-team`` → which team takes each language."""
    mapping: dict[str, str] = {}
    for item in (i.strip() for i in text.split(",")):
        if not item:
            continue
        language, sep, team = item.partition("=")
        if not sep or not language.strip() or not team.strip():
            raise InvalidInput("team_by_language", f"{item!r}: write language=team, e.g. pl=pl")
        mapping[language.strip().lower()] = team.strip().lower()
    return mapping


@router.get("/w/{slug}/agents")
def agents_page(
    request: Request, services: ServicesDep, session: SessionDep, actor: ActorDep, slug: str
) -> Response:
    now = services.clock.now()
    with services.uow() as uow:
        board = agent_board(uow, actor, now=now)
        swept = recent_sweeps(uow, actor, now=now)
        memberships = uow.workspaces.for_user(session.user.id)
    return render(
        request,
        "agents.html",
        {
            "session": session,
            "actor": actor,
            "board": board,
            "swept": swept,
            "memberships": memberships,
            "notice": request.query_params.get("done"),
        },
    )


def _back(slug: str, notice: str) -> Response:
    return RedirectResponse(f"/w/{slug}/agents?{urlencode({'done': notice})}", status_code=303)


@router.get("/w/{slug}/cases/{case_id}/sweep-note")
def sweep_note(
    request: Request, services: ServicesDep, actor: ActorDep, slug: str, case_id: int
) -> Response:
    """A line for the case page when the off-shift sweep moved or unassigned the case."""
    with services.uow() as uow:
        note = case_sweep_note(uow, actor, case_id)
    return render(request, "_case_sweep_note.html", {"note": note, "actor": actor})


@router.post("/w/{slug}/agents/{user_id}/profile")
def save_profile(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    user_id: int,
    teams: Annotated[str, Form()] = "",
    languages: Annotated[str, Form()] = "",
    capacity: Annotated[int, Form()] = 10,
    shifts: Annotated[str, Form()] = "",
    available: Annotated[bool, Form()] = False,
) -> Response:
    profile = AgentProfile(
        user_id=user_id,
        teams=_words(teams),
        languages=_words(languages),
        capacity=capacity,
        shifts=parse_shifts(shifts),
        available=available,
    )
    with services.uow() as uow:
        do_save_agent_profile(uow, actor, profile, now=services.clock.now())
    return RedirectResponse(f"/w/{slug}/agents", status_code=303)


@router.post("/w/{slug}/agents/{user_id}/shift")
def toggle_shift(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    user_id: int,
    on_shift: Annotated[bool, Form()] = False,
) -> Response:
    with services.uow() as uow:
        moved = do_set_on_shift(uow, actor, user_id, on_shift, now=services.clock.now())
        said = "On shift." if on_shift else f"Off shift. {describe_moves(uow, actor, moved)}"
    return _back(slug, said)


@router.post("/w/{slug}/assignment")
def save_rules(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    auto_assign: Annotated[bool, Form()] = False,
    team_by_language: Annotated[str, Form()] = "",
) -> Response:
    rules = AssignmentRules(auto_assign, parse_team_map(team_by_language))
    with services.uow() as uow:
        do_save_rules(uow, actor, rules, now=services.clock.now())
    return RedirectResponse(f"/w/{slug}/agents", status_code=303)


@router.post("/w/{slug}/assignment/sweep")
def sweep(services: ServicesDep, actor: WriteActorDep, slug: str) -> Response:
    with services.uow() as uow:
        moved = do_sweep_as(uow, actor, now=services.clock.now())
        said = describe_moves(uow, actor, moved)
    return _back(slug, said)
