"""Integration settings pages for owners and admins: API tokens (``/w/{slug}/settings/api-tokens``)
and outgoing event webhooks (``/w/{slug}/settings/webhooks``).

A new token's or subscription's secret is rendered in the answer to the form that made it,
never put in a URL or stored, so it is seen once. A refused form keeps what was typed and says
why beside the field."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import Actor
from mentiondesk.desk.accounts import WebSession
from mentiondesk.desk.api_tokens import CreatedToken, do_create_token, do_revoke_token, tokens_for
from mentiondesk.desk.event_webhooks import (
    AddedWebhook,
    do_add_webhook,
    do_remove_webhook,
    do_send_test_event,
    do_set_webhook_paused,
    webhook_views,
)
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.integrations import WEBHOOK_EVENTS, TokenScope
from mentiondesk.web.deps import ActorDep, CsrfSessionDep, ServicesDep, SessionDep
from mentiondesk.web.rendering import render

router = APIRouter()

SCOPES = {
    TokenScope.READ.value: "read — cases, posts, reports",
    TokenScope.WRITE.value: "write — replies, assignments, labels",
    TokenScope.ADMIN.value: "admin — settings",
}


def _context(
    request: Request, services: Services, session: WebSession, actor: Actor, **extra: Any
) -> dict[str, Any]:
    with services.uow() as uow:
        memberships = uow.workspaces.for_user(session.user.id)
    refused: InvalidInput | None = extra.pop("refused", None)
    return {
        "session": session,
        "actor": actor,
        "memberships": memberships,
        "now": services.clock.now(),
        "notice": request.query_params.get("done"),
        "error": str(refused) if refused else None,
        "error_field": refused.field if refused else None,
        "error_reason": refused.reason if refused else None,
        **extra,
    }


# -- API tokens -------------------------------------------------------------------------------
def _tokens_page(
    request: Request,
    services: Services,
    session: WebSession,
    actor: Actor,
    *,
    form: dict[str, Any] | None = None,
    created: CreatedToken | None = None,
    refused: InvalidInput | None = None,
) -> Response:
    with services.uow() as uow:
        tokens = tokens_for(uow, actor)
    context = _context(
        request,
        services,
        session,
        actor,
        tokens=tokens,
        scopes=SCOPES,
        form=form or {"name": "", "scopes": ["read"], "expires_in_days": ""},
        created=created,
        refused=refused,
    )
    return render(request, "api_tokens.html", context, status_code=422 if refused else 200)


@router.get("/w/{slug}/settings/api-tokens")
def show_tokens(
    request: Request, services: ServicesDep, session: SessionDep, actor: ActorDep, slug: str
) -> Response:
    return _tokens_page(request, services, session, actor)


def _days(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise InvalidInput("expires_in_days", f"expected a whole number of days, got {text!r}")
    return int(text)


@router.post("/w/{slug}/settings/api-tokens")
def create_token(
    request: Request,
    services: ServicesDep,
    session: CsrfSessionDep,
    actor: ActorDep,
    slug: str,
    name: Annotated[str, Form(max_length=500)] = "",
    scopes: Annotated[list[str] | None, Form()] = None,
    expires_in_days: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    form = {"name": name, "scopes": scopes or [], "expires_in_days": expires_in_days}
    try:
        with services.uow() as uow:
            created = do_create_token(
                uow,
                actor,
                name,
                scopes or [],
                now=services.clock.now(),
                expires_in_days=_days(expires_in_days),
            )
    except InvalidInput as exc:
        return _tokens_page(request, services, session, actor, form=form, refused=exc)
    return _tokens_page(request, services, session, actor, created=created)


@router.post("/w/{slug}/settings/api-tokens/{token_id}/revoke")
def revoke_token(
    services: ServicesDep, session: CsrfSessionDep, actor: ActorDep, slug: str, token_id: int
) -> Response:
    with services.uow() as uow:
        token = do_revoke_token(uow, actor, str(token_id), now=services.clock.now())
    said = urlencode({"done": f"Token {token.prefix}… ({token.name}) revoked."})
    return RedirectResponse(f"/w/{slug}/settings/api-tokens?{said}", status_code=303)


# -- webhooks ---------------------------------------------------------------------------------
def _webhooks_page(
    request: Request,
    services: Services,
    session: WebSession,
    actor: Actor,
    *,
    form: dict[str, Any] | None = None,
    added: AddedWebhook | None = None,
    refused: InvalidInput | None = None,
) -> Response:
    with services.uow() as uow:
        views = webhook_views(uow, actor)
    context = _context(
        request,
        services,
        session,
        actor,
        views=views,
        events=WEBHOOK_EVENTS,
        form=form or {"url": "", "events": ["case.opened"], "description": ""},
        added=added,
        refused=refused,
    )
    return render(request, "webhooks.html", context, status_code=422 if refused else 200)


@router.get("/w/{slug}/settings/webhooks")
def show_webhooks(
    request: Request, services: ServicesDep, session: SessionDep, actor: ActorDep, slug: str
) -> Response:
    return _webhooks_page(request, services, session, actor)


@router.post("/w/{slug}/settings/webhooks")
def add_webhook(
    request: Request,
    services: ServicesDep,
    session: CsrfSessionDep,
    actor: ActorDep,
    slug: str,
    url: Annotated[str, Form(max_length=2000)] = "",
    events: Annotated[list[str] | None, Form()] = None,
    description: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    form = {"url": url, "events": events or [], "description": description}
    try:
        with services.uow() as uow:
            added = do_add_webhook(
                uow, actor, url, events or [], now=services.clock.now(), description=description
            )
    except InvalidInput as exc:
        return _webhooks_page(request, services, session, actor, form=form, refused=exc)
    return _webhooks_page(request, services, session, actor, added=added)


def _back(slug: str, message: str) -> Response:
    return RedirectResponse(
        f"/w/{slug}/settings/webhooks?{urlencode({'done': message})}", status_code=303
    )


@router.post("/w/{slug}/settings/webhooks/{subscription_id}/pause")
def pause_webhook(
    services: ServicesDep,
    session: CsrfSessionDep,
    actor: ActorDep,
    slug: str,
    subscription_id: int,
    paused: Annotated[bool, Form()] = True,
) -> Response:
    with services.uow() as uow:
        done = do_set_webhook_paused(uow, actor, subscription_id, paused, now=services.clock.now())
    return _back(slug, f"Webhook {done.id} {'paused' if done.paused else 'resumed'}.")


@router.post("/w/{slug}/settings/webhooks/{subscription_id}/delete")
def delete_webhook(
    services: ServicesDep, session: CsrfSessionDep, actor: ActorDep, slug: str, subscription_id: int
) -> Response:
    with services.uow() as uow:
        do_remove_webhook(uow, actor, subscription_id, now=services.clock.now())
    return _back(slug, f"Webhook {subscription_id} deleted.")


@router.post("/w/{slug}/settings/webhooks/{subscription_id}/test")
def test_webhook(
    services: ServicesDep, session: CsrfSessionDep, actor: ActorDep, slug: str, subscription_id: int
) -> Response:
    with services.uow() as uow:
        sent = do_send_test_event(uow, actor, subscription_id, now=services.clock.now())
    if sent.status.value == "sent":
        said = f"Test event sent: the receiver answered {sent.platform_ref}."
    else:
        said = f"Test event {sent.status.value}: {sent.failure_reason or 'not delivered yet'}."
    return _back(slug, said)
