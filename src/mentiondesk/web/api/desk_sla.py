"""API v1 for business hours, SLA clocks and the case lifecycle (snooze, merge, split)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from pydantic import AwareDatetime, BaseModel, Field

from mentiondesk.desk.lifecycle import do_merge_cases, do_snooze_case, do_split_case
from mentiondesk.desk.sla_service import evaluate_case_sla
from mentiondesk.desk.sla_settings import (
    do_update_desk_settings,
    load_desk_settings,
    published_schedule,
)
from mentiondesk.domain.cases import Case
from mentiondesk.domain.sla import SlaStatus
from mentiondesk.web.deps import ActorDep, ServicesDep, WriteActorDep

router = APIRouter(prefix="/api/v1/workspaces/{slug}", tags=["sla"])


class SnoozeRequest(BaseModel):
    until: AwareDatetime | None = Field(description="None wakes the case now")
    expected_version: int | None = None
    reason: str = ""


class MergeRequest(BaseModel):
    into_case_id: int
    expected_version: int | None = None
    target_version: int | None = None


class SplitRequest(BaseModel):
    post_ids: list[int] = Field(min_length=1)
    expected_version: int | None = None


class MetricPublic(BaseModel):
    metric: str
    target_seconds: float
    state: str
    elapsed_seconds: float
    remaining_seconds: float
    due_at: datetime | None
    breached: bool
    breached_at: datetime | None


class CaseLifecyclePublic(BaseModel):
    id: int
    status: str
    version: int
    snoozed_until: datetime | None
    merged_into_id: int | None

    @classmethod
    def of(cls, case: Case) -> CaseLifecyclePublic:
        return cls(
            id=case.id,
            status=case.status.value,
            version=case.version,
            snoozed_until=case.snoozed_until,
            merged_into_id=case.merged_into_id,
        )


class ScheduledPostPublic(BaseModel):
    channel: str
    kind: str
    at: datetime
    language: str
    text: str


def _metrics(status: SlaStatus) -> list[MetricPublic]:
    return [
        MetricPublic(
            metric=m.metric.value,
            target_seconds=m.target,
            state=m.state.value,
            elapsed_seconds=m.elapsed,
            remaining_seconds=m.remaining,
            due_at=m.due_at,
            breached=m.breached,
            breached_at=m.breached_at,
        )
        for m in status.metrics
    ]


@router.get("/settings/desk")
def get_desk_settings(services: ServicesDep, actor: ActorDep, slug: str) -> dict[str, Any]:
    """Business hours, SLA targets (business seconds), follow-up window, acknowledgements."""
    actor.require_settings()
    with services.uow() as uow:
        return load_desk_settings(uow, actor.workspace).to_dict()


@router.put("/settings/desk")
def put_desk_settings(
    services: ServicesDep, actor: WriteActorDep, slug: str, changes: dict[str, Any]
) -> dict[str, Any]:
    """Change some or all settings; keys left out keep their value."""
    with services.uow() as uow:
        return do_update_desk_settings(uow, actor, changes, now=services.clock.now()).to_dict()


@router.get("/hours/schedule", response_model=list[ScheduledPostPublic])
def hours_schedule(
    services: ServicesDep, actor: ActorDep, slug: str, days: int = 7
) -> list[ScheduledPostPublic]:
    """The opening and closing posts per channel from today (local) for ``days`` days."""
    now = services.clock.now()
    with services.uow() as uow:
        settings = load_desk_settings(uow, actor.workspace)
    first: date = now.astimezone(ZoneInfo(settings.time_zone)).date()
    posts = published_schedule(settings, first, max(1, min(days, 62)), now=now)
    return [
        ScheduledPostPublic(
            channel=p.channel, kind=p.kind.value, at=p.at, language=p.language, text=p.text
        )
        for p in posts
    ]


@router.get("/cases/{case_id}/sla", response_model=list[MetricPublic])
def case_sla(services: ServicesDep, actor: ActorDep, slug: str, case_id: int) -> list[MetricPublic]:
    with services.uow() as uow:
        return _metrics(evaluate_case_sla(uow, actor.workspace, case_id, services.clock.now()))


@router.post("/cases/{case_id}/snooze", response_model=CaseLifecyclePublic)
def snooze_case(
    services: ServicesDep, actor: WriteActorDep, slug: str, case_id: int, body: SnoozeRequest
) -> CaseLifecyclePublic:
    with services.uow() as uow:
        case = do_snooze_case(
            uow,
            actor,
            case_id,
            body.until,
            now=services.clock.now(),
            expected_version=body.expected_version,
            reason=body.reason,
        )
    return CaseLifecyclePublic.of(case)


@router.post("/cases/{case_id}/merge", response_model=CaseLifecyclePublic)
def merge_case(
    services: ServicesDep, actor: WriteActorDep, slug: str, case_id: int, body: MergeRequest
) -> CaseLifecyclePublic:
    """Merge this case into ``into_case_id``; answers the target case."""
    with services.uow() as uow:
        target = do_merge_cases(
            uow,
            actor,
            case_id,
            body.into_case_id,
            now=services.clock.now(),
            expected_version=body.expected_version,
            target_version=body.target_version,
        )
    return CaseLifecyclePublic.of(target)


@router.post("/cases/{case_id}/split", response_model=CaseLifecyclePublic, status_code=201)
def split_case(
    services: ServicesDep, actor: WriteActorDep, slug: str, case_id: int, body: SplitRequest
) -> CaseLifecyclePublic:
    """Move ``post_ids`` into a new case; answers the new case."""
    with services.uow() as uow:
        new = do_split_case(
            uow,
            actor,
            case_id,
            body.post_ids,
            now=services.clock.now(),
            expected_version=body.expected_version,
        )
    return CaseLifecyclePublic.of(new)
