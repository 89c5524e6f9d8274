"""Data-subject erasure (GDPR art. 17): the only way personal data leaves a workspace.

Owners and admins record who asked and on what legal ground. The author's posts, the replies
and private notes on their cases and their customer profile are replaced by a dated notice,
their name and handle by a pseudonym; every row, timestamp and label stays so that counts and
metrics do not move.

Erasure cannot be undone, so it takes two people: one owner or admin requests it (a
*pending* request, with a preview of what it will erase) and **another** approves it. Where a
workspace has a single owner or admin there is nobody else to ask; that person confirms by
typing the author's handle after seeing the preview. Each step is audited."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mentiondesk.desk.access import Actor
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied
from mentiondesk.domain.moderation import AuthorErased, erased_text
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.workspaces import Role
from mentiondesk.storage.unit_of_work import UnitOfWork

SECOND_APPROVER = "second approver"
TYPED_CONFIRMATION = "typed confirmation"


@dataclass(frozen=True, slots=True)
class ErasurePreview:
    """What an erasure of this author would replace: shown before anyone approves it."""

    author_id: int
    platform: str
    handle: str
    posts: int
    cases: int
    replies: int
    notes: int


@dataclass(frozen=True, slots=True)
class PendingErasure:
    request_id: int
    preview: ErasurePreview
    needs_typed_confirmation: bool  # True where the requester is the only owner or admin


@dataclass(frozen=True, slots=True)
class ErasureReceipt:
    request_id: int
    pseudonym: str
    posts_redacted: int
    completed_at: datetime


def _text(field: str, value: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(field, "is required")
    if len(value) > limit or any(ord(c) < 32 and c not in "\n\t" for c in value):
        raise InvalidInput(field, f"must be at most {limit} printable characters")
    return value


def _bare(handle: str) -> str:
    return handle.strip().lstrip("@").casefold()


def sole_approver(uow: UnitOfWork, actor: Actor) -> bool:
    """True when the actor is the workspace's only active owner or admin."""
    return uow.users.count_with_role(actor.workspace.id, (Role.OWNER, Role.ADMIN)) <= 1


def erasure_preview(uow: UnitOfWork, actor: Actor, *, platform: str, handle: str) -> ErasurePreview:
    actor.require_settings()
    try:
        platform_value = Platform(platform).value
    except ValueError:
        raise InvalidInput("platform", f"unknown platform {platform!r}") from None
    handle = _text("handle", handle, 200)
    ws = actor.workspace.id
    author = None
    for candidate in dict.fromkeys((handle, handle.lstrip("@"), "@" + handle.lstrip("@"))):
        author = uow.erasure.find_author(ws, platform_value, candidate)
        if author is not None:
            break
    if author is None:
        raise NotFound(f"no author {handle} on {platform_value} in {actor.workspace.name}")
    counts = uow.erasure.counts(ws, author.id)
    return ErasurePreview(author.id, platform_value, author.handle, **counts)


@dataclass(frozen=True, slots=True)
class _Ask:
    """What a request names: the author, who asked for the erasure, on what legal ground."""

    platform: str
    handle: str
    requested_by: str
    legal_reason: str
    received_at: datetime | None


def _record_request(
    uow: UnitOfWork, actor: Actor, ask: _Ask, now: datetime
) -> tuple[int, ErasurePreview, str]:
    actor.require_settings()
    requested_by = _text("requested_by", ask.requested_by, 320)
    legal_reason = _text("legal_reason", ask.legal_reason, 2000)
    preview = erasure_preview(uow, actor, platform=ask.platform, handle=ask.handle)
    request_id = uow.erasure.add_request(
        workspace_id=actor.workspace.id,
        platform=preview.platform,
        subject_handle=preview.handle,
        pseudonym="",
        requested_by=requested_by,
        legal_reason=legal_reason,
        approved_by=None,
        received_at=ask.received_at or now,
        completed_at=None,
        posts_redacted=0,
        status="pending",
        requester_id=actor.user.id,
        author_id=preview.author_id,
    )
    return request_id, preview, legal_reason


def do_request_erasure(
    uow: UnitOfWork,
    actor: Actor,
    *,
    platform: str,
    handle: str,
    requested_by: str,
    legal_reason: str,
    now: datetime,
    received_at: datetime | None = None,
) -> PendingErasure:
    """Record a pending erasure request; nothing is erased until it is approved."""
    request_id, preview, reason = _record_request(
        uow, actor, _Ask(platform, handle, requested_by, legal_reason, received_at), now
    )
    uow.audit.append(
        _request_entry(
            actor,
            request_id,
            preview,
            requested_by,
            reason,
            now,
            status="pending",
            preview=_counts(preview),
        )
    )
    uow.commit()
    return PendingErasure(request_id, preview, sole_approver(uow, actor))


def _request_entry(
    actor: Actor,
    request_id: int,
    subject: ErasurePreview,
    requested_by: str,
    reason: str,
    now: datetime,
    **data: Any,
) -> AuditEntry:
    """The ``erasure.request`` entry, whether the request waits for approval or is carried
    out at once; ``data`` says which."""
    return AuditEntry.by(
        actor,
        "erasure.request",
        f"author:{subject.author_id}",
        at=now,
        reason=reason,
        data={
            "request_id": request_id,
            "requested_by": requested_by.strip(),
            "platform": subject.platform,
            **data,
        },
    )


def _counts(preview: ErasurePreview) -> dict[str, int]:
    return {
        "posts": preview.posts,
        "cases": preview.cases,
        "replies": preview.replies,
        "notes": preview.notes,
    }


def _check_approval(
    uow: UnitOfWork, actor: Actor, requester_id: int | None, handle: str, confirmation: str | None
) -> str:
    """How this approval counts: a second person, or the sole owner/admin typing the handle."""
    actor.require_settings()
    if requester_id is not None and requester_id != actor.user.id:
        return SECOND_APPROVER
    if not sole_approver(uow, actor):
        raise PermissionDenied(
            "another owner or admin must approve an erasure you requested yourself"
        )
    if confirmation is None or _bare(confirmation) != _bare(handle):
        raise InvalidInput(
            "confirmation", f"type the author's handle ({handle}) to confirm the erasure"
        )
    return TYPED_CONFIRMATION


def _complete(
    uow: UnitOfWork, actor: Actor, request: Any, approval: str, now: datetime
) -> ErasureReceipt:
    pseudonym = f"erased-{secrets.token_hex(6)}"
    redacted = uow.erasure.redact_author(
        actor.workspace.id,
        request.author_id,
        pseudonym=pseudonym,
        replacement=erased_text(now.date()),
    )
    uow.erasure.complete_request(
        request.id,
        pseudonym=pseudonym,
        approved_by=actor.user.id,
        approval=approval,
        completed_at=now,
        posts_redacted=redacted,
    )
    uow.collect([AuthorErased(request.id, actor.workspace.id, redacted, now)])
    return ErasureReceipt(request.id, pseudonym, redacted, now)


def _pending(uow: UnitOfWork, actor: Actor, request_id: int) -> Any:
    request = uow.erasure.get_request(actor.workspace.id, request_id)
    if request is None:
        raise NotFound(f"no erasure request {request_id}")
    if request.status != "pending":
        raise InvalidTransition(f"erasure request {request_id} is already {request.status}")
    return request


def do_approve_erasure(
    uow: UnitOfWork,
    actor: Actor,
    request_id: int,
    *,
    now: datetime,
    confirmation: str | None = None,
) -> ErasureReceipt:
    """Approve a pending request and erase: by another owner or admin, or by the requester
    when they are the only one, with the author's handle typed as ``confirmation``."""
    actor.require_settings()
    request = _pending(uow, actor, request_id)
    approval = _check_approval(
        uow, actor, request.requester_id, request.subject_handle, confirmation
    )
    receipt = _complete(uow, actor, request, approval, now)
    uow.audit.append(
        AuditEntry.by(
            actor,
            "erasure.approve" if approval == SECOND_APPROVER else "erasure.confirm",
            f"author:{request.author_id}",
            at=now,
            reason=request.legal_reason,
            data={
                "request_id": request.id,
                "approval": approval,
                "requested_by": request.requested_by,
                "pseudonym": receipt.pseudonym,
                "posts_redacted": receipt.posts_redacted,
            },
        )
    )
    uow.commit()
    return receipt


def do_reject_erasure(
    uow: UnitOfWork, actor: Actor, request_id: int, *, reason: str, now: datetime
) -> None:
    """Close a pending request without erasing (e.g. the person could not be verified)."""
    actor.require_settings()
    request = _pending(uow, actor, request_id)
    reason = _text("reason", reason, 2000)
    uow.erasure.reject_request(request.id, rejected_by=actor.user.id)
    uow.audit.append(
        AuditEntry.by(
            actor,
            "erasure.reject",
            f"author:{request.author_id}",
            at=now,
            reason=reason,
            data={"request_id": request.id},
        )
    )
    uow.commit()


def do_erase_author(
    uow: UnitOfWork,
    actor: Actor,
    *,
    platform: str,
    handle: str,
    requested_by: str,
    legal_reason: str,
    now: datetime,
    received_at: datetime | None = None,
    confirmation: str | None = None,
) -> ErasureReceipt:
    """Request and erase in one step: only for a workspace's sole owner or admin, who types
    the author's handle as ``confirmation``. Elsewhere use ``do_request_erasure`` and let a
    colleague approve. One audit entry records the request and how it was approved."""
    actor.require_settings()
    if not sole_approver(uow, actor):
        raise PermissionDenied(
            "this workspace has several owners or admins: request the erasure and let "
            "another of them approve it"
        )
    request_id, preview, reason = _record_request(
        uow, actor, _Ask(platform, handle, requested_by, legal_reason, received_at), now
    )
    approval = _check_approval(uow, actor, None, preview.handle, confirmation)
    request = uow.erasure.get_request(actor.workspace.id, request_id)
    receipt = _complete(uow, actor, request, approval, now)
    uow.audit.append(
        _request_entry(
            actor,
            request_id,
            preview,
            requested_by,
            reason,
            now,
            approval=approval,
            preview=_counts(preview),
            pseudonym=receipt.pseudonym,
            posts_redacted=receipt.posts_redacted,
        )
    )
    uow.commit()
    return receipt


def do_submit_erasure(
    uow: UnitOfWork,
    actor: Actor,
    *,
    platform: str,
    handle: str,
    requested_by: str,
    legal_reason: str,
    now: datetime,
    received_at: datetime | None = None,
    confirmation: str | None = None,
) -> ErasureReceipt | PendingErasure:
    """A request as the page and the API take it: erased at once by a workspace's sole owner
    or admin (who typed the handle as ``confirmation``), otherwise pending for another."""
    if sole_approver(uow, actor):
        return do_erase_author(
            uow,
            actor,
            platform=platform,
            handle=handle,
            requested_by=requested_by,
            legal_reason=legal_reason,
            now=now,
            received_at=received_at,
            confirmation=confirmation,
        )
    return do_request_erasure(
        uow,
        actor,
        platform=platform,
        handle=handle,
        requested_by=requested_by,
        legal_reason=legal_reason,
        now=now,
        received_at=received_at,
    )


def erasure_requests(uow: UnitOfWork, actor: Actor) -> list[Any]:
    actor.require_settings()
    return list(uow.erasure.requests(actor.workspace.id))
