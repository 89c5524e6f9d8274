"""Agents' actions on cases. Each is one transaction, audited, its events sent after commit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from mentiondesk.desk.access import Actor
from mentiondesk.domain import events
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.cases import Case
from mentiondesk.domain.errors import ConcurrentChange, InvalidInput, NotFound
from mentiondesk.domain.replies import MAX_REPLY_CHARS, Reply, ReplyVisibility, reply_limit
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["MAX_REPLY_CHARS"]  # kept importable from here for the callers that use it


def load_case(uow: UnitOfWork, actor: Actor, case_id: int, expected_version: int | None) -> Case:
    case = uow.cases.get(actor.workspace.id, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    if expected_version is not None and case.version != expected_version:
        raise ConcurrentChange(
            f"someone changed case {case_id} since you opened it; reload to see what changed"
        )
    return case


def _save(
    uow: UnitOfWork, actor: Actor, case: Case, action: str, now: datetime, **data: object
) -> Case:
    """Write the changed case, audit the action, and send its events after commit."""
    uow.cases.save(case)
    uow.audit.append(AuditEntry.by(actor, action, f"case:{case.id}", at=now, data=data))
    uow.collect(case.events)
    uow.commit()
    return case


def do_assign_case(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    assignee_id: int | None,
    *,
    now: datetime,
    expected_version: int | None = None,
) -> Case:
    actor.require_case_work()
    case = load_case(uow, actor, case_id, expected_version)
    if assignee_id is not None:
        role = uow.users.role_in(assignee_id, actor.workspace.id)
        if role is None or not role.can_act_on_cases:
            raise InvalidInput("assignee", "is not an agent of this workspace")
    if assignee_id == case.assignee_id:
        return case  # nothing changes: keep the version so other open screens stay valid
    case.assign(assignee_id, actor.user.id, now)
    return _save(uow, actor, case, "case.assign", now, assignee_id=assignee_id)


def do_send_reply(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    text: str,
    *,
    idempotency_key: str,
    now: datetime,
    visibility: ReplyVisibility = ReplyVisibility.PUBLIC,
    expected_version: int | None = None,
    guard_override: Mapping[str, object] | None = None,
) -> Reply:
    """Record a reply for delivery and move the case to "waiting for customer".

    Submitting the same ``idempotency_key`` twice returns the first reply instead of sending
    a second one. ``guard_override`` (the reason and the overridden findings) is audited as
    ``reply.guard_override`` in the same transaction, so no overridden reply goes unrecorded."""
    actor.require_case_work()
    if not idempotency_key or len(idempotency_key) > 100:
        raise InvalidInput("idempotency_key", "must be 1-100 characters")
    existing = uow.replies.by_key(actor.workspace.id, idempotency_key)
    if existing is not None:
        if existing.case_id != case_id:
            raise InvalidInput("idempotency_key", "was already used for another reply")
        return existing
    text = text.strip()
    if not text:
        raise InvalidInput("text", "is empty")
    if len(text) > MAX_REPLY_CHARS:
        raise InvalidInput("text", f"is longer than {MAX_REPLY_CHARS} characters")
    case = load_case(uow, actor, case_id, expected_version)
    limit = reply_limit(case.platform.value, visibility)
    if len(text) > limit:
        where = f"a {visibility.value} reply on {case.platform.value}"
        raise InvalidInput("text", f"is {len(text)} characters; {where} takes at most {limit}")
    customer_posts = uow.posts.for_case(actor.workspace.id, case.id)
    answered = customer_posts[-1].id if customer_posts else None
    reply = Reply(
        id=0,
        workspace_id=actor.workspace.id,
        case_id=case.id,
        user_id=actor.user.id,
        text=text,
        created_at=now,
        visibility=visibility,
        in_reply_to_post_id=answered,
        idempotency_key=idempotency_key,
    )
    uow.replies.add(reply)
    case.record_reply(reply.id, actor.user.id, now)
    if case.assignee_id is None:
        case.assignee_id = actor.user.id
    uow.cases.save(case)
    uow.audit.append(
        AuditEntry.by(
            actor,
            "case.reply",
            f"case:{case.id}",
            at=now,
            data={"reply_id": reply.id, "visibility": visibility.value},
        )
    )
    if guard_override is not None:
        uow.audit.append(
            AuditEntry.by(
                actor,
                "reply.guard_override",
                f"case:{case.id}",
                at=now,
                reason=str(guard_override.get("reason", "")),
                data={"reply_id": reply.id, **guard_override},
            )
        )
    uow.collect(case.events)
    uow.collect([events.ReplyRecorded(reply.id, actor.workspace.id, case.id, now)])
    uow.commit()
    return reply


def do_resolve_case(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    *,
    now: datetime,
    expected_version: int | None = None,
) -> Case:
    actor.require_case_work()
    case = load_case(uow, actor, case_id, expected_version)
    case.resolve(actor.user.id, now)
    return _save(uow, actor, case, "case.resolve", now, resolution_seconds=case.resolution_seconds)


def do_reopen_case(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    *,
    now: datetime,
    expected_version: int | None = None,
) -> Case:
    actor.require_case_work()
    case = load_case(uow, actor, case_id, expected_version)
    case.reopen(actor.user.id, now)
    return _save(uow, actor, case, "case.reopen", now)
