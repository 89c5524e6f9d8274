"""The Channels page: the workspace's Facebook Pages, Instagram accounts and open networks,
their state, and connecting one (a pasted token, Meta's login dialog, or a form per open
network calling the same service as ``mentiondesk channel add``), pausing, resuming and
removing it. Every member sees the page; only owners and admins change anything. A refused
open-network form keeps what was typed, never the secrets, and says why beside the field."""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from mentiondesk.bootstrap import Services
from mentiondesk.connectors.meta.errors import GraphError
from mentiondesk.desk.access import Actor
from mentiondesk.desk.accounts import WebSession
from mentiondesk.desk.channels import (
    MetaApp,
    do_connect_channel,
    do_pause_channel,
    do_remove_channel,
    do_resume_channel,
    list_channels,
    managed_pages,
    oauth_dialog_url,
)
from mentiondesk.desk.open_channels import OpenChannel, do_connect_open_channel
from mentiondesk.domain.channels import ChannelAccount, health_text
from mentiondesk.domain.errors import InvalidInput, PermissionDenied
from mentiondesk.domain.posts import Platform
from mentiondesk.web.deps import (
    ActorDep,
    CsrfSessionDep,
    ServicesDep,
    SessionDep,
    WriteActorDep,
)
from mentiondesk.web.open_channel_forms import OPEN_FORMS, open_channel_spec, refused_field
from mentiondesk.web.rendering import render

router = APIRouter()


def _app(services: Services) -> MetaApp:
    if services.meta is None:
        raise InvalidInput("meta", "this installation has no Meta app configured")
    return services.meta


def _callback_url(request: Request, slug: str) -> str:
    return str(request.url_for("meta_oauth_callback", slug=slug))


def _state(csrf_token: str, slug: str) -> str:
    """The dialog's ``state``: bound to the admin's session and workspace, so a callback
    forged by someone else is refused."""
    message = f"meta-oauth:{slug}".encode()
    return hmac.new(csrf_token.encode(), message, hashlib.sha256).hexdigest()


def _channels_page(
    request: Request,
    services: Services,
    session: WebSession,
    actor: Actor,
    *,
    platform: str = "",
    form: dict[str, str] | None = None,
    refused: InvalidInput | None = None,
) -> Response:
    now = services.clock.now()
    with services.uow() as uow:
        accounts = list_channels(uow, actor)
    app = services.meta
    context: dict[str, Any] = {
        "session": session,
        "actor": actor,
        "accounts": accounts,
        "health_text": health_text,
        "now": now,
        "oauth_ready": bool(app and app.app_id and app.app_secret),
        "webhooks_ready": bool(app and app.app_secret and app.verify_token),
        "open_forms": OPEN_FORMS,
        "open_platform": platform,
        "open_form": form or {},
        "open_error": refused.reason if refused else "",
        "open_error_field": refused_field(platform, refused.field) if refused else "",
        "connected": request.query_params.get("connected", ""),
    }
    return render(request, "channels.html", context, status_code=422 if refused else 200)


@router.get("/w/{slug}/channels")
def channels_page(
    request: Request, services: ServicesDep, session: SessionDep, actor: ActorDep, slug: str
) -> Response:
    return _channels_page(request, services, session, actor)


def _connect_open(services: Services, actor: Actor, spec: OpenChannel) -> ChannelAccount:
    """The platform is asked first (a network call): run off the event loop."""
    with services.uow() as uow:
        return do_connect_open_channel(uow, actor, spec, now=services.clock.now())


@router.post("/w/{slug}/channels/open/{platform}")
async def connect_open_channel(
    request: Request,
    services: ServicesDep,
    session: CsrfSessionDep,
    actor: ActorDep,
    slug: str,
    platform: str,
) -> Response:
    """Connect a Bluesky, Mastodon, Reddit, RSS/Atom or X channel from its form."""
    actor.require_settings()
    if platform not in OPEN_FORMS:
        raise InvalidInput("platform", "must be bluesky, mastodon, reddit, rss or x")
    posted = await request.form()
    values = {f.name: str(posted.get(f.name) or "")[:2000] for f in OPEN_FORMS[platform].fields}
    kept = {f.name: values[f.name] for f in OPEN_FORMS[platform].fields if not f.secret}
    try:
        spec = open_channel_spec(platform, values)
        account = await run_in_threadpool(_connect_open, services, actor, spec)
    except InvalidInput as exc:
        return _channels_page(
            request, services, session, actor, platform=platform, form=kept, refused=exc
        )
    said = urlencode({"connected": f"{account.name} connected; heard by the channel worker."})
    return RedirectResponse(f"/w/{slug}/channels?{said}", status_code=303)


@router.post("/w/{slug}/channels")
def connect_with_token(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    platform: Annotated[Platform, Form()],
    external_id: Annotated[str, Form()],
    token: Annotated[str, Form()],
    messaging_id: Annotated[str, Form()] = "",
) -> Response:
    with services.uow() as uow:
        do_connect_channel(
            uow,
            actor,
            platform,
            external_id,
            token,
            app=_app(services),
            now=services.clock.now(),
            messaging_id=messaging_id.strip() or None,
        )
    return RedirectResponse(f"/w/{slug}/channels", status_code=303)


@router.get("/w/{slug}/channels/meta/connect")
def meta_oauth_start(
    request: Request, services: ServicesDep, session: SessionDep, actor: ActorDep, slug: str
) -> Response:
    actor.require_settings()
    url = oauth_dialog_url(
        _app(services), _callback_url(request, slug), _state(session.csrf_token, slug)
    )
    return RedirectResponse(url, status_code=303)


@router.get("/w/{slug}/channels/meta/callback", name="meta_oauth_callback")
def meta_oauth_callback(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: ActorDep,
    slug: str,
    code: str = "",
    state: str = "",
    error_description: str = "",
) -> Response:
    """Meta sends the admin back here with a ``code``: exchange it, list the Pages they
    manage, and let them pick."""
    actor.require_settings()
    if error_description:
        raise InvalidInput("code", f"Meta did not connect: {error_description}")
    if not hmac.compare_digest(state, _state(session.csrf_token, slug)):
        raise PermissionDenied("the login answer does not belong to this session; start again")
    user_token, pages = managed_pages(_app(services), code, _callback_url(request, slug))
    box = services.secret_box
    if box is None:
        raise InvalidInput("secret_key", "no secret key to keep the login while you choose")
    return render(
        request,
        "channels_pick.html",
        {
            "session": session,
            "actor": actor,
            "pages": pages,
            "sealed": box.seal(user_token),
        },
    )


@router.post("/w/{slug}/channels/meta/pick")
def meta_oauth_pick(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    sealed: Annotated[str, Form()],
    choice: Annotated[str, Form()],
) -> Response:
    """``choice`` is ``facebook:<page id>`` or ``instagram:<account id>:<page id>``."""
    box = services.secret_box
    if box is None:
        raise InvalidInput("sealed", "no secret key")
    app = _app(services)
    if not box.is_sealed(sealed):
        raise InvalidInput("sealed", "start the connection from the Channels page")
    try:
        user_token = box.open(sealed)
    except RuntimeError as exc:  # SecretKeyError: sealed under another key
        raise InvalidInput("sealed", "the login has expired; start again") from exc
    graph = app.graph()
    try:
        pages = graph.managed_pages(user_token)
    except GraphError as exc:
        raise InvalidInput("sealed", f"Meta refused: {exc.failure.reason}") from exc
    finally:
        graph.close()
    kind, _, rest = choice.partition(":")
    account_id, _, page_id = rest.partition(":")
    page = next((p for p in pages if p.id == (page_id or account_id)), None)
    if page is None or kind not in ("facebook", "instagram"):
        raise InvalidInput("choice", "pick one of the Pages listed")
    with services.uow() as uow:
        do_connect_channel(
            uow,
            actor,
            Platform(kind),
            account_id,
            page.access_token,
            app=app,
            now=services.clock.now(),
            messaging_id=page.id if kind == "instagram" else None,
        )
    return RedirectResponse(f"/w/{slug}/channels", status_code=303)


@router.post("/w/{slug}/channels/{account_id}/pause")
def pause(services: ServicesDep, actor: WriteActorDep, slug: str, account_id: int) -> Response:
    with services.uow() as uow:
        do_pause_channel(uow, actor, account_id, now=services.clock.now())
    return RedirectResponse(f"/w/{slug}/channels", status_code=303)


@router.post("/w/{slug}/channels/{account_id}/resume")
def resume(services: ServicesDep, actor: WriteActorDep, slug: str, account_id: int) -> Response:
    with services.uow() as uow:
        do_resume_channel(uow, actor, account_id, now=services.clock.now())
    return RedirectResponse(f"/w/{slug}/channels", status_code=303)


@router.post("/w/{slug}/channels/{account_id}/forget")
def forget(services: ServicesDep, actor: WriteActorDep, slug: str, account_id: int) -> Response:
    with services.uow() as uow:
        do_remove_channel(uow, actor, account_id, now=services.clock.now())
    return RedirectResponse(f"/w/{slug}/channels", status_code=303)
