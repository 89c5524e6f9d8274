"""API v1 routes: thin translations between HTTP and the desk's services."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from mentiondesk.bootstrap import Services
from mentiondesk.desk.case_actions import (
    do_assign_case,
    do_reopen_case,
    do_resolve_case,
)
from mentiondesk.desk.inbox import case_view, inbox_page
from mentiondesk.desk.outbox_service import reply_state
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.pipeline.jetstream import Names, connect, publish
from mentiondesk.pipeline.journal import do_journal_body
from mentiondesk.pipeline.payload import MAX_PAYLOAD_BYTES, InboundPostPayload, loads_json
from mentiondesk.pipeline.runner import IngestResult
from mentiondesk.replies.composer import ReplyBlocked, do_send_guarded_reply, finding_dict
from mentiondesk.triage.explain import thread_why
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
from mentiondesk.web.security import SignatureVerifier, timestamp_problem

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
    actor: ActorDep,
    slug: str,
    query: InboxQueryDep,
) -> CasePage:
    """The inbox, filtered and sorted as on the inbox page (see ``InboxQuery``). The active
    inbox leaves out cases snoozed until later."""
    f = query.to_filter(actor.user.id, services.clock.now())
    with services.uow() as uow:
        return CasePage.of(inbox_page(uow, actor, f))


@router.get("/workspaces/{slug}/cases/{case_id}", response_model=CaseDetail)
def get_case(services: ServicesDep, actor: ActorDep, slug: str, case_id: int) -> CaseDetail:
    with services.uow() as uow:
        view = case_view(uow, actor, case_id)
    return CaseDetail.of(view, thread_why(services.triager, [e.post for e in view.thread]))


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
    with services.uow() as uow:  # delivered (or queued for retry) when the reply committed
        return ReplyPublic.of(reply_state(uow, actor, reply.id))


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


WEBHOOK_MAX_BYTES = 1024 * 1024
"""Bytes read from a webhook body at most: more answers 413 without reading on."""


@router.post(
    "/inbound/{source}",
    response_model=IngestResultPublic,
    responses={
        200: {"description": "Already stored: nothing changed."},
        202: {"description": "Created; or kept as a ``dead-letter`` when storing it failed."},
        400: {"description": "Body is not UTF-8 JSON; kept for inspection."},
        401: {"description": "Unknown source, missing or wrong signature, or a stale timestamp."},
        413: {"description": "Body over 256 KiB: kept for inspection; over 1 MiB: not read."},
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
    x_mentiondesk_timestamp: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Ingest one post from a named source. Sign each request when you send it:
    ``X-Mentiondesk-Timestamp: <Unix seconds>`` and ``X-Mentiondesk-Signature:
    sha256=<hex HMAC-SHA256 of "{timestamp}." + raw body>`` with the source's secret. A
    timestamp more than 5 minutes away from the server's clock is refused, so a captured
    request cannot be replayed. Re-sending a post is harmless."""
    problem = timestamp_problem(x_mentiondesk_timestamp, services.clock.now().timestamp())
    if problem is None and not x_mentiondesk_signature:
        problem = "missing X-Mentiondesk-Signature header"
    if problem is not None:
        return _refused(401, problem)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > WEBHOOK_MAX_BYTES:
        return _refused(413, f"body larger than {WEBHOOK_MAX_BYTES} bytes; not read")
    row, workspace = await run_in_threadpool(_source, services, source)
    if row is None or workspace is None:
        return _refused(401, "unknown source or bad signature")
    assert x_mentiondesk_timestamp is not None
    verifier = SignatureVerifier(row.secret, int(x_mentiondesk_timestamp.strip()))
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > WEBHOOK_MAX_BYTES:
            return _refused(413, f"body larger than {WEBHOOK_MAX_BYTES} bytes; not read")
        verifier.update(chunk)
        chunks.append(chunk)
    if not verifier.matches(x_mentiondesk_signature):
        return _refused(401, "unknown source or bad signature")
    body = b"".join(chunks)
    if services.settings.nats_url and len(body) <= MAX_PAYLOAD_BYTES:
        published = await _publish_body(request, services, workspace, source, body)
        if published is not None:
            return JSONResponse(_outcome(published), status_code=202)
    result, status = await run_in_threadpool(_ingest_body, services, workspace, source, body)
    return JSONResponse(_outcome(result), status_code=status)


async def _publish_body(
    request: Request, services: Services, workspace: Workspace, source: str, body: bytes
) -> IngestResult | None:
    """Scaled mode: a JSON body goes to the JetStream stream, answered once the server
    stored it; None (handled as without NATS) when it is not JSON, so its refusal is kept
    and answered as always."""
    try:
        raw = loads_json(body)
    except InvalidInput:
        return None
    state = request.app.state
    if getattr(state, "jetstream", None) is None:
        assert services.settings.nats_url is not None
        names = Names(services.settings.nats_prefix, services.settings.nats_ack_wait)
        state.nats_client, state.jetstream = await connect(services.settings.nats_url, names)
    names = Names(services.settings.nats_prefix, services.settings.nats_ack_wait)
    await publish(state.jetstream, workspace.id, f"webhook:{source}", [raw], names)
    return IngestResult("queued")


def _source(services: Services, name: str) -> tuple[Any, Workspace | None]:
    with services.uow() as uow:
        row = uow.sources.get(name)
        return row, uow.workspaces.get(row.workspace_id) if row else None


def _ingest_body(
    services: Services, workspace: Workspace, source: str, body: bytes
) -> tuple[IngestResult, int]:
    """Turn an authenticated body into a post, or keep it with the reason it was refused;
    whatever goes wrong after the signature, the body is stored somewhere. The status: 202
    created (or kept as a dead letter for the operators, or, in journal mode, stored to be
    processed behind), 200 already stored, 400 not UTF-8 JSON, 413 too large, 422 a field is
    invalid (checked when the journal is drained, in journal mode)."""
    pipeline = services.pipeline
    if len(body) > MAX_PAYLOAD_BYTES:
        reason = f"larger than {MAX_PAYLOAD_BYTES} bytes"
        rejected = pipeline.reject(
            workspace, body, source=f"webhook:{source}", field="body", reason=reason
        )
        return rejected, 413
    try:
        raw = loads_json(body)
    except InvalidInput as exc:
        rejected = pipeline.reject(
            workspace, body, source=f"webhook:{source}", field=exc.field, reason=exc.reason
        )
        return rejected, 400
    if services.settings.webhook_journal:
        with services.uow() as uow:
            queued = do_journal_body(
                uow, workspace, f"webhook:{source}", body, clock=services.clock
            )
        return queued, 202
    result = pipeline.ingest(workspace, raw, source=f"webhook:{source}")
    status = {"duplicate": 200, "rejected": 422}.get(result.status, 202)
    return result, status


def _outcome(result: IngestResult) -> dict[str, Any]:
    fields = {k: getattr(result, k) for k in IngestResultPublic.model_fields if k != "detail"}
    if result.status == "rejected":
        fields["detail"] = {"field": result.field, "reason": result.reason}
    return IngestResultPublic(**fields).model_dump(exclude_none=False)


def _refused(status: int, reason: str) -> JSONResponse:
    return JSONResponse({"detail": reason}, status_code=status)
