"""The erasure page: request with a preview of what will be erased, then a second owner or
admin approves; a sole owner or admin confirms by typing the author's handle. A refused form
comes back with the reason beside it and what was typed still in place."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import Actor
from mentiondesk.desk.accounts import WebSession
from mentiondesk.domain.errors import DomainError, InvalidInput
from mentiondesk.moderation.erasure import (
    do_approve_erasure,
    do_erase_author,
    do_reject_erasure,
    do_request_erasure,
    erasure_preview,
    erasure_requests,
    sole_approver,
)
from mentiondesk.web.deps import ActorDep, ServicesDep, SessionDep, WriteActorDep
from mentiondesk.web.rendering import render

router = APIRouter()

PLATFORMS = ["x", "facebook", "instagram", "mastodon", "bluesky", "reddit", "blog", "forum", "dev"]


def _page(
    request: Request,
    services: Services,
    session: WebSession,
    actor: Actor,
    *,
    status_code: int = 200,
    **context: Any,
) -> Response:
    with services.uow() as uow:
        memberships = uow.workspaces.for_user(session.user.id)
        requests = erasure_requests(uow, actor)
        counts = {
            r.id: uow.erasure.counts(actor.workspace.id, r.author_id)
            for r in requests
            if r.status == "pending" and r.author_id is not None
        }
        alone = sole_approver(uow, actor)
    context.setdefault("form", {})
    return render(
        request,
        "erasure.html",
        {
            "session": session,
            "actor": actor,
            "memberships": memberships,
            "requests": requests,
            "pending_counts": counts,
            "sole_approver": alone,
            "platforms": PLATFORMS,
            **context,
        },
        status_code=status_code,
    )


def _error(exc: DomainError) -> dict[str, str]:
    if isinstance(exc, InvalidInput):
        return {"field": exc.field, "message": exc.reason}
    return {"field": "", "message": str(exc)}


@router.get("/w/{slug}/erasure")
def show_erasure(
    request: Request, services: ServicesDep, session: SessionDep, actor: ActorDep, slug: str
) -> Response:
    return _page(request, services, session, actor, notice=request.query_params.get("done"))


@router.post("/w/{slug}/erasure/preview")
def preview_erasure(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: WriteActorDep,
    slug: str,
    platform: Annotated[str, Form()] = "",
    handle: Annotated[str, Form()] = "",
    requested_by: Annotated[str, Form()] = "",
    legal_reason: Annotated[str, Form()] = "",
) -> Response:
    """Step 1: show what the erasure would rewrite before anyone commits to it."""
    form = {
        "platform": platform,
        "handle": handle,
        "requested_by": requested_by,
        "legal_reason": legal_reason,
    }
    try:
        with services.uow() as uow:
            preview = erasure_preview(uow, actor, platform=platform, handle=handle)
    except DomainError as exc:
        return _page(
            request, services, session, actor, form=form, error=_error(exc), status_code=422
        )
    return _page(request, services, session, actor, form=form, preview=preview)


@router.post("/w/{slug}/erasure")
def request_erasure(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: WriteActorDep,
    slug: str,
    platform: Annotated[str, Form()] = "",
    handle: Annotated[str, Form()] = "",
    requested_by: Annotated[str, Form()] = "",
    legal_reason: Annotated[str, Form()] = "",
    confirmation: Annotated[str | None, Form()] = None,
) -> Response:
    """Step 2: record the request (pending a second approver), or erase at once where the
    requester is the sole owner or admin and typed the handle."""
    form = {
        "platform": platform,
        "handle": handle,
        "requested_by": requested_by,
        "legal_reason": legal_reason,
    }
    now = services.clock.now()
    try:
        with services.uow() as uow:
            if sole_approver(uow, actor):
                receipt = do_erase_author(
                    uow,
                    actor,
                    platform=platform,
                    handle=handle,
                    requested_by=requested_by,
                    legal_reason=legal_reason,
                    confirmation=confirmation,
                    now=now,
                )
                done = f"erased: {receipt.posts_redacted} posts, author now {receipt.pseudonym}"
            else:
                pending = do_request_erasure(
                    uow,
                    actor,
                    platform=platform,
                    handle=handle,
                    requested_by=requested_by,
                    legal_reason=legal_reason,
                    now=now,
                )
                done = f"request {pending.request_id} waits for another owner or admin"
    except DomainError as exc:
        preview = None
        try:
            with services.uow() as uow:
                preview = erasure_preview(uow, actor, platform=platform, handle=handle)
        except DomainError:
            pass  # the first error already says what is wrong
        return _page(
            request,
            services,
            session,
            actor,
            form=form,
            preview=preview,
            error=_error(exc),
            status_code=422 if isinstance(exc, InvalidInput) else 403,
        )
    return _done(slug, done)


def _done(slug: str, message: str) -> Response:
    return RedirectResponse(f"/w/{slug}/erasure?done={quote(message)}", status_code=303)


@router.post("/w/{slug}/erasure/{request_id}/approve")
def approve_erasure(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: WriteActorDep,
    slug: str,
    request_id: int,
    confirmation: Annotated[str | None, Form()] = None,
) -> Response:
    try:
        with services.uow() as uow:
            receipt = do_approve_erasure(
                uow, actor, request_id, now=services.clock.now(), confirmation=confirmation
            )
    except DomainError as exc:
        return _page(
            request,
            services,
            session,
            actor,
            error=_error(exc) | {"request_id": str(request_id)},
            status_code=422 if isinstance(exc, InvalidInput) else 403,
        )
    return _done(slug, f"erased: {receipt.posts_redacted} posts, author now {receipt.pseudonym}")


@router.post("/w/{slug}/erasure/{request_id}/reject")
def reject_erasure(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: WriteActorDep,
    slug: str,
    request_id: int,
    reason: Annotated[str, Form()] = "",
) -> Response:
    try:
        with services.uow() as uow:
            do_reject_erasure(uow, actor, request_id, reason=reason, now=services.clock.now())
    except DomainError as exc:
        return _page(
            request,
            services,
            session,
            actor,
            error=_error(exc) | {"request_id": str(request_id)},
            status_code=422 if isinstance(exc, InvalidInput) else 403,
        )
    return _done(slug, f"request {request_id} rejected; nothing was erased")
