"""Reply pages: the composer's live guard and saved-reply search, hand-off, retry, the
reply policy form, one's signature and the saved replies of a workspace."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import Actor
from mentiondesk.desk.accounts import WebSession
from mentiondesk.desk.outbox_service import do_retry_reply, reply_state
from mentiondesk.domain.errors import InvalidInput, NotFound
from mentiondesk.domain.replies import ReplyVisibility
from mentiondesk.replies.composer import ReplyBlocked, check_draft, finding_dict, reply_policy
from mentiondesk.replies.handoff import do_hand_off
from mentiondesk.replies.policy import SignatureMode
from mentiondesk.replies.saved import (
    do_archive_saved_reply,
    do_save_saved_reply,
    render_for_case,
    search_saved_replies,
)
from mentiondesk.replies.settings import do_set_reply_policy, do_set_signature
from mentiondesk.web.deps import ActorDep, CsrfSessionDep, ServicesDep, SessionDep, WriteActorDep
from mentiondesk.web.pages.cases import render_case_page
from mentiondesk.web.rendering import render

router = APIRouter()


@router.post("/w/{slug}/cases/{case_id}/guard")
def live_guard(
    request: Request,
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    case_id: int,
    text: Annotated[str, Form()] = "",
    visibility: Annotated[ReplyVisibility, Form()] = ReplyVisibility.PUBLIC,
) -> Response:
    """The findings panel, swapped in by htmx while the agent types."""
    actor.require_case_work()
    findings: list[dict[str, object]] = []
    if text.strip():
        with services.uow() as uow:
            checked = check_draft(
                uow,
                actor,
                case_id,
                text,
                visibility=visibility,
                now=services.clock.now(),
                histories=services.reply_history,
            )
        findings = [finding_dict(f, checked.text) for f in checked.result.findings]
    return render(request, "_reply_findings.html", {"guard_findings": findings})


def _policy_page(
    request: Request,
    services: Services,
    session: WebSession,
    actor: Actor,
    slug: str,
    error: str = "",
) -> Response:
    actor.require_settings()
    with services.uow() as uow:
        policy = reply_policy(uow, actor.workspace.id)
    return render(
        request,
        "reply_settings.html",
        {
            "session": session,
            "actor": actor,
            "policy": policy,
            "modes": list(SignatureMode),
            "error": error,
        },
        status_code=422 if error else 200,
    )


@router.get("/w/{slug}/settings/replies")
def show_reply_policy(
    request: Request, services: ServicesDep, session: SessionDep, actor: ActorDep, slug: str
) -> Response:
    return _policy_page(request, services, session, actor, slug)


@router.post("/w/{slug}/settings/replies")
def save_reply_policy(
    request: Request,
    services: ServicesDep,
    session: CsrfSessionDep,
    actor: ActorDep,
    slug: str,
    signature_mode: Annotated[str, Form()],
    signature_format: Annotated[str, Form()],
    duplicate_threshold: Annotated[str, Form()],
    max_attempts: Annotated[str, Form()],
    requires_signature: Annotated[bool, Form()] = False,
) -> Response:
    data = {
        "requires_signature": requires_signature,
        "signature_mode": signature_mode,
        "signature_format": signature_format,
        "duplicate_threshold": duplicate_threshold.replace(",", "."),
        "max_attempts": max_attempts,
    }
    try:
        with services.uow() as uow:
            data["hotline"] = reply_policy(uow, actor.workspace.id).hotline
            do_set_reply_policy(uow, actor, data, now=services.clock.now())
    except InvalidInput as exc:
        return _policy_page(request, services, session, actor, slug, error=str(exc))
    return RedirectResponse(f"/w/{slug}/settings/replies", status_code=303)


@router.post("/w/{slug}/cases/{case_id}/replies/{reply_id}/retry")
def retry_reply(
    services: ServicesDep, actor: WriteActorDep, slug: str, case_id: int, reply_id: int
) -> Response:
    """Put a failed reply back in the outbox with its kept text, and try it now."""
    with services.uow() as uow:
        reply = reply_state(uow, actor, reply_id)
        if reply.case_id != case_id:
            raise NotFound(f"no reply {reply_id} in case {case_id}")
        do_retry_reply(uow, actor, reply_id, now=services.clock.now())
    return RedirectResponse(f"/w/{slug}/cases/{case_id}", status_code=303)


@router.post("/w/{slug}/cases/{case_id}/handoff")
def hand_off(
    request: Request,
    services: ServicesDep,
    session: CsrfSessionDep,
    actor: ActorDep,
    slug: str,
    case_id: int,
    text: Annotated[str, Form()],
    idempotency_key: Annotated[str, Form()],
    override_reason: Annotated[str, Form()] = "",
) -> Response:
    """ "Continue privately": the composer's text goes as a private message, with a public
    acknowledgement; a blocked private message answers 422 like a blocked reply."""
    try:
        with services.uow() as uow:
            do_hand_off(
                uow,
                actor,
                case_id,
                text,
                idempotency_key=idempotency_key,
                now=services.clock.now(),
                override_reason=override_reason or None,
            )
    except ReplyBlocked as exc:
        return render_case_page(
            request,
            services,
            session,
            actor,
            slug,
            case_id,
            error=f"Not sent: {exc.reason}.",
            draft=text,
            status_code=422,
            findings=[finding_dict(f, text) for f in exc.findings],
        )
    return RedirectResponse(f"/w/{slug}/cases/{case_id}", status_code=303)


@router.get("/me/signature")
def show_signature(request: Request, session: SessionDep) -> Response:
    return render(request, "signature.html", {"session": session, "error": ""})


@router.post("/me/signature")
def save_signature(
    request: Request,
    services: ServicesDep,
    session: CsrfSessionDep,
    signature: Annotated[str, Form()] = "",
) -> Response:
    try:
        with services.uow() as uow:
            do_set_signature(uow, session.user.id, signature)
    except InvalidInput as exc:
        return render(
            request, "signature.html", {"session": session, "error": str(exc)}, status_code=422
        )
    return RedirectResponse("/me/signature", status_code=303)


# -- saved replies ----------------------------------------------------------------------------
def _saved_page(
    request: Request,
    services: Services,
    session: WebSession,
    actor: Actor,
    slug: str,
    *,
    error: str = "",
    status_code: int = 200,
) -> Response:
    with services.uow() as uow:
        saved = search_saved_replies(uow, actor)
    return render(
        request,
        "saved_replies.html",
        {"session": session, "actor": actor, "saved": saved, "error": error},
        status_code=status_code,
    )


@router.get("/w/{slug}/saved-replies")
def show_saved_replies(
    request: Request, services: ServicesDep, session: SessionDep, actor: ActorDep, slug: str
) -> Response:
    return _saved_page(request, services, session, actor, slug)


@router.post("/w/{slug}/saved-replies")
def create_saved_reply(
    request: Request,
    services: ServicesDep,
    session: CsrfSessionDep,
    actor: ActorDep,
    slug: str,
    language: Annotated[str, Form()],
    title: Annotated[str, Form()],
    body: Annotated[str, Form()],
    tags: Annotated[str, Form()] = "",
) -> Response:
    try:
        with services.uow() as uow:
            do_save_saved_reply(
                uow,
                actor,
                language=language,
                title=title,
                body=body,
                tags=tags.split(","),
                now=services.clock.now(),
            )
    except InvalidInput as exc:
        return _saved_page(request, services, session, actor, slug, error=str(exc), status_code=422)
    return RedirectResponse(f"/w/{slug}/saved-replies", status_code=303)


@router.post("/w/{slug}/saved-replies/{saved_id}/archive")
def archive_saved_reply(
    services: ServicesDep, actor: WriteActorDep, slug: str, saved_id: int
) -> Response:
    with services.uow() as uow:
        do_archive_saved_reply(uow, actor, saved_id, now=services.clock.now())
    return RedirectResponse(f"/w/{slug}/saved-replies", status_code=303)


@router.get("/w/{slug}/cases/{case_id}/saved-replies")
def saved_reply_results(
    request: Request,
    services: ServicesDep,
    actor: ActorDep,
    slug: str,
    case_id: int,
    q: str = "",
    language: str = "",
) -> Response:
    """The composer's search dropdown (htmx)."""
    with services.uow() as uow:
        found = search_saved_replies(uow, actor, q, language=language or None)
    return render(
        request,
        "_saved_reply_results.html",
        {"actor": actor, "case_id": case_id, "found": found[:10]},
    )


@router.get("/w/{slug}/cases/{case_id}/saved-replies/{saved_id}")
def saved_reply_text(
    services: ServicesDep, actor: ActorDep, slug: str, case_id: int, saved_id: int
) -> PlainTextResponse:
    """The saved reply filled in for this case, as plain text for the composer to insert."""
    with services.uow() as uow:
        _saved, rendered = render_for_case(uow, actor, case_id, saved_id)
    return PlainTextResponse(rendered.text)
