"""API v1 for replies: the live guard, the workspace's reply policy and one's own signature."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from mentiondesk.domain.replies import ReplyVisibility
from mentiondesk.replies.composer import ReplyBlocked, check_draft, finding_dict, reply_policy
from mentiondesk.replies.handoff import do_hand_off
from mentiondesk.replies.settings import do_set_reply_policy, do_set_signature
from mentiondesk.web.api.schemas import ReplyPublic
from mentiondesk.web.deps import CsrfSessionDep, ServicesDep, SessionDep, actor_in

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
    services: ServicesDep, session: CsrfSessionDep, slug: str, case_id: int, body: DraftCheck
) -> dict[str, Any]:
    """The guard's findings for a draft, on the text as it would be sent (signed per policy)."""
    actor = actor_in(services, session, slug)
    actor.require_case_work()
    with services.uow() as uow:
        checked = check_draft(
            uow, actor, case_id, body.text, visibility=body.visibility, now=services.clock.now()
        )
    return {
        "text": checked.text,
        "blocked": checked.result.blocked,
        "findings": [finding_dict(f, checked.text) for f in checked.result.findings],
        "detected": checked.result.detected.to_dict(),
    }


@router.get("/workspaces/{slug}/reply-policy")
def get_reply_policy(services: ServicesDep, session: SessionDep, slug: str) -> dict[str, Any]:
    actor = actor_in(services, session, slug)
    with services.uow() as uow:
        return reply_policy(uow, actor.workspace.id).to_dict()


@router.put("/workspaces/{slug}/reply-policy")
def put_reply_policy(
    services: ServicesDep, session: CsrfSessionDep, slug: str, body: dict[str, Any]
) -> dict[str, Any]:
    """Replace the policy (owners and admins): requires_signature, signature_mode
    (always | never | public_only), signature_format, duplicate_threshold, hotline,
    max_attempts."""
    actor = actor_in(services, session, slug)
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
    services: ServicesDep, session: CsrfSessionDep, slug: str, case_id: int, body: HandOffCreate
) -> HandOffPublic | JSONResponse:
    """Continue privately: a private message and a short public acknowledgement, same case."""
    actor = actor_in(services, session, slug)
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
    delivery = services.delivery
    return HandOffPublic(
        private=ReplyPublic.of(delivery.deliver(actor.workspace.id, done.private.id)),
        public=ReplyPublic.of(delivery.deliver(actor.workspace.id, done.public.id)),
    )
