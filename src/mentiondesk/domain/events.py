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
