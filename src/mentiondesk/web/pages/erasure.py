"""The erasure page: request with a preview of what will be erased, then a second owner or
admin approves; a sole owner or admin confirms by typing the author's handle. A refused form
comes back with the reason beside it and what was typed still in place."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import Actor
from mentiondesk.desk.accounts import WebSession
from mentiondesk.domain.errors import DomainError, InvalidInput
from mentiondesk.moderation.erasure import (
    ErasureReceipt,
    PendingErasure,
    do_approve_erasure,
    do_reject_erasure,
    do_submit_erasure,
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


def _refused(
    request: Request,
    services: Services,
    session: WebSession,
    actor: Actor,
    exc: DomainError,
    *,
    status_code: int | None = None,
    request_id: int | None = None,
    **context: Any,
) -> Response:
    """The page again with the reason beside the form (or beside request ``request_id``):
    422 for what was typed, 403 otherwise."""
    if isinstance(exc, InvalidInput):
        error = {"field": exc.field, "message": exc.reason}
    else:
        error = {"field": "", "message": str(exc)}
    if request_id is not None:
        error["request_id"] = str(request_id)
    if status_code is None:
        status_code = 422 if isinstance(exc, InvalidInput) else 403
    return _page(
        request,
        services,
        session,
        actor,
        error=error,
        status_code=status_code,
        **context,
    )


@dataclass(frozen=True, slots=True)
class _Typed:
    """What the request form holds, kept to show again beside a refusal."""

    platform: str
    handle: str
    requested_by: str
    legal_reason: str


def _typed(
    platform: Annotated[str, Form()] = "",
    handle: Annotated[str, Form()] = "",
    requested_by: Annotated[str, Form()] = "",
    legal_reason: Annotated[str, Form()] = "",
) -> _Typed:
    return _Typed(platform, handle, requested_by, legal_reason)


TypedDep = Annotated[_Typed, Depends(_typed)]


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
    typed: TypedDep,
) -> Response:
    """Step 1: show what the erasure would rewrite before anyone commits to it."""
    form = asdict(typed)
    try:
        with services.uow() as uow:
            preview = erasure_preview(uow, actor, platform=typed.platform, handle=typed.handle)
    except DomainError as exc:
        return _refused(request, services, session, actor, exc, form=form, status_code=422)
    return _page(request, services, session, actor, form=form, preview=preview)


@router.post("/w/{slug}/erasure")
def request_erasure(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: WriteActorDep,
    slug: str,
    typed: TypedDep,
    confirmation: Annotated[str | None, Form()] = None,
) -> Response:
    """Step 2: record the request (pending a second approver), or erase at once where the
    requester is the sole owner or admin and typed the handle."""
    form = asdict(typed)
    try:
        with services.uow() as uow:
            outcome = do_submit_erasure(
                uow,
                actor,
                platform=typed.platform,
                handle=typed.handle,
                requested_by=typed.requested_by,
                legal_reason=typed.legal_reason,
                confirmation=confirmation,
                now=services.clock.now(),
            )
    except DomainError as exc:
        preview = None
        try:
            with services.uow() as uow:
                preview = erasure_preview(uow, actor, platform=typed.platform, handle=typed.handle)
        except DomainError:
            pass  # the first error already says what is wrong
        return _refused(request, services, session, actor, exc, form=form, preview=preview)
    if isinstance(outcome, PendingErasure):
        return _done(slug, f"request {outcome.request_id} waits for another owner or admin")
    return _done(slug, _erased(outcome))


def _done(slug: str, message: str) -> Response:
    return RedirectResponse(f"/w/{slug}/erasure?done={quote(message)}", status_code=303)


def _erased(receipt: ErasureReceipt) -> str:
    return f"erased: {receipt.posts_redacted} posts, author now {receipt.pseudonym}"


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
        return _refused(request, services, session, actor, exc, request_id=request_id)
    return _done(slug, _erased(receipt))


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
        return _refused(request, services, session, actor, exc, request_id=request_id)
    return _done(slug, f"request {request_id} rejected; nothing was erased")
