"""Reply pages: the composer's live guard and saved-reply search, hand-off, retry, the
reply policy form, one's signature, the saved replies of a workspace, and approval requests
for blocked replies."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import Actor
from mentiondesk.desk.accounts import WebSession
from mentiondesk.desk.outbox_service import do_retry_reply, reply_state
from mentiondesk.domain.approval_requests import ApprovalStatus
from mentiondesk.domain.errors import InvalidInput, InvalidTransition, NotFound
from mentiondesk.domain.replies import ReplyVisibility
from mentiondesk.replies.approvals import (
    approval_views,
    do_approve_request,
    do_reject_request,
    do_request_approval,
    get_request,
)
from mentiondesk.replies.composer import ReplyBlocked, check_draft, finding_dict, reply_policy
from mentiondesk.replies.handoff import do_hand_off
from mentiondesk.replies.policy import (
    CONTACT_KINDS,
    SignatureMode,
    hotline_from_form,
    hotline_hours_text,
)
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
                triager=services.triager,
            )
        findings = [finding_dict(f, checked.text) for f in checked.result.findings]
    return render(request, "_reply_findings.html", {"guard_findings": findings})


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _policy_page(
    request: Request,
    services: Services,
    session: WebSession,
    actor: Actor,
    slug: str,
    error: str = "",
    submitted: dict[str, Any] | None = None,
) -> Response:
    """The form; after a refused save it shows what was typed, not what is stored."""
    actor.require_settings()
    with services.uow() as uow:
        policy = reply_policy(uow, actor.workspace.id)
    hotline = policy.hotline or {}
    form = {
        "hours": hotline_hours_text(policy.hotline),
        "time_zone": hotline.get("time_zone") or actor.workspace.time_zone,
        **{kind: "\n".join(policy.contacts.get(kind, ())) for kind in CONTACT_KINDS},
        **(submitted or {}),
    }
    return render(
        request,
        "reply_settings.html",
        {
            "session": session,
            "actor": actor,
            "policy": policy,
            "modes": list(SignatureMode),
            "error": error,
            "form": form,
            "weekdays": WEEKDAYS,
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
    hotline_time_zone: Annotated[str | None, Form(max_length=64)] = None,
    hotline_0: Annotated[str, Form(max_length=100)] = "",
    hotline_1: Annotated[str, Form(max_length=100)] = "",
    hotline_2: Annotated[str, Form(max_length=100)] = "",
    hotline_3: Annotated[str, Form(max_length=100)] = "",
    hotline_4: Annotated[str, Form(max_length=100)] = "",
    hotline_5: Annotated[str, Form(max_length=100)] = "",
    hotline_6: Annotated[str, Form(max_length=100)] = "",
    phones: Annotated[str | None, Form(max_length=2000)] = None,
    emails: Annotated[str | None, Form(max_length=2000)] = None,
    websites: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    """Save the policy; the hotline's hours and the workspace's own contact details are kept
    as stored when the form leaves them out (an older form), replaced when it sends them."""
    hours = [hotline_0, hotline_1, hotline_2, hotline_3, hotline_4, hotline_5, hotline_6]
    typed = {"phones": phones, "emails": emails, "websites": websites}
    data: dict[str, Any] = {
        "requires_signature": requires_signature,
        "signature_mode": signature_mode,
        "signature_format": signature_format,
        "duplicate_threshold": duplicate_threshold.replace(",", "."),
        "max_attempts": max_attempts,
    }
    try:
        with services.uow() as uow:
            stored = reply_policy(uow, actor.workspace.id)
            if hotline_time_zone is None:
                data["hotline"] = stored.hotline
            else:
                data["hotline"] = hotline_from_form(hotline_time_zone, hours)
            data["contacts"] = {
                kind: (value if value is not None else list(stored.contacts.get(kind, ())))
                for kind, value in typed.items()
            }
            do_set_reply_policy(uow, actor, data, now=services.clock.now())
    except InvalidInput as exc:
        submitted: dict[str, Any] = {k: v for k, v in typed.items() if v is not None}
        if hotline_time_zone is not None:
            submitted |= {"hours": hours, "time_zone": hotline_time_zone}
        return _policy_page(
            request, services, session, actor, slug, error=str(exc), submitted=submitted
        )
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
    saved_id: Annotated[str, Form()] = "",
) -> Response:
    """Create a saved reply, or edit ``saved_id`` in place."""
    try:
        with services.uow() as uow:
            do_save_saved_reply(
                uow,
                actor,
                language=language,
                title=title,
                body=body,
                tags=tags.split(","),
                saved_id=int(saved_id) if saved_id.isdigit() else None,
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


# -- approval requests ----------------------------------------------------------------------
@router.post("/w/{slug}/cases/{case_id}/approval-requests")
def request_approval(
    request: Request,
    services: ServicesDep,
    session: CsrfSessionDep,
    actor: ActorDep,
    slug: str,
    case_id: int,
    text: Annotated[str, Form(max_length=10_000)],
    idempotency_key: Annotated[str, Form(max_length=100)],
    visibility: Annotated[ReplyVisibility, Form()] = ReplyVisibility.PUBLIC,
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """The blocked composer's "Ask for approval": the draft is kept for an owner or admin."""
    try:
        with services.uow() as uow:
            do_request_approval(
                uow,
                actor,
                case_id,
                text,
                request_key=idempotency_key,
                now=services.clock.now(),
                visibility=visibility,
                note=note,
            )
    except InvalidInput as exc:
        return render_case_page(
            request,
            services,
            session,
            actor,
            slug,
            case_id,
            error=f"Not asked: {exc}.",
            draft=text,
            status_code=422,
        )
    return RedirectResponse(f"/w/{slug}/cases/{case_id}#approvals", status_code=303)


def _statuses() -> list[str]:
    return [s.value for s in ApprovalStatus] + ["all"]


@router.get("/w/{slug}/approval-requests")
def show_approval_requests(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: ActorDep,
    slug: str,
    status: str = "pending",
) -> Response:
    """Every request of the workspace, pending first by default; owners and admins decide."""
    wanted = None if status == "all" else ApprovalStatus(status) if status in _statuses() else None
    with services.uow() as uow:
        views = approval_views(uow, actor, status=wanted)
    return render(
        request,
        "approval_requests.html",
        {
            "session": session,
            "actor": actor,
            "approvals": views,
            "status": status if status in _statuses() else "all",
            "statuses": _statuses(),
        },
    )


def _back(slug: str, next_page: str, case_id: int) -> str:
    if next_page == "list":
        return f"/w/{slug}/approval-requests"
    return f"/w/{slug}/cases/{case_id}#approvals"


@router.post("/w/{slug}/approval-requests/{request_id}/{decision}")
def decide_approval_request(
    request: Request,
    services: ServicesDep,
    session: CsrfSessionDep,
    actor: ActorDep,
    slug: str,
    request_id: int,
    decision: str,
    reason: Annotated[str, Form(max_length=500)] = "",
    next_page: Annotated[str, Form(alias="next")] = "case",
) -> Response:
    """Approve (and send) or reject, with a reason; a refusal re-shows the case with it."""
    if decision not in ("approve", "reject"):
        raise NotFound(f"no action {decision!r}")
    with services.uow() as uow:
        case_id = get_request(uow, actor, request_id).case_id
    try:
        with services.uow() as uow:
            if decision == "approve":
                do_approve_request(uow, actor, request_id, reason, now=services.clock.now())
            else:
                do_reject_request(uow, actor, request_id, reason, now=services.clock.now())
    except (InvalidInput, InvalidTransition) as exc:
        return render_case_page(
            request,
            services,
            session,
            actor,
            slug,
            case_id,
            error=f"Not {decision}d: {exc}.",
            status_code=422 if isinstance(exc, InvalidInput) else 409,
        )
    return RedirectResponse(_back(slug, next_page, case_id), status_code=303)
