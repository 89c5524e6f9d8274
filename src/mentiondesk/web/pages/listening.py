"""Listening pages: the brand profile, saved queries with a live preview, backfill, and the
answer rate per mention kind. Each handler calls one listening service."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import Actor
from mentiondesk.desk.listening_profiles import (
    ProfileFields,
    QueryInvalid,
    current_profile,
    do_backfill,
    do_save_profile,
    do_save_query,
    list_queries,
    parse_handles,
    preview_query,
)
from mentiondesk.desk.listening_report import answer_rates
from mentiondesk.domain.profiles import BrandProfile
from mentiondesk.web.deps import ActorDep, CsrfSessionDep, ServicesDep, SessionDep, WriteActorDep
from mentiondesk.web.rendering import render

router = APIRouter()

LIST_FIELDS = (
    ("names", "Names", "The brand's names, one a line"),
    ("aliases", "Aliases", "Nicknames, old names, abbreviations"),
    ("handles", "Handles", "platform:@handle, e.g. x:@skylot"),
    ("hashtags", "Hashtags", "Without or with #"),
    ("products", "Product names", ""),
    ("competitors", "Competitor brands", "Reported apart; never read as a misspelling of yours"),
    ("context_terms", "Context terms", "Words that make a common-word name count"),
    ("exclude_terms", "Terms to exclude", "Veto untagged mentions in a post"),
    ("common_words", "Common-word names", "Names that are also ordinary words"),
)


def _lines(profile: BrandProfile) -> dict[str, str]:
    values: dict[str, str] = {
        name: "\n".join(getattr(profile, name)) for name, _, _ in LIST_FIELDS if name != "handles"
    }
    values["handles"] = "\n".join(
        f"{p}:{h}" for p, hs in sorted(profile.handles.items()) for h in hs
    )
    return values


def _split(value: Any) -> list[str]:
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def _page(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: Actor,
    *,
    notice: str = "",
    query_error: QueryInvalid | None = None,
    draft: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    with services.uow() as uow:
        view = current_profile(uow, actor)
        queries = list_queries(uow, actor)
        memberships = uow.workspaces.for_user(session.user.id)
    context = {
        "session": session,
        "actor": actor,
        "memberships": memberships,
        "can_edit": actor.role.can_manage_settings,
        "fields": LIST_FIELDS,
        "values": _lines(view.profile),
        "profile": view.profile,
        "stored": view.stored,
        "queries": queries,
        "notice": notice,
        "query_error": query_error,
        "draft": draft or {"name": "", "query": ""},
    }
    return render(request, "listening_page.html", context, status_code=status_code)


@router.get("/w/{slug}/listening")
def listening(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: ActorDep,
    notice: str = "",
) -> Response:
    return _page(request, services, session, actor, notice=notice)


@router.post("/w/{slug}/listening/profile")
async def save_profile(
    request: Request, services: ServicesDep, actor: WriteActorDep, slug: str
) -> Response:
    form = await request.form()
    fields = ProfileFields(
        names=_split(form.get("names")),
        aliases=_split(form.get("aliases")),
        handles=parse_handles(_split(form.get("handles"))),
        hashtags=_split(form.get("hashtags")),
        products=_split(form.get("products")),
        competitors=_split(form.get("competitors")),
        context_terms=_split(form.get("context_terms")),
        exclude_terms=_split(form.get("exclude_terms")),
        common_words=_split(form.get("common_words")),
        fuzzy=form.get("fuzzy") == "on",
    )
    await run_in_threadpool(_save_profile, services, actor, fields)
    return RedirectResponse(
        f"/w/{slug}/listening?notice={quote('Profile saved.')}", status_code=303
    )


def _save_profile(services: Services, actor: Actor, fields: ProfileFields) -> None:
    """The blocking part of ``save_profile`` (database), run in the threadpool."""
    with services.uow() as uow:
        do_save_profile(uow, actor, fields, now=services.clock.now())


@router.post("/w/{slug}/listening/queries")
def save_query(
    request: Request,
    services: ServicesDep,
    session: CsrfSessionDep,
    actor: ActorDep,
    slug: str,
    name: Annotated[str, Form()],
    query: Annotated[str, Form()],
) -> Response:
    try:
        with services.uow() as uow:
            saved = do_save_query(uow, actor, name, query, now=services.clock.now())
    except QueryInvalid as exc:
        draft = {"name": name, "query": query}
        return _page(
            request, services, session, actor, query_error=exc, draft=draft, status_code=422
        )
    notice = f"Query '{saved.name}' saved; it runs on new posts. Backfill it to search stored ones."
    return RedirectResponse(f"/w/{slug}/listening?notice={quote(notice)}", status_code=303)


@router.get("/w/{slug}/listening/preview")
def preview(
    request: Request, services: ServicesDep, actor: ActorDep, slug: str, query: str = ""
) -> Response:
    """The htmx fragment under the query box: matching stored posts, or the error."""
    context: dict[str, Any] = {"actor": actor, "query": query, "error": None, "preview": None}
    if query.strip():
        try:
            with services.uow() as uow:
                context["preview"] = preview_query(uow, actor, query)
        except QueryInvalid as exc:
            context["error"] = exc
    return render(request, "_listening_preview.html", context)


@router.post("/w/{slug}/listening/backfill")
def backfill(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    query: Annotated[str, Form()],
) -> Response:
    with services.uow() as uow:
        (result,) = do_backfill(uow, actor, query, now=services.clock.now())
    notice = (
        f"Backfill of '{result.query}': {result.candidates} candidates, {result.matched} "
        f"matched, {result.new_mentions} newly tagged, {result.routed} routed to cases."
    )
    return RedirectResponse(f"/w/{slug}/listening?notice={quote(notice)}", status_code=303)


@router.get("/w/{slug}/reports/mention-kinds")
def report(
    request: Request, services: ServicesDep, session: SessionDep, actor: ActorDep, slug: str
) -> Response:
    with services.uow() as uow:
        rates = answer_rates(uow, actor)
        memberships = uow.workspaces.for_user(session.user.id)
    context = {"session": session, "actor": actor, "memberships": memberships, "rates": rates}
    return render(request, "listening_report.html", context)
