"""API v1 routes: thin translations between HTTP and the desk's services."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from mentiondesk.desk.case_actions import (
    do_assign_case,
    do_reopen_case,
    do_resolve_case,
)
from mentiondesk.desk.inbox import case_view, inbox_page
from mentiondesk.pipeline.payload import MAX_PAYLOAD_BYTES, InboundPostPayload
from mentiondesk.replies.composer import ReplyBlocked, do_send_guarded_reply, finding_dict
from mentiondesk.web.api.schemas import (
    AssignRequest,
    CaseAssignment,
    CaseDetail,
    CasePage,
    CaseTransition,
    IngestResultPublic,
    ReplyCreate,
    ReplyPublic,
    TransitionRequest,
    WorkspacePublic,
)
from mentiondesk.web.deps import ActorDep, ServicesDep, SessionDep, WriteActorDep
from mentiondesk.web.pages.inbox import InboxQueryDep
from mentiondesk.web.security import SIGNATURE_HEADER, signature_valid

router = APIRouter(prefix="/api/v1", tags=["api"])


@router.get("/workspaces", response_model=list[WorkspacePublic])
def list_workspaces(services: ServicesDep, session: SessionDep) -> list[WorkspacePublic]:
    with services.uow() as uow:
        return [
            WorkspacePublic(
                slug=w.slug,
                name=w.name,
                role=r.value,
                time_zone=w.time_zone,
                languages=list(w.languages),
            )
            for w, r in uow.workspaces.for_user(session.user.id)
        ]


@router.get("/workspaces/{slug}/cases", response_model=CasePage)
def list_cases(
    services: ServicesDep,
    session: SessionDep,
    actor: ActorDep,
    slug: str,
    query: InboxQueryDep,
) -> CasePage:
    """The inbox, filtered and sorted as on the inbox page (see ``InboxQuery``). The active
    inbox leaves out cases snoozed until later."""
    f = query.to_filter(session.user.id, services.clock.now())
    with services.uow() as uow:
        return CasePage.of(inbox_page(uow, actor, f))


@router.get("/workspaces/{slug}/cases/{case_id}", response_model=CaseDetail)
def get_case(services: ServicesDep, actor: ActorDep, slug: str, case_id: int) -> CaseDetail:
    with services.uow() as uow:
        return CaseDetail.of(case_view(uow, actor, case_id))


@router.post(
    "/workspaces/{slug}/cases/{case_id}/replies",
    response_model=ReplyPublic,
    status_code=201,
    responses={
        422: {"description": "Invalid, or blocked by the reply guard (``detail.findings``)."},
        403: {"description": "Only owners and admins may override the guard."},
    },
)
def create_reply(
    services: ServicesDep, actor: WriteActorDep, slug: str, case_id: int, body: ReplyCreate
) -> ReplyPublic | JSONResponse:
    """Guard, record and deliver the reply, and return its state. A blocking finding answers
    422 listing the findings unless an owner or admin gives ``override_reason``."""
    try:
        with services.uow() as uow:
            reply = do_send_guarded_reply(
                uow,
                actor,
                case_id,
                body.text,
                idempotency_key=body.idempotency_key,
                now=services.clock.now(),
                visibility=body.visibility,
                expected_version=body.expected_version,
                override_reason=body.override_reason,
            )
    except ReplyBlocked as exc:
        findings = [finding_dict(f, body.text) for f in exc.findings]
        detail = {"field": exc.field, "reason": exc.reason, "findings": findings}
        return JSONResponse({"detail": detail}, status_code=422)
    return ReplyPublic.of(services.delivery.deliver(actor.workspace.id, reply.id))


@router.post("/workspaces/{slug}/cases/{case_id}/assign", response_model=CaseAssignment)
def assign_case(
    services: ServicesDep, actor: WriteActorDep, slug: str, case_id: int, body: AssignRequest
) -> CaseAssignment:
    with services.uow() as uow:
        case = do_assign_case(
            uow,
            actor,
            case_id,
            body.assignee_id,
            now=services.clock.now(),
            expected_version=body.expected_version,
        )
    return CaseAssignment(
        id=case.id, status=case.status.value, assignee_id=case.assignee_id, version=case.version
    )


def _transition_result(case: Any) -> CaseTransition:
    return CaseTransition(
        id=case.id,
        status=case.status.value,
        version=case.version,
        resolved_at=case.resolved_at,
        resolution_seconds=case.resolution_seconds,
    )


@router.post("/workspaces/{slug}/cases/{case_id}/resolve", response_model=CaseTransition)
def resolve_case(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    case_id: int,
    body: TransitionRequest,
) -> CaseTransition:
    with services.uow() as uow:
        case = do_resolve_case(
            uow, actor, case_id, now=services.clock.now(), expected_version=body.expected_version
        )
    return _transition_result(case)


@router.post("/workspaces/{slug}/cases/{case_id}/reopen", response_model=CaseTransition)
def reopen_case(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    case_id: int,
    body: TransitionRequest,
) -> CaseTransition:
    with services.uow() as uow:
        case = do_reopen_case(
            uow, actor, case_id, now=services.clock.now(), expected_version=body.expected_version
        )
    return _transition_result(case)


@router.post(
    "/inbound/{source}",
    response_model=IngestResultPublic,
    responses={
        200: {"description": "Already stored: nothing changed."},
        400: {"description": "Body is not JSON; kept for inspection."},
        401: {"description": "Missing or wrong signature."},
        413: {"description": "Body too large; kept (truncated) for inspection."},
        422: {"description": "A field is invalid; the reason names it. Kept for inspection."},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": InboundPostPayload.model_json_schema()}},
        }
    },
)
async def inbound(
    request: Request,
    services: ServicesDep,
    source: str,
    x_mentiondesk_signature: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Ingest one post from a named source. Sign the raw body with the source's secret:
    ``X-Mentiondesk-Signature: sha256=<hex HMAC-SHA256>``. Re-sending a post is harmless."""
    with services.uow() as uow:
        row = uow.sources.get(source)
        workspace = uow.workspaces.get(row.workspace_id) if row else None
    body = await request.body()
    if (
        row is None
        or workspace is None
        or not signature_valid(
            row.secret, body, x_mentiondesk_signature or request.headers.get(SIGNATURE_HEADER)
        )
    ):
        return JSONResponse({"detail": "unknown source or bad signature"}, status_code=401)
    pipeline = services.pipeline
    if len(body) > MAX_PAYLOAD_BYTES:
        result = pipeline.reject(
            workspace,
            body[:MAX_PAYLOAD_BYTES].decode("utf-8", "replace"),
            source=source,
            field="body",
            reason=f"larger than {MAX_PAYLOAD_BYTES} bytes",
        )
        return JSONResponse(IngestResultPublic(**_fields(result)).model_dump(), status_code=413)
    try:
        raw = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        result = pipeline.reject(
            workspace,
            body.decode("utf-8", "replace"),
            source=source,
            field="body",
            reason=f"invalid JSON: {exc}",
        )
        return JSONResponse(IngestResultPublic(**_fields(result)).model_dump(), status_code=400)
    result = pipeline.ingest(workspace, raw, source=f"webhook:{source}")
    status = {"created": 202, "duplicate": 200, "rejected": 422}[result.status]
    return JSONResponse(IngestResultPublic(**_fields(result)).model_dump(), status_code=status)


def _fields(result: Any) -> dict[str, Any]:
    return {k: getattr(result, k) for k in IngestResultPublic.model_fields}
