"""API: correct triage labels and export the corrections as training data."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from mentiondesk.desk.corrections import do_correct_label, export_corrections
from mentiondesk.web.deps import ActorDep, ServicesDep, WriteActorDep

router = APIRouter(prefix="/api/v1", tags=["triage"])


class LabelCorrection(BaseModel):
    label: str = Field(description="sentiment, intent, language, harmful, spam or needs_reply")
    value: str = Field(description="The correct value, e.g. negative, complaint, pl, true.")


class CorrectionPublic(BaseModel):
    post_id: int
    label: str
    old_value: str | None
    new_value: str


@router.post("/workspaces/{slug}/posts/{post_id}/labels", response_model=CorrectionPublic)
def correct_label(
    services: ServicesDep, actor: WriteActorDep, slug: str, post_id: int, body: LabelCorrection
) -> CorrectionPublic:
    """Fix one triage label of a post; the old value is kept for training and audit."""
    with services.uow() as uow:
        done = do_correct_label(
            uow, actor, post_id, body.label, body.value, now=services.clock.now()
        )
    return CorrectionPublic(
        post_id=done.post_id, label=done.label, old_value=done.old_value, new_value=done.new_value
    )


@router.get("/workspaces/{slug}/label-corrections.jsonl", response_class=StreamingResponse)
def download_corrections(services: ServicesDep, actor: ActorDep, slug: str) -> StreamingResponse:
    """Every post's latest corrected labels as JSON lines, in the training corpora's shape."""
    with services.uow() as uow:
        lines = [line + "\n" for line in export_corrections(uow, actor.workspace)]
    return StreamingResponse(
        iter(lines),
        media_type="application/x-ndjson",
        headers={"content-disposition": f'attachment; filename="{slug}-label-corrections.jsonl"'},
    )
