"""SLA clocks of stored cases, and the sweep that records each breach once.

The clocks themselves are pure (``domain/sla.py``); this module feeds them from storage (the
status history, the customer's posts, the people's replies) and records breaches. The unique
constraint on (case, metric) makes recording idempotent: two sweeps that overlap, or a sweep
repeated by cron, record and announce a breach exactly once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from mentiondesk.desk.sla_settings import desk_calendar, load_desk_settings
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.business_time import BusinessCalendar, business_span
from mentiondesk.domain.cases import Case
from mentiondesk.domain.desk_settings import DeskSettings
from mentiondesk.domain.errors import NotFound
from mentiondesk.domain.sla import (
    CaseTimeline,
    ClockState,
    SlaMetric,
    SlaStatus,
    StatusSpan,
    breach_events,
    evaluate_sla,
)
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

RESOLVED_LOOKBACK = timedelta(days=7)
"""A case resolved this recently is still swept: it may have breached before it was resolved."""


@dataclass(frozen=True, slots=True)
class SweepReport:
    cases: int
    breaches: int


def case_timeline(uow: UnitOfWork, case: Case, *, system_id: int | None = None) -> CaseTimeline:
    """What the clocks need, read from storage; automatic acknowledgements (replies by
    ``system_id``, the system account) are no answer."""
    changes = uow.sla.history(case.id)
    spans = tuple(
        StatusSpan(change.status, change.at, nxt.at if nxt else None)
        for change, nxt in zip(changes, [*changes[1:], None][: len(changes)], strict=True)
    )
    if not spans:  # a case stored without its history (an import): its status since opening
        spans = (StatusSpan(case.status, case.opened_at, None),)
    posts = uow.posts.for_case(case.workspace_id, case.id)
    return CaseTimeline(
        opened_at=case.opened_at,
        statuses=spans,
        customer_messages=tuple(p.inbound.created_at for p in posts),
        agent_replies=tuple(uow.lifecycle.reply_times(case.id, exclude_user=system_id)),
        resolved_at=case.resolved_at,
    )


@dataclass(frozen=True, slots=True)
class _Clocks:
    """What every case of one workspace is evaluated against, read once per batch."""

    settings: DeskSettings
    calendar: BusinessCalendar
    system_id: int | None

    @classmethod
    def load(cls, uow: UnitOfWork, workspace: Workspace, now: datetime) -> _Clocks:
        settings = load_desk_settings(uow, workspace)
        system_id = uow.lifecycle.system_user_id(create=False, now=now)
        return cls(settings, desk_calendar(settings, now), system_id)

    @property
    def has_targets(self) -> bool:
        return any(self.settings.sla.target(metric) is not None for metric in SlaMetric)

    def evaluate(self, uow: UnitOfWork, case: Case, now: datetime) -> SlaStatus:
        timeline = case_timeline(uow, case, system_id=self.system_id)
        return evaluate_sla(self.settings.sla, timeline, self.calendar, now)


def evaluate_case_sla(
    uow: UnitOfWork, workspace: Workspace, case_id: int, now: datetime
) -> SlaStatus:
    """Every clock of one case at ``now`` (metrics without a target are absent)."""
    case = uow.cases.get(workspace.id, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    if not uow.cases.needing_reply(workspace.id, [case_id]):
        return SlaStatus(())  # a case that needs no reply makes no promise: no clock runs
    return _Clocks.load(uow, workspace, now).evaluate(uow, case, now)


def inbox_sla(
    uow: UnitOfWork, workspace: Workspace, case_ids: list[int], now: datetime
) -> dict[int, SlaStatus]:
    """The clocks of the cases on one inbox page, for their badges (none without targets)."""
    clocks = _Clocks.load(uow, workspace, now)
    if not clocks.has_targets:
        return {}
    timed = uow.cases.needing_reply(workspace.id, case_ids)
    cases = [c for c in (uow.cases.get(workspace.id, i) for i in timed) if c is not None]
    return {case.id: clocks.evaluate(uow, case, now) for case in cases}


def next_due(status: SlaStatus, now: datetime) -> datetime | None:
    """When the first running clock reaches its target, if none has yet (``None`` while every
    clock is paused, stopped or already past it)."""
    return min(
        (
            m.due_at
            for m in status.metrics
            if m.state is ClockState.RUNNING and m.due_at is not None and m.due_at > now
        ),
        default=None,
    )


def do_refresh_sla_due(
    uow: UnitOfWork, workspace_id: int, case_ids: list[int], now: datetime
) -> None:
    """Store when each case's next clock falls due, so "breaching in 1 h" is one range of an
    index. Called in the transaction of whatever moved a clock (a post, a reply, a status)."""
    workspace = uow.workspaces.get(workspace_id)
    if workspace is None or not case_ids:
        return
    clocks = _Clocks.load(uow, workspace, now)
    timed = uow.cases.needing_reply(workspace_id, case_ids) if clocks.has_targets else set()
    due: dict[int, datetime | None] = {}
    for case_id in case_ids:
        case = uow.cases.get(workspace_id, case_id) if case_id in timed else None
        due[case_id] = None if case is None else next_due(clocks.evaluate(uow, case, now), now)
    uow.cases.set_sla_due(due)


def _record_workspace(uow: UnitOfWork, workspace: Workspace, now: datetime) -> SweepReport:
    clocks = _Clocks.load(uow, workspace, now)
    uow.cases.clear_sla_due_not_needing_reply(workspace.id)
    if not clocks.has_targets:
        uow.cases.set_sla_due({case_id: None for case_id in uow.cases.sla_due_ids(workspace.id)})
        return SweepReport(0, 0)  # no targets, nothing can breach
    cases = uow.lifecycle.cases_to_sweep(workspace.id, now - RESOLVED_LOOKBACK)
    recorded = 0
    due: dict[int, datetime | None] = {}
    for case in cases:
        status = clocks.evaluate(uow, case, now)
        due[case.id] = next_due(status, now)
        for event in breach_events(case.id, workspace.id, status, uow.sla.recorded(case.id)):
            if not uow.sla.record_breach(
                workspace.id,
                case.id,
                event.metric,
                target_seconds=event.target_seconds,
                breached_at=event.at,
                now=now,
            ):
                continue  # another sweep recorded it in the meantime: it announces it
            uow.audit.append(
                AuditEntry.by_system(
                    workspace.id,
                    "case.sla_breach",
                    f"case:{case.id}",
                    at=now,
                    reason=f"{event.metric.replace('_', ' ')} target of "
                    f"{business_span(event.target_seconds)} passed",
                    data={"metric": event.metric, "breached_at": event.at.isoformat()},
                )
            )
            uow.collect([event])
            recorded += 1
    uow.cases.set_sla_due(due)  # the sweep also fills it for cases stored before it existed
    return SweepReport(len(cases), recorded)


def do_record_breaches(uow: UnitOfWork, now: datetime) -> SweepReport:
    """Sweep every workspace: record new breaches, audit them, announce them after commit.

    One transaction per workspace, so a slow or failing workspace does not hold back the
    others' records; the failure itself is raised after the others are done."""
    total_cases = total_breaches = 0
    failure: Exception | None = None
    for workspace in uow.workspaces.all():
        try:
            report = _record_workspace(uow, workspace, now)
            uow.commit()
        except Exception as exc:  # re-raised below, after the other workspaces
            uow.rollback()
            log.exception("SLA sweep of workspace %s failed", workspace.slug)
            failure = failure or exc
            continue
        total_cases += report.cases
        total_breaches += report.breaches
    if failure is not None:
        raise failure
    return SweepReport(total_cases, total_breaches)
