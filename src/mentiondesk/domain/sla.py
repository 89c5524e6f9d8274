"""SLA clocks: first response, next response and time to resolution, in business time.

A fast first reply that sends the customer to the hotline helps nobody, so the desk measures
all three. Each clock counts only open hours of the workspace's :class:`BusinessCalendar` and
pauses while the case waits for the customer (or sits resolved before a reopening).
Evaluation is a pure function of the case's timeline and ``now``; recording a breach is left to
the caller, who passes the metrics already recorded so each breach is raised exactly once.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from mentiondesk.domain import events
from mentiondesk.domain.business_time import BusinessCalendar, require_aware
from mentiondesk.domain.cases import CaseStatus
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.ports import Clock

__all__ = [
    "PAUSING_STATUSES",
    "CaseTimeline",
    "ClockState",
    "MetricState",
    "SlaClock",
    "SlaMetric",
    "SlaPolicy",
    "SlaStatus",
    "StatusSpan",
    "breach_events",
    "evaluate_sla",
    "new_breaches",
]

PAUSING_STATUSES = frozenset({CaseStatus.WAITING, CaseStatus.RESOLVED, CaseStatus.MERGED})
"""While a case is in one of these, no clock runs: the next move is not the brand's."""


class SlaMetric(StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"


class ClockState(StrEnum):
    IDLE = "idle"  # nothing to answer yet (next response before the customer writes again)
    RUNNING = "running"
    PAUSED = "paused"  # waiting for the customer
    STOPPED = "stopped"  # answered or resolved


MAX_TARGET_SECONDS = 365 * 24 * 3600.0
"""No promise is longer than a year; an infinite or absurd target would break every clock."""


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """Targets in business seconds; ``None`` switches a metric off."""

    first_response: float | None = None
    next_response: float | None = None
    resolution: float | None = None

    def __post_init__(self) -> None:
        for metric in SlaMetric:
            target = self.target(metric)
            if target is not None and not 0 <= target <= MAX_TARGET_SECONDS:
                raise InvalidInput(
                    metric.value,
                    f"target must be between 0 and {MAX_TARGET_SECONDS:.0f} seconds (365 days),"
                    f" got {target}",
                )

    def target(self, metric: SlaMetric) -> float | None:
        return {
            SlaMetric.FIRST_RESPONSE: self.first_response,
            SlaMetric.NEXT_RESPONSE: self.next_response,
            SlaMetric.RESOLUTION: self.resolution,
        }[metric]


@dataclass(frozen=True, slots=True)
class StatusSpan:
    """The case was in ``status`` from ``start`` until ``end`` (``None``: still is)."""

    status: CaseStatus
    start: datetime
    end: datetime | None = None


@dataclass(frozen=True, slots=True)
class CaseTimeline:
    """What the clocks need to know about a case; all instants aware.

    ``resolved_at`` is the current resolution (``None`` when the case is open); earlier
    resolutions that were reopened appear as RESOLVED spans in ``statuses``.
    """

    opened_at: datetime
    statuses: tuple[StatusSpan, ...] = ()
    customer_messages: tuple[datetime, ...] = ()
    agent_replies: tuple[datetime, ...] = ()
    resolved_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MetricState:
    """One clock at ``now``.

    ``remaining`` goes negative once overdue. ``due_at`` is when the target is (or was)
    reached: the breach instant once breached, a projection while running, ``None`` while
    paused, idle, or stopped in time. Next response is judged per exchange: ``breached`` and
    ``breached_at`` keep the first late answer, the other fields follow the latest exchange.
    """

    metric: SlaMetric
    target: float
    state: ClockState
    elapsed: float
    remaining: float
    due_at: datetime | None
    breached: bool
    breached_at: datetime | None


@dataclass(frozen=True, slots=True)
class SlaStatus:
    """The clocks of one case; metrics without a target are absent."""

    metrics: tuple[MetricState, ...]

    def get(self, metric: SlaMetric) -> MetricState | None:
        return next((m for m in self.metrics if m.metric is metric), None)

    @property
    def breached(self) -> frozenset[SlaMetric]:
        return frozenset(m.metric for m in self.metrics if m.breached)


@dataclass(frozen=True, slots=True)
class _Run:
    """A clock run over [start, stop): the raw material of a :class:`MetricState`."""

    elapsed: float
    breached_at: datetime | None
    state: ClockState
    due_at: datetime | None


Span = tuple[datetime, datetime]


def _paused_at(timeline: CaseTimeline, now: datetime) -> bool:
    return any(
        span.status in PAUSING_STATUSES
        and span.start <= now
        and (span.end is None or span.end > now)
        for span in timeline.statuses
    )


def _pauses(timeline: CaseTimeline, now: datetime) -> list[Span]:
    spans = []
    for span in timeline.statuses:
        if span.status in PAUSING_STATUSES:
            end = now if span.end is None else min(span.end, now)
            if end > span.start:
                spans.append((span.start, end))
    return sorted(spans)


def _active(start: datetime, end: datetime, pauses: Sequence[Span]) -> list[Span]:
    """[start, end) minus the pauses, as ordered segments."""
    segments, cursor = [], start
    for lo, hi in pauses:
        if hi <= cursor or lo >= end:
            continue
        if lo > cursor:
            segments.append((cursor, lo))
        cursor = max(cursor, hi)
    if end > cursor:
        segments.append((cursor, end))
    return segments


@dataclass(frozen=True, slots=True)
class _Context:
    """What every clock of one evaluation shares."""

    calendar: BusinessCalendar
    now: datetime
    pauses: Sequence[Span]
    paused_now: bool


def _run(ctx: _Context, start: datetime, stop: datetime | None, target: float) -> _Run:
    """Count [start, stop) minus pauses, up to ``now``; find when the target was passed."""
    calendar, now = ctx.calendar, ctx.now
    end = now if stop is None else min(stop, now)
    elapsed, breached_at = 0.0, None
    for lo, hi in _active(start, end, ctx.pauses):
        seconds = calendar.business_seconds_between(lo, hi)
        if breached_at is None and elapsed + seconds > target:
            opened = calendar.next_opening(lo)  # a zero target is passed once the desk opens
            breached_at = calendar.add_business_seconds(opened, target - elapsed)
        elapsed += seconds
    if stop is not None and stop <= now:
        return _Run(elapsed, breached_at, ClockState.STOPPED, breached_at)
    if ctx.paused_now:
        return _Run(elapsed, breached_at, ClockState.PAUSED, breached_at)
    due = breached_at or calendar.add_business_seconds(now, max(target - elapsed, 0.0))
    return _Run(elapsed, breached_at, ClockState.RUNNING, due)


def _state(metric: SlaMetric, target: float, run: _Run) -> MetricState:
    return MetricState(
        metric=metric,
        target=target,
        state=run.state,
        elapsed=run.elapsed,
        remaining=target - run.elapsed,
        due_at=run.due_at,
        breached=run.breached_at is not None,
        breached_at=run.breached_at,
    )


def _response_cycles(
    customer: Sequence[datetime], replies: Sequence[datetime], after: datetime
) -> list[tuple[datetime, datetime | None]]:
    """(first unanswered customer message, the reply that answered it) after ``after``."""
    moments = sorted(
        [(t, 0) for t in customer if t > after] + [(t, 1) for t in replies if t > after]
    )
    cycles: list[tuple[datetime, datetime | None]] = []
    waiting_since: datetime | None = None
    for at, is_reply in moments:
        if not is_reply and waiting_since is None:
            waiting_since = at
        elif is_reply and waiting_since is not None:
            cycles.append((waiting_since, at))
            waiting_since = None
    if waiting_since is not None:
        cycles.append((waiting_since, None))
    return cycles


def _next_response(
    ctx: _Context, timeline: CaseTimeline, first_reply: datetime | None, target: float
) -> MetricState:
    """The latest exchange decides the clock; any earlier late answer keeps it breached."""
    metric = SlaMetric.NEXT_RESPONSE
    if first_reply is None:
        return _state(metric, target, _Run(0.0, None, ClockState.IDLE, None))
    cycles = _response_cycles(timeline.customer_messages, timeline.agent_replies, first_reply)
    runs = [
        _run(ctx, asked, answered or timeline.resolved_at, target)
        for asked, answered in cycles
        if asked <= ctx.now
    ]
    if not runs:
        return _state(metric, target, _Run(0.0, None, ClockState.IDLE, None))
    first_breach = min((r.breached_at for r in runs if r.breached_at), default=None)
    last = runs[-1]
    due = last.due_at if last.state is ClockState.RUNNING else first_breach
    return _state(metric, target, _Run(last.elapsed, first_breach, last.state, due))


def evaluate_sla(
    policy: SlaPolicy, timeline: CaseTimeline, calendar: BusinessCalendar, now: datetime
) -> SlaStatus:
    """Every clock of the policy for one case, as seen at ``now``."""
    now = require_aware(now, "now")
    opened = require_aware(timeline.opened_at, "opened_at")
    customer = sorted(require_aware(t, "customer message") for t in timeline.customer_messages)
    replies = sorted(require_aware(t, "agent reply") for t in timeline.agent_replies)
    resolved = (
        None if timeline.resolved_at is None else require_aware(timeline.resolved_at, "resolved_at")
    )
    statuses = tuple(
        StatusSpan(
            span.status,
            require_aware(span.start, "status start"),
            None if span.end is None else require_aware(span.end, "status end"),
        )
        for span in timeline.statuses
    )
    timeline = CaseTimeline(opened, statuses, tuple(customer), tuple(replies), resolved)
    ctx = _Context(calendar, now, _pauses(timeline, now), _paused_at(timeline, now))
    first_reply = next((t for t in replies if opened <= t <= now), None)
    metrics = []
    if (target := policy.first_response) is not None:
        run = _run(ctx, opened, first_reply or resolved, target)
        metrics.append(_state(SlaMetric.FIRST_RESPONSE, target, run))
    if (target := policy.next_response) is not None:
        metrics.append(_next_response(ctx, timeline, first_reply, target))
    if (target := policy.resolution) is not None:
        run = _run(ctx, opened, resolved, target)
        metrics.append(_state(SlaMetric.RESOLUTION, target, run))
    return SlaStatus(tuple(metrics))


class SlaClock:
    """The policy and calendar of one workspace, read against an injected clock."""

    def __init__(self, policy: SlaPolicy, calendar: BusinessCalendar, clock: Clock) -> None:
        self.policy = policy
        self.calendar = calendar
        self.clock = clock

    def evaluate(self, timeline: CaseTimeline) -> SlaStatus:
        return evaluate_sla(self.policy, timeline, self.calendar, self.clock.now())


def new_breaches(
    status: SlaStatus, recorded: AbstractSet[SlaMetric] | AbstractSet[str]
) -> tuple[MetricState, ...]:
    """Breached metrics not yet in ``recorded``: what the caller should record now."""
    done = {str(m) for m in recorded}
    return tuple(m for m in status.metrics if m.breached and m.metric.value not in done)


def breach_events(
    case_id: int,
    workspace_id: int,
    status: SlaStatus,
    recorded: AbstractSet[SlaMetric] | AbstractSet[str],
) -> list[events.SlaBreached]:
    """One :class:`~mentiondesk.domain.events.SlaBreached` per breach not yet recorded."""
    return [
        events.SlaBreached(
            case_id=case_id,
            workspace_id=workspace_id,
            metric=state.metric.value,
            target_seconds=state.target,
            at=state.breached_at,
        )
        for state in new_breaches(status, recorded)
        if state.breached_at is not None
    ]
