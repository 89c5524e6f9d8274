"""Things that happened, in the past tense. Published only after the transaction commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every domain event."""


@dataclass(frozen=True, slots=True)
class PostReceived(Event):
    post_id: int
    workspace_id: int
    case_id: int | None
    at: datetime


@dataclass(frozen=True, slots=True)
class CaseOpened(Event):
    case_id: int
    workspace_id: int
    post_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class CustomerWrote(Event):
    case_id: int
    workspace_id: int
    post_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class CaseAssigned(Event):
    case_id: int
    workspace_id: int
    agent_id: int | None
    by_user_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class CaseReplied(Event):
    case_id: int
    workspace_id: int
    reply_id: int
    by_user_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class CaseResolved(Event):
    case_id: int
    workspace_id: int
    by_user_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class CaseReopened(Event):
    case_id: int
    workspace_id: int
    by_user_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class SlaBreached(Event):
    """An SLA clock passed its target; ``at`` is when it did, ``metric`` an ``SlaMetric`` value."""

    case_id: int
    workspace_id: int
    metric: str
    target_seconds: float
    at: datetime


@dataclass(frozen=True, slots=True)
class CaseSnoozed(Event):
    """``until`` is ``None`` when the snooze was lifted."""

    case_id: int
    workspace_id: int
    until: datetime | None
    by_user_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class CasesMerged(Event):
    """``merged_case_id`` was folded into ``case_id``."""

    case_id: int
    merged_case_id: int
    workspace_id: int
    by_user_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class CaseSplit(Event):
    """Posts of ``case_id`` moved to the new case ``new_case_id``."""

    case_id: int
    new_case_id: int
    workspace_id: int
    post_ids: tuple[int, ...]
    by_user_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class ReplyRecorded(Event):
    """A reply (an agent's, a hand-off's or the out-of-hours acknowledgement) was recorded for
    delivery; its outbox row is written in the same transaction."""

    reply_id: int
    workspace_id: int
    case_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class HoursPostDue(Event):
    """An opening or closing post's slot was claimed: it is to be published on ``channel``."""

    hours_post_id: int
    workspace_id: int
    channel: str
    kind: str
    due_at: datetime
    text: str
    at: datetime


@dataclass(frozen=True, slots=True)
class PlatformActionRequeued(Event):
    """A failed outbox row was put back in the queue by a person: attempt it now."""

    outbox_id: int
    workspace_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class ReplyDelivered(Event):
    """The outbox finished a reply's delivery: ``status`` is its final ``DeliveryStatus``
    (``sent`` only when the platform accepted it)."""

    reply_id: int
    workspace_id: int
    case_id: int
    status: str
    at: datetime


@dataclass(frozen=True, slots=True)
class LabelCorrected(Event):
    """A person replaced a triage label of a post (and of its case when the post opened it)."""

    workspace_id: int
    post_id: int
    case_id: int | None
    label: str
    at: datetime


@dataclass(frozen=True, slots=True)
class MemberRemoved(Event):
    """A member left the workspace; their active cases went back to the unassigned queue."""

    workspace_id: int
    user_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class DeskSettingsChanged(Event):
    """The workspace's desk settings (time zone, hours, holidays, SLA targets) were saved."""

    workspace_id: int
    at: datetime
