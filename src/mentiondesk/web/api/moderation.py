"""API v1 for moderation without deletion, auto-moderation rules, erasure requests and the
audit log. Thin: each route checks nothing itself and calls one service.

There is deliberately no DELETE anywhere: posts are hidden, never removed, and the only
erasure is ``POST .../erasure-requests`` (approved by a second owner or admin through
``.../approve``, or at once by a sole owner/admin who types the author's handle), which
redacts personal data and keeps the rows."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import Actor
from mentiondesk.desk.audit_log import audit_filter, audit_page, export_audit
from mentiondesk.moderation.actions import (
    ModerationOutcome,
    community_rules,
    do_acknowledge_post,
    do_hide_post,
    do_set_community_rules,
    do_unhide_post,
    hide_reasons,
    platform_state,
)
from mentiondesk.moderation.erasure import (
    ErasurePreview,
    ErasureReceipt,
    PendingErasure,
    do_approve_erasure,
    do_reject_erasure,
    do_submit_erasure,
    erasure_preview,
    erasure_requests,
)
from mentiondesk.moderation.rules import do_save_rule, dry_run, dry_run_saved, list_rules
from mentiondesk.web.api.moderation_schemas import (
    AuditEntryPublic,
    AuditPagePublic,
    CommunityRulesPublic,
    CommunityRulesUpdate,
    DryRunPublic,
    ErasureApproval,
    ErasureCreate,
    ErasurePreviewPublic,
    ErasurePublic,
    ErasureRejection,
    HideRequest,
    PostModerationPublic,
    RuleIn,
    RulePublic,
    UnhideRequest,
)
from mentiondesk.web.deps import ActorDep, ServicesDep, WriteActorDep

router = APIRouter(prefix="/api/v1/workspaces/{slug}", tags=["moderation"])


def _moderated(
    services: Services, actor: Actor, outcome: ModerationOutcome
) -> PostModerationPublic:
    with services.uow() as uow:
        delivery = platform_state(uow, outcome)
    return PostModerationPublic(
        post_id=outcome.post.id,
        action=outcome.action,
        hidden=outcome.post.hidden,
        hidden_reason=outcome.post.hidden_reason,
        changed=outcome.changed,
        delivery=delivery,
    )


@router.post("/posts/{post_id}/hide", response_model=PostModerationPublic)
def hide_post(
    services: ServicesDep, actor: WriteActorDep, slug: str, post_id: int, body: HideRequest
) -> PostModerationPublic:
    """Hide the post on its platform (it stays in the thread). 422 names ``reason`` when it is
    missing or not accepted, and lists the accepted ones."""
    with services.uow() as uow:
        outcome = do_hide_post(uow, actor, post_id, body.reason, now=services.clock.now())
    return _moderated(services, actor, outcome)


@router.post("/posts/{post_id}/unhide", response_model=PostModerationPublic)
def unhide_post(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    post_id: int,
    body: UnhideRequest | None = None,
) -> PostModerationPublic:
    note = body.note if body else ""
    with services.uow() as uow:
        outcome = do_unhide_post(uow, actor, post_id, now=services.clock.now(), note=note)
    return _moderated(services, actor, outcome)


@router.post("/posts/{post_id}/acknowledge", response_model=PostModerationPublic)
def acknowledge_post(
    services: ServicesDep, actor: WriteActorDep, slug: str, post_id: int
) -> PostModerationPublic:
    """Like the post on its platform."""
    with services.uow() as uow:
        outcome = do_acknowledge_post(uow, actor, post_id, now=services.clock.now())
    return _moderated(services, actor, outcome)


@router.get("/community-rules", response_model=CommunityRulesPublic)
def get_community_rules(services: ServicesDep, actor: ActorDep, slug: str) -> CommunityRulesPublic:
    with services.uow() as uow:
        rules = community_rules(uow, actor)
        accepted = hide_reasons(uow, actor.workspace.id)
    return CommunityRulesPublic(rules=list(rules), accepted_hide_reasons=list(accepted))


@router.put("/community-rules", response_model=CommunityRulesPublic)
def put_community_rules(
    services: ServicesDep, actor: WriteActorDep, slug: str, body: CommunityRulesUpdate
) -> CommunityRulesPublic:
    """Replace the published rules (owners and admins)."""
    with services.uow() as uow:
        rules = do_set_community_rules(uow, actor, body.rules, now=services.clock.now())
        accepted = hide_reasons(uow, actor.workspace.id)
    return CommunityRulesPublic(rules=list(rules), accepted_hide_reasons=list(accepted))


@router.get("/moderation-rules", response_model=list[RulePublic])
def get_rules(services: ServicesDep, actor: ActorDep, slug: str) -> list[RulePublic]:
    with services.uow() as uow:
        return [RulePublic.of(r) for r in list_rules(uow, actor)]


@router.post("/moderation-rules", response_model=RulePublic, status_code=201)
def create_rule(services: ServicesDep, actor: WriteActorDep, slug: str, body: RuleIn) -> RulePublic:
    conditions, actions = body.domain()
    with services.uow() as uow:
        rule = do_save_rule(
            uow,
            actor,
            name=body.name,
            conditions=conditions,
            actions=actions,
            enabled=body.enabled,
            now=services.clock.now(),
        )
    return RulePublic.of(rule)


@router.put("/moderation-rules/{rule_id}", response_model=RulePublic)
def update_rule(
    services: ServicesDep, actor: WriteActorDep, slug: str, rule_id: int, body: RuleIn
) -> RulePublic:
    """Replace a rule; to stop it, send ``enabled: false`` (rules are switched off, kept for
    the audit trail)."""
    conditions, actions = body.domain()
    with services.uow() as uow:
        rule = do_save_rule(
            uow,
            actor,
            name=body.name,
            conditions=conditions,
            actions=actions,
            enabled=body.enabled,
            rule_id=rule_id,
            now=services.clock.now(),
        )
    return RulePublic.of(rule)


@router.post("/moderation-rules/dry-run", response_model=DryRunPublic)
def dry_run_draft(
    services: ServicesDep, actor: WriteActorDep, slug: str, body: RuleIn
) -> DryRunPublic:
    """What this (unsaved) rule would have done to the last 7 days of posts. Changes nothing."""
    conditions, actions = body.domain()
    with services.uow() as uow:
        report = dry_run(
            uow,
            actor,
            name=body.name,
            conditions=conditions,
            actions=actions,
            now=services.clock.now(),
        )
    return DryRunPublic.of(report)


@router.get("/moderation-rules/{rule_id}/dry-run", response_model=DryRunPublic)
def dry_run_rule(services: ServicesDep, actor: ActorDep, slug: str, rule_id: int) -> DryRunPublic:
    """What the saved rule would have done to the last 7 days of posts. Changes nothing."""
    with services.uow() as uow:
        return DryRunPublic.of(dry_run_saved(uow, actor, rule_id, now=services.clock.now()))


def _preview(preview: ErasurePreview) -> ErasurePreviewPublic:
    return ErasurePreviewPublic.model_validate(preview, from_attributes=True)


@router.get("/erasure-requests/preview", response_model=ErasurePreviewPublic)
def preview_erasure(
    services: ServicesDep, actor: ActorDep, slug: str, platform: str, handle: str
) -> ErasurePreviewPublic:
    """How many posts, cases, replies and notes an erasure of this author would rewrite."""
    with services.uow() as uow:
        return _preview(erasure_preview(uow, actor, platform=platform, handle=handle))


@router.post("/erasure-requests", response_model=ErasurePublic, status_code=201)
def create_erasure(
    services: ServicesDep, actor: WriteActorDep, slug: str, body: ErasureCreate
) -> ErasurePublic:
    """Record a data subject's erasure request (owners and admins). Where another owner or
    admin exists the request is *pending* until they approve it; a sole owner or admin
    erases at once by typing the author's handle as ``confirmation``. Posts keep their rows
    and labels; texts and identity are replaced."""
    with services.uow() as uow:
        outcome = do_submit_erasure(
            uow,
            actor,
            platform=body.platform,
            handle=body.handle,
            requested_by=body.requested_by,
            legal_reason=body.legal_reason,
            received_at=body.received_at,
            confirmation=body.confirmation,
            now=services.clock.now(),
        )
    if isinstance(outcome, PendingErasure):
        return ErasurePublic(
            request_id=outcome.request_id, status="pending", preview=_preview(outcome.preview)
        )
    return _erased(outcome)


def _erased(receipt: ErasureReceipt) -> ErasurePublic:
    return ErasurePublic.model_validate(receipt, from_attributes=True)


@router.post("/erasure-requests/{request_id}/approve", response_model=ErasurePublic)
def approve_erasure(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    request_id: int,
    body: ErasureApproval,
) -> ErasurePublic:
    """Approve a pending request and erase: another owner or admin than the requester, or the
    requester as sole owner/admin with the author's handle as ``confirmation``."""
    with services.uow() as uow:
        receipt = do_approve_erasure(
            uow, actor, request_id, now=services.clock.now(), confirmation=body.confirmation
        )
    return _erased(receipt)


@router.post("/erasure-requests/{request_id}/reject", status_code=204)
def reject_erasure(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    request_id: int,
    body: ErasureRejection,
) -> Response:
    """Close a pending request without erasing anything."""
    with services.uow() as uow:
        do_reject_erasure(uow, actor, request_id, reason=body.reason, now=services.clock.now())
    return Response(status_code=204)


@router.get("/erasure-requests")
def list_erasures(services: ServicesDep, actor: ActorDep, slug: str) -> list[dict[str, Any]]:
    with services.uow() as uow:
        return [dict(r._mapping) for r in erasure_requests(uow, actor)]


@router.get("/audit", response_model=AuditPagePublic)
def browse_audit(
    services: ServicesDep,
    who: ActorDep,
    slug: str,
    action: str = "",
    actor: str = "",
    subject: str = "",
    since: str = "",
    until: str = "",
    page: int = 1,
) -> AuditPagePublic:
    """Newest first, 50 a page. ``actor`` is a user id or ``rule:<name>``; dates are ISO."""
    f = audit_filter(action=action, actor=actor, subject=subject, since=since, until=until)
    with services.uow() as uow:
        result = audit_page(uow, who, f, page)
    return AuditPagePublic(
        items=[
            AuditEntryPublic(
                id=e.id,
                at=e.at,
                action=e.action,
                actor_user_id=e.actor_user_id,
                actor_name=result.actor_names.get(e.actor_user_id or 0, ""),
                actor_rule=e.actor_rule,
                subject=e.subject,
                reason=e.reason,
                data=e.data,
            )
            for e in result.entries
        ],
        total=result.total,
        page=result.page,
        pages=result.pages,
    )


@router.get("/audit/export", response_class=Response)
def export_audit_log(
    services: ServicesDep,
    who: ActorDep,
    slug: str,
    format: str = "csv",
    action: str = "",
    actor: str = "",
    subject: str = "",
    since: str = "",
    until: str = "",
) -> Response:
    """The filtered log, oldest first, as CSV (with a header) or JSON Lines."""
    f = audit_filter(action=action, actor=actor, subject=subject, since=since, until=until)
    with services.uow() as uow:
        body = "".join(export_audit(uow, who, f, format))
    media = "text/csv" if format == "csv" else "application/x-ndjson"
    filename = f"audit-{slug}.{format}"
    return Response(
        body,
        media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
