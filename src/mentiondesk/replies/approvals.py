"""Approval requests: the way forward when the guard blocks an agent's reply.

An agent may not override a blocking finding, so instead of looping on "not sent" they ask:
the draft is kept with the findings that blocked it. An owner or admin sees the pending
requests (on the case and in one list) and approves or rejects them with a reason. Approval
sends the reply through the one send path (``do_send_guarded_reply``), as the agent who wrote
it, with the approver's reason recorded as the guard override; the shell then hands it to
delivery as for any other reply. Every step is audited. The decision is a conditional update
on a pending row, so two approvers clicking at once cannot send it twice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from mentiondesk.desk.access import Actor
from mentiondesk.domain.approval_requests import ApprovalRequest, ApprovalStatus
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied
from mentiondesk.domain.replies import Reply, ReplyVisibility
from mentiondesk.replies.composer import (
    MAX_OVERRIDE_REASON,
    GuardApproval,
    check_draft,
    do_send_guarded_reply,
    finding_dict,
)
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = [
    "MAX_NOTE",
    "ApprovalView",
    "approval_views",
    "do_approve_request",
    "do_reject_request",
    "do_request_approval",
    "get_request",
    "list_requests",
]

MAX_NOTE = 500
MAX_DRAFT = 10_000


def _audit(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    request: ApprovalRequest,
    now: datetime,
    **data: object,
) -> None:
    uow.audit.append(
        AuditEntry.by(
            actor,
            action,
            f"case:{request.case_id}",
            at=now,
            reason=str(data.pop("reason", "")),
            data={"approval_request": request.id, **data},
        )
    )


def do_request_approval(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    text: str,
    *,
    request_key: str,
    now: datetime,
    visibility: ReplyVisibility = ReplyVisibility.PUBLIC,
    note: str = "",
) -> ApprovalRequest:
    """Keep a blocked draft for an owner or admin to decide on; asking twice with the same
    ``request_key`` returns the first request. A draft nothing blocks is refused: send it."""
    actor.require_case_work()
    if not request_key or len(request_key) > 100:
        raise InvalidInput("idempotency_key", "must be 1-100 characters")
    existing = uow.approvals.by_key(actor.workspace.id, request_key)
    if existing is not None:
        if existing.case_id != case_id:
            raise InvalidInput("idempotency_key", "was already used for another request")
        return existing
    draft = text.strip()
    if not draft:
        raise InvalidInput("text", "is empty")
    if len(draft) > MAX_DRAFT:
        raise InvalidInput("text", f"is longer than {MAX_DRAFT} characters")
    note = " ".join(note.split())
    if len(note) > MAX_NOTE:
        raise InvalidInput("note", f"is longer than {MAX_NOTE} characters")
    checked = check_draft(uow, actor, case_id, draft, visibility=visibility, now=now)
    if not checked.result.blocked:
        raise InvalidInput("text", "nothing blocks this reply: send it")
    request = ApprovalRequest(
        id=0,
        workspace_id=actor.workspace.id,
        case_id=case_id,
        requested_by=actor.user.id,
        text=draft,
        visibility=visibility.value,
        findings=tuple(finding_dict(f, checked.text) for f in checked.result.findings),
        note=note,
        status=ApprovalStatus.PENDING,
        created_at=now,
        request_key=request_key,
    )
    stored = replace(request, id=uow.approvals.add(request))
    _audit(
        uow, actor, "reply.approval_requested", stored, now,
        reason=note, checks=stored.blocking_checks,
    )  # fmt: skip
    uow.commit()
    return stored


def get_request(uow: UnitOfWork, actor: Actor, request_id: int) -> ApprovalRequest:
    request = uow.approvals.get(actor.workspace.id, request_id)
    if request is None:
        raise NotFound(f"no approval request {request_id}")
    return request


def list_requests(
    uow: UnitOfWork,
    actor: Actor,
    *,
    status: ApprovalStatus | None = ApprovalStatus.PENDING,
    case_id: int | None = None,
) -> list[ApprovalRequest]:
    """Newest first; everyone in the workspace may see them (agents see their own waiting)."""
    return uow.approvals.listed(actor.workspace.id, status=status, case_id=case_id)


@dataclass(frozen=True, slots=True)
class ApprovalView:
    """A request as pages show it: with the names of who asked and who decided."""

    request: ApprovalRequest
    requested_by_name: str
    decided_by_name: str


def approval_views(
    uow: UnitOfWork,
    actor: Actor,
    *,
    status: ApprovalStatus | None = ApprovalStatus.PENDING,
    case_id: int | None = None,
) -> list[ApprovalView]:
    names: dict[int, str] = {}

    def name(user_id: int | None) -> str:
        if user_id is None:
            return ""
        if user_id not in names:
            user = uow.users.get(user_id)
            names[user_id] = user.name if user else f"user {user_id}"
        return names[user_id]

    return [
        ApprovalView(r, name(r.requested_by), name(r.decided_by))
        for r in list_requests(uow, actor, status=status, case_id=case_id)
    ]


def _decision(actor: Actor, request: ApprovalRequest, reason: str) -> str:
    if not actor.role.can_manage_settings:
        raise PermissionDenied(f"a {actor.role.value} cannot decide on approval requests")
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput("reason", "say why")
    if len(reason) > MAX_OVERRIDE_REASON:
        raise InvalidInput("reason", f"is longer than {MAX_OVERRIDE_REASON} characters")
    if request.status is not ApprovalStatus.PENDING:
        raise InvalidTransition(f"approval request {request.id} is already {request.status}")
    return reason


def _requester(uow: UnitOfWork, actor: Actor, request: ApprovalRequest) -> Actor:
    user = uow.users.get(request.requested_by)
    role = uow.users.role_in(request.requested_by, actor.workspace.id) if user else None
    if user is None or role is None or not role.can_act_on_cases:
        raise InvalidInput(
            "approval_request", "its author no longer works in this workspace: reject it"
        )
    return Actor(user, actor.workspace, role)


def do_approve_request(
    uow: UnitOfWork, actor: Actor, request_id: int, reason: str, *, now: datetime
) -> tuple[ApprovalRequest, Reply]:
    """Approve and send (owners and admins, not on their own request): the reply is recorded
    by its author with ``reason`` as the guard override; the outbox delivers it after commit."""
    request = get_request(uow, actor, request_id)
    reason = _decision(actor, request, reason)
    if request.requested_by == actor.user.id:
        raise PermissionDenied("approve someone else's request; send your own with a reason")
    author = _requester(uow, actor, request)
    if not uow.approvals.decide(
        request.id, ApprovalStatus.APPROVED, decided_by=actor.user.id, at=now, reason=reason
    ):
        raise InvalidTransition(f"approval request {request.id} was decided meanwhile")
    _audit(uow, actor, "reply.approval_approved", request, now, reason=reason)
    reply = do_send_guarded_reply(  # commits the decision, the reply and their audit together
        uow,
        author,
        request.case_id,
        request.text,
        idempotency_key=f"approval-{request.id}",
        now=now,
        visibility=ReplyVisibility(request.visibility),
        approval=GuardApproval(reason=reason, approved_by=actor.user.id, request_id=request.id),
    )
    uow.approvals.set_reply(request.id, reply.id)
    uow.commit()
    return get_request(uow, actor, request.id), reply


def do_reject_request(
    uow: UnitOfWork, actor: Actor, request_id: int, reason: str, *, now: datetime
) -> ApprovalRequest:
    """Reject with a reason the agent will read on the case; nothing is sent."""
    request = get_request(uow, actor, request_id)
    reason = _decision(actor, request, reason)
    if not uow.approvals.decide(
        request.id, ApprovalStatus.REJECTED, decided_by=actor.user.id, at=now, reason=reason
    ):
        raise InvalidTransition(f"approval request {request.id} was decided meanwhile")
    _audit(uow, actor, "reply.approval_rejected", request, now, reason=reason)
    uow.commit()
    return get_request(uow, actor, request.id)
