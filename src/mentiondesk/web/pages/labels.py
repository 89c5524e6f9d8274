"""Correcting a post's triage labels from the case page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response

from mentiondesk.desk.corrections import do_correct_label
from mentiondesk.domain.errors import NotFound
from mentiondesk.web.deps import ServicesDep, WriteActorDep

router = APIRouter()


@router.post("/w/{slug}/posts/{post_id}/labels")
def correct_label(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    post_id: int,
    label: Annotated[str, Form()],
    value: Annotated[str, Form()],
) -> Response:
    with services.uow() as uow:
        do_correct_label(uow, actor, post_id, label, value, now=services.clock.now())
        post = uow.posts.get(actor.workspace.id, post_id)
    if post is None or post.case_id is None:
        raise NotFound(f"no post {post_id}")
    return RedirectResponse(f"/w/{slug}/cases/{post.case_id}", status_code=303)
