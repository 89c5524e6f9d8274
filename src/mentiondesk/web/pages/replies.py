"""Reply pages: the composer's live guard panel, the reply policy form and one's signature."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from mentiondesk.domain.errors import InvalidInput, NotFound
from mentiondesk.domain.replies import ReplyVisibility
from mentiondesk.replies.composer import check_draft, finding_dict, reply_policy
from mentiondesk.replies.handoff import do_hand_off
from mentiondesk.replies.policy import SignatureMode
from mentiondesk.replies.settings import do_set_reply_policy, do_set_signature
from mentiondesk.web.deps import CsrfSessionDep, ServicesDep, SessionDep, actor_in
from mentiondesk.web.rendering import render

router = APIRouter()


@router.post("/w/{slug}/cases/{case_id}/guard")
def live_guard(
    request: Request,
    services: ServicesDep,
    session: CsrfSessionDep,
    slug: str,
    case_id: int,
    text: Annotated[str, Form()] = "",
    visibility: Annotated[ReplyVisibility, Form()] = ReplyVisibility.PUBLIC,
) -> Response:
    """The findings panel, swapped in by htmx while the agent types."""
    actor = actor_in(services, session, slug)
    actor.require_case_work()
    findings: list[dict[str, object]] = []
    if text.strip():
        with services.uow() as uow:
            checked = check_draft(
                uow, actor, case_id, text, visibility=visibility, now=services.clock.now()
            )
        findings = [finding_dict(f, checked.text) for f in checked.result.findings]
    return render(request, "_reply_findings.html", {"guard_findings": findings})


def _policy_page(
    request: Request, services: ServicesDep, session: SessionDep, slug: str, error: str = ""
) -> Response:
    actor = actor_in(services, session, slug)
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
    request: Request, services: ServicesDep, session: SessionDep, slug: str
) -> Response:
    return _policy_page(request, services, session, slug)


@router.post("/w/{slug}/settings/replies")
def save_reply_policy(
    request: Request,
    services: ServicesDep,
    session: CsrfSessionDep,
    slug: str,
    signature_mode: Annotated[str, Form()],
    signature_format: Annotated[str, Form()],
    duplicate_threshold: Annotated[str, Form()],
    max_attempts: Annotated[str, Form()],
    requires_signature: Annotated[bool, Form()] = False,
) -> Response:
    actor = actor_in(services, session, slug)
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
        return _policy_page(request, services, session, slug, error=str(exc))
    return RedirectResponse(f"/w/{slug}/settings/replies", status_code=303)


@router.post("/w/{slug}/cases/{case_id}/replies/{reply_id}/retry")
def retry_reply(
    services: ServicesDep, session: CsrfSessionDep, slug: str, case_id: int, reply_id: int
) -> Response:
    """Put a failed reply back in the outbox with its kept text, and try it now."""
    actor = actor_in(services, session, slug)
    actor.require_case_work()
    with services.uow() as uow:
        reply = uow.replies.get(actor.workspace.id, reply_id)
    if reply is None or reply.case_id != case_id:
        raise NotFound(f"no reply {reply_id} in case {case_id}")
    services.delivery.do_retry_failed(actor.workspace.id, reply_id)
    return RedirectResponse(f"/w/{slug}/cases/{case_id}", status_code=303)


@router.post("/w/{slug}/cases/{case_id}/handoff")
def hand_off(
    services: ServicesDep,
    session: CsrfSessionDep,
    slug: str,
    case_id: int,
    text: Annotated[str, Form()],
    idempotency_key: Annotated[str, Form()],
    override_reason: Annotated[str, Form()] = "",
) -> Response:
    """ "Continue privately": the composer's text goes as a private message, with a public
    acknowledgement; a blocked private message answers 422 like a blocked reply."""
    actor = actor_in(services, session, slug)
    with services.uow() as uow:
        done = do_hand_off(
            uow,
            actor,
            case_id,
            text,
            idempotency_key=idempotency_key,
            now=services.clock.now(),
            override_reason=override_reason or None,
        )
    services.delivery.deliver(actor.workspace.id, done.private.id)
    services.delivery.deliver(actor.workspace.id, done.public.id)
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
