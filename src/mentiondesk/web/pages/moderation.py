"""Moderation pages: hide/unhide/like forms on the case page, community rules, auto-moderation
rules with an htmx dry-run and the audit log browser (erasure: ``pages/erasure.py``). Thin:
each route calls one service and renders."""

from __future__ import annotations

from html import escape
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import Actor
from mentiondesk.desk.accounts import WebSession
from mentiondesk.desk.audit_log import actor_by_name, audit_filter, audit_page
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.moderation import RuleActions, RuleConditions
from mentiondesk.moderation.actions import (
    ModerationOutcome,
    community_rules,
    do_acknowledge_post,
    do_hide_post,
    do_set_community_rules,
    do_unhide_post,
    hide_reasons,
)
from mentiondesk.moderation.rules import (
    do_save_rule,
    dry_run,
    dry_run_saved,
    get_rule,
    list_rules,
)
from mentiondesk.web.deps import ActorDep, ServicesDep, SessionDep, WriteActorDep
from mentiondesk.web.rendering import INLINE_ERROR, render

router = APIRouter()


def _page(
    request: Request,
    services: Services,
    session: WebSession,
    actor: Actor,
    template: str,
    **context: Any,
) -> Response:
    with services.uow() as uow:
        memberships = uow.workspaces.for_user(session.user.id)
    return render(
        request,
        template,
        {"session": session, "actor": actor, "memberships": memberships, **context},
    )


def _after(services: Services, actor: Actor, outcome: ModerationOutcome) -> Response:
    case_id = outcome.post.case_id
    target = f"/w/{actor.workspace.slug}/cases/{case_id}" if case_id else "/"
    return RedirectResponse(f"{target}#post-{outcome.post.id}", status_code=303)


@router.post("/w/{slug}/posts/{post_id}/hide")
def hide(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    post_id: int,
    reason: Annotated[str, Form()] = "",
) -> Response:
    with services.uow() as uow:
        outcome = do_hide_post(uow, actor, post_id, reason, now=services.clock.now())
    return _after(services, actor, outcome)


@router.post("/w/{slug}/posts/{post_id}/unhide")
def unhide(services: ServicesDep, actor: WriteActorDep, slug: str, post_id: int) -> Response:
    with services.uow() as uow:
        outcome = do_unhide_post(uow, actor, post_id, now=services.clock.now())
    return _after(services, actor, outcome)


@router.post("/w/{slug}/posts/{post_id}/acknowledge")
def acknowledge(services: ServicesDep, actor: WriteActorDep, slug: str, post_id: int) -> Response:
    with services.uow() as uow:
        outcome = do_acknowledge_post(uow, actor, post_id, now=services.clock.now())
    return _after(services, actor, outcome)


@router.get("/w/{slug}/community-rules")
def show_community_rules(
    request: Request, services: ServicesDep, session: SessionDep, actor: ActorDep, slug: str
) -> Response:
    with services.uow() as uow:
        rules = community_rules(uow, actor)
        accepted = hide_reasons(uow, actor.workspace.id)
    return _page(
        request, services, session, actor, "community_rules.html", rules=rules, accepted=accepted
    )


@router.get("/w/{slug}/hide-reasons")
def hide_reason_options(services: ServicesDep, actor: ActorDep, slug: str) -> Response:
    """The accepted reasons as ``<option>``s, loaded into a hide form's suggestions by htmx."""
    with services.uow() as uow:
        accepted = hide_reasons(uow, actor.workspace.id)
    options = "".join(f'<option value="{escape(r, quote=True)}">' for r in accepted)
    return HTMLResponse(options)


@router.post("/w/{slug}/community-rules")
def save_community_rules(
    services: ServicesDep, actor: WriteActorDep, slug: str, rules: Annotated[str, Form()] = ""
) -> Response:
    with services.uow() as uow:
        do_set_community_rules(uow, actor, rules.splitlines(), now=services.clock.now())
    return RedirectResponse(f"/w/{slug}/community-rules", status_code=303)


class RuleForm(BaseModel):
    """The rule editor's fields, all text as browsers send them."""

    name: str = ""
    spam: str = ""
    harmful: str = ""
    intents: str = ""
    sentiments: str = ""
    languages: str = ""
    keywords_any: str = ""
    keywords_all: str = ""
    has_link: str = ""
    author_handles: str = ""
    min_followers: str = ""
    max_followers: str = ""
    hide_reason: str = ""
    tag: str = ""
    assign_to: str = ""
    acknowledge: str = ""
    enabled: str = ""

    def domain(self) -> tuple[RuleConditions, RuleActions]:
        def items(text: str) -> list[str]:
            return [w.strip() for w in text.replace("\n", ",").split(",") if w.strip()]

        def flag(text: str) -> bool | None:
            return {"yes": True, "no": False}.get(text)

        def number(field: str, text: str) -> int | None:
            if not text.strip():
                return None
            if not text.strip().isdigit():
                raise InvalidInput(field, "must be a whole number")
            return int(text)

        conditions = RuleConditions.from_dict(
            {
                "spam": flag(self.spam),
                "harmful": flag(self.harmful),
                "intents": items(self.intents),
                "sentiments": items(self.sentiments),
                "languages": items(self.languages),
                "keywords_any": items(self.keywords_any),
                "keywords_all": items(self.keywords_all),
                "has_link": flag(self.has_link),
                "author_handles": items(self.author_handles),
                "min_followers": number("min_followers", self.min_followers),
                "max_followers": number("max_followers", self.max_followers),
            }
        )
        actions = RuleActions.from_dict(
            {
                "hide_reason": self.hide_reason.strip() or None,
                "tag": self.tag.strip() or None,
                "assign_to": number("assign_to", self.assign_to),
                "acknowledge": bool(self.acknowledge),
            }
        )
        return conditions, actions


@router.get("/w/{slug}/moderation/rules")
def show_rules(
    request: Request, services: ServicesDep, session: SessionDep, actor: ActorDep, slug: str
) -> Response:
    with services.uow() as uow:
        rules = list_rules(uow, actor)
        accepted = hide_reasons(uow, actor.workspace.id)
        agents = [u for u, m in uow.users.members(actor.workspace.id) if m.role.can_act_on_cases]
    return _page(
        request,
        services,
        session,
        actor,
        "moderation_rules.html",
        rules=rules,
        accepted=accepted,
        agents=agents,
    )


@router.post("/w/{slug}/moderation/rules")
def create_rule(
    services: ServicesDep, actor: WriteActorDep, slug: str, form: Annotated[RuleForm, Form()]
) -> Response:
    conditions, actions = form.domain()
    with services.uow() as uow:
        do_save_rule(
            uow,
            actor,
            name=form.name,
            conditions=conditions,
            actions=actions,
            enabled=bool(form.enabled),
            now=services.clock.now(),
        )
    return RedirectResponse(f"/w/{slug}/moderation/rules", status_code=303)


@router.post("/w/{slug}/moderation/rules/{rule_id}/enabled")
def switch_rule(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    rule_id: int,
    enabled: Annotated[str, Form()] = "",
) -> Response:
    """Rules are switched off rather than removed, so the audit trail keeps their meaning."""
    with services.uow() as uow:
        rule = get_rule(uow, actor, rule_id)
        do_save_rule(
            uow,
            actor,
            name=rule.name,
            conditions=rule.conditions,
            actions=rule.actions,
            enabled=bool(enabled),
            rule_id=rule.id,
            now=services.clock.now(),
        )
    return RedirectResponse(f"/w/{slug}/moderation/rules", status_code=303)


@router.post("/w/{slug}/moderation/rules/dry-run")
def dry_run_fragment(
    request: Request,
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    form: Annotated[RuleForm, Form()],
) -> Response:
    """The htmx fragment: what the rule in the editor would have done to the last 7 days, or
    why it cannot be tried (shown in the same place)."""
    try:
        conditions, actions = form.domain()
        with services.uow() as uow:
            report = dry_run(
                uow,
                actor,
                name=form.name,
                conditions=conditions,
                actions=actions,
                now=services.clock.now(),
            )
    except InvalidInput as exc:
        response = render(
            request, "_dry_run.html", {"refused": exc, "actor": actor}, status_code=422
        )
        response.headers.update(INLINE_ERROR)
        return response
    return render(request, "_dry_run.html", {"report": report, "actor": actor})


@router.get("/w/{slug}/moderation/rules/{rule_id}/dry-run")
def dry_run_saved_fragment(
    request: Request, services: ServicesDep, actor: ActorDep, slug: str, rule_id: int
) -> Response:
    with services.uow() as uow:
        report = dry_run_saved(uow, actor, rule_id, now=services.clock.now())
    return render(request, "_dry_run.html", {"report": report, "actor": actor})


@router.get("/w/{slug}/audit")
def show_audit(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    who: ActorDep,
    slug: str,
    action: str = "",
    actor: str = "",
    subject: str = "",
    since: str = "",
    until: str = "",
    page: int = 1,
) -> Response:
    filters = {"action": action, "actor": actor, "subject": subject, "since": since, "until": until}
    with services.uow() as uow:
        by_id = {**filters, "actor": actor_by_name(uow, who, actor)}
        result = audit_page(uow, who, audit_filter(**by_id), page)
    query = urlencode({k: v for k, v in filters.items() if v})
    return _page(
        request,
        services,
        session,
        who,
        "audit.html",
        result=result,
        filters=filters,
        query=query,
    )
