"""API v1 for replies: the live guard, hand-off, policy, signature, saved replies and the
approval requests for blocked replies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from mentiondesk.desk.outbox_service import reply_state
from mentiondesk.domain.approval_requests import ApprovalRequest, ApprovalStatus
from mentiondesk.domain.replies import ReplyVisibility
from mentiondesk.domain.saved_replies import SavedReply
from mentiondesk.replies.approvals import (
    do_approve_request,
    do_reject_request,
    do_request_approval,
    get_request,
    list_requests,
)
from mentiondesk.replies.composer import ReplyBlocked, check_draft, finding_dict, reply_policy
from mentiondesk.replies.handoff import do_hand_off
from mentiondesk.replies.saved import (
    do_archive_saved_reply,
    do_save_saved_reply,
    render_for_case,
    search_saved_replies,
)
from mentiondesk.replies.settings import do_set_reply_policy, do_set_signature
from mentiondesk.web.api.schemas import ReplyPublic
from mentiondesk.web.deps import ActorDep, CsrfSessionDep, ServicesDep, WriteActorDep

router = APIRouter(prefix="/api/v1", tags=["replies"])


class DraftCheck(BaseModel):
    text: str = Field(max_length=10_000)
    visibility: ReplyVisibility = ReplyVisibility.PUBLIC


class HandOffCreate(BaseModel):
    text: str = Field(min_length=1, max_length=10_000, description="The private message.")
    idempotency_key: str = Field(min_length=1, max_length=90)
    acknowledgement: str | None = Field(
        default=None, max_length=1000, description="The public line; a default per language."
    )
    override_reason: str | None = Field(default=None, max_length=500)


class HandOffPublic(BaseModel):
    private: ReplyPublic
    public: ReplyPublic


class SignatureUpdate(BaseModel):
    signature: str = Field(max_length=100)


@router.post("/workspaces/{slug}/cases/{case_id}/guard")
def guard_draft(
    services: ServicesDep, actor: WriteActorDep, slug: str, case_id: int, body: DraftCheck
) -> dict[str, Any]:
    """The guard's findings for a draft, on the text as it would be sent (signed per policy)."""
    actor.require_case_work()
    with services.uow() as uow:
        checked = check_draft(
            uow,
            actor,
            case_id,
            body.text,
            visibility=body.visibility,
            now=services.clock.now(),
            histories=services.reply_history,
        )
    return {
        "text": checked.text,
        "blocked": checked.result.blocked,
        "findings": [finding_dict(f, checked.text) for f in checked.result.findings],
        "detected": checked.result.detected.to_dict(),
    }


@router.get("/workspaces/{slug}/reply-policy")
def get_reply_policy(services: ServicesDep, actor: ActorDep, slug: str) -> dict[str, Any]:
    with services.uow() as uow:
        return reply_policy(uow, actor.workspace.id).to_dict()


@router.put("/workspaces/{slug}/reply-policy")
def put_reply_policy(
    services: ServicesDep, actor: WriteActorDep, slug: str, body: dict[str, Any]
) -> dict[str, Any]:
    """Replace the policy (owners and admins): requires_signature, signature_mode
    (always | never | public_only), signature_format, duplicate_threshold, hotline
    (``{"time_zone": ..., "days": {"0": [["08:00", "17:00"]]}}``), max_attempts, and contacts
    (``{"phones": [...], "emails": [...], "websites": [...]}``: the workspace's own, which the
    guard never calls sensitive data)."""
    with services.uow() as uow:
        return do_set_reply_policy(uow, actor, body, now=services.clock.now()).to_dict()


@router.put("/me/signature")
def put_signature(
    services: ServicesDep, session: CsrfSessionDep, body: SignatureUpdate
) -> dict[str, str]:
    with services.uow() as uow:
        return {"signature": do_set_signature(uow, session.user.id, body.signature)}


@router.post(
    "/workspaces/{slug}/cases/{case_id}/handoff", response_model=HandOffPublic, status_code=201
)
def hand_off(
    services: ServicesDep, actor: WriteActorDep, slug: str, case_id: int, body: HandOffCreate
) -> HandOffPublic | JSONResponse:
    """Continue privately: a private message and a short public acknowledgement, same case."""
    try:
        with services.uow() as uow:
            done = do_hand_off(
                uow,
                actor,
                case_id,
                body.text,
                idempotency_key=body.idempotency_key,
                now=services.clock.now(),
                acknowledgement=body.acknowledgement,
                override_reason=body.override_reason,
            )
    except ReplyBlocked as exc:
        findings = [finding_dict(f, body.text) for f in exc.findings]
        detail = {"field": exc.field, "reason": exc.reason, "findings": findings}
        return JSONResponse({"detail": detail}, status_code=422)
    with services.uow() as uow:  # delivered (or queued for retry) when they committed
        return HandOffPublic(
            private=ReplyPublic.of(reply_state(uow, actor, done.private.id)),
            public=ReplyPublic.of(reply_state(uow, actor, done.public.id)),
        )


class SavedReplyIn(BaseModel):
    language: str = Field(min_length=2, max_length=8)
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=5_000)
    tags: list[str] = Field(default_factory=list)


class SavedReplyOut(BaseModel):
    id: int
    language: str
    title: str
    body: str
    tags: list[str]

    @classmethod
    def of(cls, saved: SavedReply) -> SavedReplyOut:
        return cls(
            id=saved.id,
            language=saved.language,
            title=saved.title,
            body=saved.body,
            tags=list(saved.tags),
        )


@router.get("/workspaces/{slug}/saved-replies", response_model=list[SavedReplyOut])
def list_saved_replies(
    services: ServicesDep, actor: ActorDep, slug: str, q: str = "", language: str = ""
) -> list[SavedReplyOut]:
    """Search titles and bodies; ``language`` puts that language's replies first."""
    with services.uow() as uow:
        found = search_saved_replies(uow, actor, q, language=language or None)
    return [SavedReplyOut.of(s) for s in found]


@router.post("/workspaces/{slug}/saved-replies", response_model=SavedReplyOut, status_code=201)
def create_saved_reply(
    services: ServicesDep, actor: WriteActorDep, slug: str, body: SavedReplyIn
) -> SavedReplyOut:
    with services.uow() as uow:
        saved = do_save_saved_reply(uow, actor, now=services.clock.now(), **body.model_dump())
    return SavedReplyOut.of(saved)


@router.put("/workspaces/{slug}/saved-replies/{saved_id}", response_model=SavedReplyOut)
def update_saved_reply(
    services: ServicesDep, actor: WriteActorDep, slug: str, saved_id: int, body: SavedReplyIn
) -> SavedReplyOut:
    with services.uow() as uow:
        saved = do_save_saved_reply(
            uow, actor, saved_id=saved_id, now=services.clock.now(), **body.model_dump()
        )
    return SavedReplyOut.of(saved)


@router.post("/workspaces/{slug}/saved-replies/{saved_id}/archive", status_code=204)
def archive_saved_reply(
    services: ServicesDep, actor: WriteActorDep, slug: str, saved_id: int
) -> None:
    """Take it out of use (nothing is deleted; saving the same title brings it back)."""
    with services.uow() as uow:
        do_archive_saved_reply(uow, actor, saved_id, now=services.clock.now())


@router.get("/workspaces/{slug}/cases/{case_id}/saved-replies/{saved_id}")
def render_saved_reply_for_case(
    services: ServicesDep, actor: ActorDep, slug: str, case_id: int, saved_id: int
) -> dict[str, Any]:
    """The saved reply filled in for the case; ``unfilled`` lists what stayed a placeholder."""
    with services.uow() as uow:
        _saved, rendered = render_for_case(uow, actor, case_id, saved_id)
    return {"text": rendered.text, "unfilled": list(rendered.unfilled)}


# -- approval requests ---------------------------------------------------------------------
class ApprovalRequestCreate(BaseModel):
    text: str = Field(min_length=1, max_length=10_000, description="The blocked draft.")
    idempotency_key: str = Field(min_length=1, max_length=100)
    visibility: ReplyVisibility = ReplyVisibility.PUBLIC
    note: str = Field(default="", max_length=500, description="A word to the approver.")


class ApprovalDecision(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class ApprovalRequestPublic(BaseModel):
    id: int
    case_id: int
    requested_by: int
    text: str
    visibility: str
    note: str
    status: str = Field(description="pending, approved (the reply was sent), or rejected.")
    blocking_checks: list[str]
    findings: list[dict[str, Any]]
    created_at: datetime
    decided_by: int | None
    decided_at: datetime | None
    decision_reason: str
    reply_id: int | None

    @classmethod
    def of(cls, request: ApprovalRequest) -> ApprovalRequestPublic:
        return cls(
            id=request.id,
            case_id=request.case_id,
            requested_by=request.requested_by,
            text=request.text,
            visibility=request.visibility,
            note=request.note,
            status=request.status.value,
            blocking_checks=request.blocking_checks,
            findings=list(request.findings),
            created_at=request.created_at,
            decided_by=request.decided_by,
            decided_at=request.decided_at,
            decision_reason=request.decision_reason,
            reply_id=request.reply_id,
        )


class ApprovalOutcome(BaseModel):
    request: ApprovalRequestPublic
    reply: ReplyPublic


@router.post(
    "/workspaces/{slug}/cases/{case_id}/approval-requests",
    response_model=ApprovalRequestPublic,
    status_code=201,
)
def request_approval(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    case_id: int,
    body: ApprovalRequestCreate,
) -> ApprovalRequestPublic:
    """Ask an owner or admin to let a blocked reply go out; the draft is kept. 422 when
    nothing blocks it (send it instead)."""
    with services.uow() as uow:
        request = do_request_approval(
            uow,
            actor,
            case_id,
            body.text,
            request_key=body.idempotency_key,
            now=services.clock.now(),
            visibility=body.visibility,
            note=body.note,
        )
    return ApprovalRequestPublic.of(request)


@router.get("/workspaces/{slug}/approval-requests", response_model=list[ApprovalRequestPublic])
def list_approval_requests(
    services: ServicesDep,
    actor: ActorDep,
    slug: str,
    status: Literal["pending", "approved", "rejected", "all"] = "pending",
    case_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> list[ApprovalRequestPublic]:
    """Newest first; pending by default."""
    wanted = None if status == "all" else ApprovalStatus(status)
    with services.uow() as uow:
        found = list_requests(uow, actor, status=wanted, case_id=case_id)
    return [ApprovalRequestPublic.of(r) for r in found]


@router.get(
    "/workspaces/{slug}/approval-requests/{request_id}", response_model=ApprovalRequestPublic
)
def get_approval_request(
    services: ServicesDep, actor: ActorDep, slug: str, request_id: int
) -> ApprovalRequestPublic:
    with services.uow() as uow:
        return ApprovalRequestPublic.of(get_request(uow, actor, request_id))


@router.post(
    "/workspaces/{slug}/approval-requests/{request_id}/approve", response_model=ApprovalOutcome
)
def approve_request(
    services: ServicesDep, actor: WriteActorDep, slug: str, request_id: int, body: ApprovalDecision
) -> ApprovalOutcome:
    """Owners and admins: send the kept draft as its author, the reason audited as the guard
    override; the reply is then delivered like any other (its status says whether it went)."""
    with services.uow() as uow:
        request, reply = do_approve_request(
            uow, actor, request_id, body.reason, now=services.clock.now()
        )
    with services.uow() as uow:
        delivered = reply_state(uow, actor, reply.id)
    return ApprovalOutcome(
        request=ApprovalRequestPublic.of(request), reply=ReplyPublic.of(delivered)
    )


@router.post(
    "/workspaces/{slug}/approval-requests/{request_id}/reject",
    response_model=ApprovalRequestPublic,
)
def reject_request(
    services: ServicesDep, actor: WriteActorDep, slug: str, request_id: int, body: ApprovalDecision
) -> ApprovalRequestPublic:
    """Owners and admins: refuse with a reason the agent reads on the case; nothing is sent."""
    with services.uow() as uow:
        request = do_reject_request(uow, actor, request_id, body.reason, now=services.clock.now())
    return ApprovalRequestPublic.of(request)
