"""Sending a reply through the guard: the one path the case page, the API and hand-offs use.

The guard runs on the exact text that will go out (signature included), against the case as
stored, so what the composer showed live and what is enforced on send cannot drift apart. A
blocking finding refuses the send unless an owner or admin overrides it with a reason; the
override and the findings it overrode land in the audit log in the same transaction as the reply.
An agent, who may not override, asks for approval instead (``replies.approvals``); an approved
request comes back here as a ``GuardApproval``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from mentiondesk.desk.access import Actor
from mentiondesk.desk.case_actions import do_send_reply
from mentiondesk.domain.errors import InvalidInput, NotFound, PermissionDenied
from mentiondesk.domain.ports import Triager
from mentiondesk.domain.replies import Reply, ReplyVisibility
from mentiondesk.replies.guard import (
    Finding,
    GuardContext,
    GuardResult,
    Person,
    ReplyHistory,
    check_reply,
)
from mentiondesk.replies.history import ReplyHistoryCache
from mentiondesk.replies.language_check import language_mismatch
from mentiondesk.replies.policy import ReplyPolicy, sign
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = [
    "GuardApproval",
    "ReplyBlocked",
    "check_draft",
    "do_send_guarded_reply",
    "finding_dict",
    "guard_context",
    "reply_policy",
]

MAX_OVERRIDE_REASON = 500


@dataclass(frozen=True, slots=True)
class GuardApproval:
    """An owner's or admin's approval of a blocked draft, which lets its author send it."""

    reason: str
    approved_by: int
    request_id: int


class ReplyBlocked(InvalidInput):
    """The guard found something that must not go out; ``findings`` lists every finding."""

    def __init__(self, findings: tuple[Finding, ...]) -> None:
        blocking = sorted({f.check for f in findings if f.severity.value == "block"})
        super().__init__("text", "blocked by the reply guard: " + ", ".join(blocking))
        self.findings = findings


def finding_dict(finding: Finding, text: str) -> dict[str, Any]:
    """A finding as shells show it, with the offending piece of text."""
    return {
        **finding.to_dict(),
        "suggestion": finding.suggestion,
        "excerpt": text[finding.start : finding.end],
    }


def reply_policy(uow: UnitOfWork, workspace_id: int) -> ReplyPolicy:
    return ReplyPolicy.from_dict(uow.reply_settings.get(workspace_id))


def guard_context(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    *,
    visibility: ReplyVisibility,
    now: datetime,
    policy: ReplyPolicy | None = None,
) -> GuardContext:
    """What the guard needs to know about this case: the post answered, who wrote it, who else
    wrote in the thread, triage's language and intent, and the workspace's rules."""
    workspace = actor.workspace
    case = uow.cases.get(workspace.id, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    policy = policy or reply_policy(uow, workspace.id)
    posts = uow.posts.for_case(workspace.id, case.id)
    answered = posts[-1] if posts else None
    author = uow.authors.get(workspace.id, case.author_id)
    former: dict[str, Person] = {}
    for post in posts:
        if post.author_id != case.author_id:
            ref = post.inbound.author
            former.setdefault(ref.handle, Person(ref.name, ref.handle))
    triage = answered.triage if answered else None
    handles = tuple(h for hs in workspace.brand.handles.values() for h in hs)
    return GuardContext(
        post_text=answered.inbound.text if answered else "",
        author_name=author.name if author else "",
        author_handle=author.handle if author else "",
        former_authors=tuple(former.values()),
        platform=case.platform.value,
        language=triage.language if triage else None,
        intent=triage.intent.value if triage else None,
        public=visibility is ReplyVisibility.PUBLIC,
        settings=policy.guard_settings(
            time_zone=workspace.time_zone,
            order_pattern=uow.workspaces.order_pattern(workspace.id),
            brand_handles=handles,
        ),
        now=now,
    )


@dataclass(frozen=True, slots=True)
class CheckedDraft:
    """The text as it would be sent (signed per policy) and the guard's verdict on it."""

    text: str
    result: GuardResult


def check_draft(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    text: str,
    *,
    visibility: ReplyVisibility,
    now: datetime,
    histories: ReplyHistoryCache | None = None,
    triager: Triager | None = None,
) -> CheckedDraft:
    """Sign the draft as sending would and run every check, duplicates included (against the
    process's cached index when ``histories`` is given, else straight from the database);
    with a ``triager``, also warn when the reply's language is not the post's."""
    policy = reply_policy(uow, actor.workspace.id)
    public = visibility is ReplyVisibility.PUBLIC
    signed = sign(text.strip(), actor.user.signature, policy, public=public)
    ctx = guard_context(uow, actor, case_id, visibility=visibility, now=now, policy=policy)
    history: ReplyHistory
    if histories is None:
        history = uow.reply_settings.history(actor.workspace.id)
    else:
        local = now.astimezone(ZoneInfo(ctx.settings.time_zone))
        since = local.replace(hour=0, minute=0, second=0, microsecond=0)
        history = histories.history(uow, actor.workspace.id, since)
    result = check_reply(signed, ctx, history)
    if triager is not None:
        mismatch = language_mismatch(
            triager, text, ctx.language, languages=actor.workspace.languages, now=now
        )
        if mismatch is not None:
            result = replace(result, findings=(*result.findings, mismatch))
    return CheckedDraft(signed, result)


def do_send_guarded_reply(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    text: str,
    *,
    idempotency_key: str,
    now: datetime,
    visibility: ReplyVisibility = ReplyVisibility.PUBLIC,
    expected_version: int | None = None,
    override_reason: str | None = None,
    approval: GuardApproval | None = None,
) -> Reply:
    """Guard, sign and record a reply (see ``do_send_reply``); raises ``ReplyBlocked`` (422)
    on a blocking finding, and ``PermissionDenied`` when an agent tries to override one.
    ``approval`` (from ``replies.approvals``) overrides on the approver's authority."""
    actor.require_case_work()
    existing = uow.replies.by_key(actor.workspace.id, idempotency_key) if idempotency_key else None
    if existing is not None:  # a resubmission: the first send already passed the guard
        return do_send_reply(uow, actor, case_id, text, idempotency_key=idempotency_key, now=now)
    reason = approval.reason if approval else (override_reason or "").strip()
    if reason and not approval and not actor.role.can_manage_settings:
        raise PermissionDenied(f"a {actor.role.value} cannot override the reply guard")
    if len(reason) > MAX_OVERRIDE_REASON:
        raise InvalidInput("override_reason", f"is longer than {MAX_OVERRIDE_REASON} characters")
    checked = check_draft(uow, actor, case_id, text, visibility=visibility, now=now)
    override: Mapping[str, object] | None = None
    if checked.result.blocked:
        if not reason:
            raise ReplyBlocked(checked.result.findings)
        override = {
            "reason": reason,
            "findings": [finding_dict(f, checked.text) for f in checked.result.findings],
        }
        if approval is not None:
            override |= {
                "approved_by": approval.approved_by,
                "approval_request": approval.request_id,
            }
    return do_send_reply(
        uow,
        actor,
        case_id,
        checked.text,
        idempotency_key=idempotency_key,
        now=now,
        visibility=visibility,
        expected_version=expected_version,
        guard_override=override,
    )
