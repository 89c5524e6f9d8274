"""The case page and the actions an agent takes on it (reply, assign, resolve, reopen).

The same page is the split inbox's case pane: an htmx request aimed at ``#case-pane`` gets
the case without the page around it, and the inbox's address with ``case=<id>`` to push, so
back, forward and a shared link open the same case beside the same list."""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import Actor
from mentiondesk.desk.accounts import WebSession
from mentiondesk.desk.case_actions import (
    do_assign_case,
    do_reopen_case,
    do_resolve_case,
)
from mentiondesk.desk.channel_view import case_channel_view
from mentiondesk.desk.inbox import case_view, next_case_id
from mentiondesk.desk.outbox_service import platform_actions
from mentiondesk.desk.presence import do_leave_case, refuse_if_someone_types
from mentiondesk.desk.priority import case_priority_parts
from mentiondesk.desk.sla_service import evaluate_case_sla
from mentiondesk.domain.errors import ConcurrentChange, InvalidInput
from mentiondesk.domain.replies import ReplyVisibility, reply_limit
from mentiondesk.replies.approvals import approval_views
from mentiondesk.replies.composer import ReplyBlocked, do_send_guarded_reply, finding_dict
from mentiondesk.triage.explain import thread_why
from mentiondesk.web.deps import ActorDep, CsrfSessionDep, ServicesDep, SessionDep, WriteActorDep
from mentiondesk.web.rendering import render

router = APIRouter()


PANE = "case-pane"


def _case_url(slug: str, case_id: int) -> str:
    return f"/w/{slug}/cases/{case_id}"


def wants_pane(request: Request) -> bool:
    """An htmx request whose target is the split inbox's case pane."""
    return bool(request.headers.get("hx-request")) and request.headers.get("hx-target") == PANE


def pane_address(request: Request, slug: str, case_id: int) -> str | None:
    """The inbox address (filters kept) with ``case_id`` open, when it differs from where
    the browser is now; None outside the inbox."""
    current = urlsplit(request.headers.get("hx-current-url", ""))
    if current.path != f"/w/{slug}/inbox":
        return None
    params = [(k, v) for k, v in parse_qsl(current.query, keep_blank_values=True) if k != "case"]
    address = f"{current.path}?{urlencode([*params, ('case', str(case_id))])}"
    here = current.path + (f"?{current.query}" if current.query else "")
    return None if address == here else address


def _show(
    request: Request,
    services: Services,
    session: WebSession,
    actor: Actor,
    slug: str,
    case_id: int,
    *,
    error: str | None = None,
    draft: str = "",
    status_code: int = 200,
    findings: list[dict[str, object]] | None = None,
) -> Response:
    now = services.clock.now()
    with services.uow() as uow:
        view = case_view(uow, actor, case_id)
        memberships = uow.workspaces.for_user(session.user.id)
        sla = evaluate_case_sla(uow, actor.workspace, case_id, now)
        actions = platform_actions(uow, actor, case_id)
        approvals = approval_views(uow, actor, status=None, case_id=case_id)
        human_agent = bool(services.meta and services.meta.human_agent)
        channel = case_channel_view(uow, view, now, human_agent=human_agent)
    pane = wants_pane(request)
    response = render(
        request,
        "_case_pane.html" if pane else "case.html",
        {
            "session": session,
            "actor": actor,
            "view": view,
            "memberships": memberships,
            "error": error,
            "draft": draft,
            "idempotency_key": uuid.uuid4().hex,
            "sla": sla,
            "platform_actions": actions,
            "now": now,
            "guard_findings": findings or [],
            "approvals": approvals,
            "channel": channel,
            "triage_why": thread_why(services.triager, [e.post for e in view.thread]),
            "priority_parts": case_priority_parts(
                [e.post for e in view.thread if e.post is not None], now
            ),
            "reply_limits": {
                v.value: reply_limit(view.case.platform.value, v) for v in ReplyVisibility
            },
        },
        status_code=status_code,
    )
    address = pane_address(request, slug, case_id) if pane else None
    if address is not None:
        response.headers["HX-Push-Url"] = address
    if pane and status_code >= 400:  # the pane shows the reason beside the kept draft
        response.headers["X-Inline-Error"] = "1"
    return response


render_case_page = _show  # for other case actions that re-show the page with an error


@router.get("/w/{slug}/cases/{case_id}")
def show_case(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: ActorDep,
    slug: str,
    case_id: int,
) -> Response:
    return _show(request, services, session, actor, slug, case_id)


@router.post("/w/{slug}/cases/{case_id}/reply")
def reply(
    request: Request,
    services: ServicesDep,
    session: CsrfSessionDep,
    actor: ActorDep,
    slug: str,
    case_id: int,
    idempotency_key: Annotated[str, Form()],
    version: Annotated[int, Form()],
    text: Annotated[str, Form()] = "",
    visibility: Annotated[ReplyVisibility, Form()] = ReplyVisibility.PUBLIC,
    confirm_collision: Annotated[bool, Form()] = False,
    override_reason: Annotated[str, Form()] = "",
) -> Response:
    try:
        with services.uow() as uow:
            if not confirm_collision:  # a colleague typing counts like a change since loading
                refuse_if_someone_types(uow, actor, case_id, now=services.clock.now())
            do_send_guarded_reply(
                uow,
                actor,
                case_id,
                text,
                idempotency_key=idempotency_key,
                now=services.clock.now(),
                visibility=visibility,
                expected_version=None if confirm_collision else version,
                override_reason=override_reason or None,
            )
            do_leave_case(uow, actor, case_id)
    except ReplyBlocked as exc:
        findings = [finding_dict(f, text) for f in exc.findings]
        return _show(
            request,
            services,
            session,
            actor,
            slug,
            case_id,
            error=f"Not sent: {exc.reason}.",
            draft=text,
            status_code=422,
            findings=findings,
        )
    except ConcurrentChange as exc:
        return _show(
            request,
            services,
            session,
            actor,
            slug,
            case_id,
            error=str(exc),
            draft=text,
            status_code=409,
        )
    except InvalidInput as exc:  # blank, too long: the agent's text stays in the box
        return _show(
            request,
            services,
            session,
            actor,
            slug,
            case_id,
            error=f"Not sent: {exc}.",
            draft=text,
            status_code=422,
        )
    return RedirectResponse(_case_url(slug, case_id), status_code=303)


@router.post("/w/{slug}/cases/{case_id}/assign")
def assign(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    case_id: int,
    assignee: Annotated[str, Form()] = "",
) -> Response:
    with services.uow() as uow:
        do_assign_case(
            uow,
            actor,
            case_id,
            int(assignee) if assignee.isdigit() else None,
            now=services.clock.now(),
        )
    return RedirectResponse(_case_url(slug, case_id), status_code=303)


@router.post("/w/{slug}/cases/{case_id}/resolve")
def resolve(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    case_id: int,
    version: Annotated[int, Form()],
    then: Annotated[str, Form()] = "",
) -> Response:
    """Resolve; with ``then=next`` go on to the most urgent active case (or the inbox), with
    ``then=<case id>`` to that case (the split inbox sends the row below)."""
    with services.uow() as uow:
        do_resolve_case(uow, actor, case_id, now=services.clock.now(), expected_version=version)
        following = next_case_id(uow, actor, now=services.clock.now()) if then == "next" else None
    if then.isdigit() and int(then) != case_id:
        return RedirectResponse(_case_url(slug, int(then)), status_code=303)
    if then == "next":
        target = _case_url(slug, following) if following else f"/w/{slug}/inbox"
        return RedirectResponse(target, status_code=303)
    return RedirectResponse(_case_url(slug, case_id), status_code=303)


@router.post("/w/{slug}/cases/{case_id}/reopen")
def reopen(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    case_id: int,
    version: Annotated[int, Form()],
) -> Response:
    with services.uow() as uow:
        do_reopen_case(uow, actor, case_id, now=services.clock.now(), expected_version=version)
    return RedirectResponse(_case_url(slug, case_id), status_code=303)
