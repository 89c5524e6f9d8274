"""API v1 for replies: the live guard, hand-off, policy, signature and saved replies."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from mentiondesk.desk.outbox_service import reply_state
from mentiondesk.domain.replies import ReplyVisibility
from mentiondesk.domain.saved_replies import SavedReply
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
    (always | never | public_only), signature_format, duplicate_threshold, hotline,
    max_attempts."""
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
