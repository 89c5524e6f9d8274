"""Saving the inbox's current filters as a named view, and deleting one (``desk.inbox_views``).

Both answer with the inbox again: a refused name comes back beside the field, with the typed
name kept in the box."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response

from mentiondesk.desk.inbox_views import do_delete_inbox_view, do_save_inbox_view
from mentiondesk.domain.errors import InvalidInput, PermissionDenied
from mentiondesk.web.deps import ServicesDep, WriteActorDep
from mentiondesk.web.pages.inbox import QUERY_FIELDS, InboxQuery

router = APIRouter()


def _inbox(slug: str, view: str, **extra: str) -> str:
    """``view`` (an inbox address) with ``extra`` added, or the plain inbox for anything else."""
    target = view if view.startswith(f"/w/{slug}/inbox") else f"/w/{slug}/inbox"
    parts = urlsplit(target)
    params = [(k, v) for k, v in parse_qsl(parts.query) if k not in extra]
    query = urlencode([*params, *extra.items()])
    return parts.path + (f"?{query}" if query else "")


@router.post("/w/{slug}/inbox/views")
def save_view(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    name: Annotated[str, Form()] = "",
    view: Annotated[str, Form()] = "",
    shared: Annotated[bool, Form()] = False,
) -> Response:
    """Save the filters of ``view`` (the inbox address the person is on) under ``name``."""
    filters = dict(parse_qsl(urlsplit(view).query))
    try:
        with services.uow() as uow:
            saved = do_save_inbox_view(
                uow,
                actor,
                name,
                filters,
                allowed=QUERY_FIELDS,
                shared=shared,
                now=services.clock.now(),
            )
    except (InvalidInput, PermissionDenied) as exc:
        reason = f"{exc.reason}" if isinstance(exc, InvalidInput) else str(exc)
        return RedirectResponse(
            _inbox(slug, view, view_error=reason, view_name=name[:200]), status_code=303
        )
    target = InboxQuery(**saved.params).url(slug)  # type: ignore[arg-type]
    return RedirectResponse(
        _inbox(slug, target, done=f"Saved the view “{saved.name}”."), status_code=303
    )


@router.post("/w/{slug}/inbox/views/{view_id}/unsave")
def delete_view(services: ServicesDep, actor: WriteActorDep, slug: str, view_id: int) -> Response:
    with services.uow() as uow:
        do_delete_inbox_view(uow, actor, view_id, now=services.clock.now())
    return RedirectResponse(_inbox(slug, "", done="Deleted the view."), status_code=303)
