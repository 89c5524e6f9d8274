"""Cases: the unit of work an agent owns, and the rules for moving one between states."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from mentiondesk.domain import events
from mentiondesk.domain.errors import InvalidTransition
from mentiondesk.domain.posts import Platform


class CaseStatus(StrEnum):
    NEW = "new"
    OPEN = "open"
    WAITING = "waiting"  # waiting for the customer
    RESOLVED = "resolved"
    MERGED = "merged"

    @property
    def label(self) -> str:
        return {"waiting": "waiting for customer"}.get(self.value, self.value)


@dataclass(slots=True)
class Case:
    id: int
    workspace_id: int
    author_id: int
    platform: Platform
    thread_key: str
    status: CaseStatus
    opened_at: datetime
    last_activity_at: datetime
    assignee_id: int | None = None
    priority: int = 0
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    version: int = 1
    events: list[events.Event] = field(default_factory=list, repr=False, compare=False)

    def assign(self, agent_id: int | None, by_user_id: int, now: datetime) -> None:
        self._refuse_if_closed_for_work("assign")
        if agent_id == self.assignee_id:
            return
        self.assignee_id = agent_id
        if self.status is CaseStatus.NEW:
            self.status = CaseStatus.OPEN
        self.events.append(
            events.CaseAssigned(self.id, self.workspace_id, agent_id, by_user_id, now)
        )

    def record_reply(self, reply_id: int, by_user_id: int, now: datetime) -> None:
        """An agent answered: the case now waits for the customer."""
        self._refuse_if_closed_for_work("reply to")
        if self.first_response_at is None:
            self.first_response_at = now
        self.resolved_at = None  # answering a resolved case reopens it until resolved again
        self.status = CaseStatus.WAITING
        self.last_activity_at = now
        self.events.append(
            events.CaseReplied(self.id, self.workspace_id, reply_id, by_user_id, now)
        )

    def resolve(self, by_user_id: int, now: datetime) -> None:
        if self.status is CaseStatus.MERGED:
            raise InvalidTransition(
                "a merged case cannot be resolved; resolve the case it was merged into"
            )
        if self.status is CaseStatus.RESOLVED:
            raise InvalidTransition("the case is already resolved")
        self.status = CaseStatus.RESOLVED
        self.resolved_at = now
        self.last_activity_at = now
        self.events.append(events.CaseResolved(self.id, self.workspace_id, by_user_id, now))

    def reopen(self, by_user_id: int, now: datetime) -> None:
        if self.status is not CaseStatus.RESOLVED:
            raise InvalidTransition(
                f"only a resolved case can be reopened (this one is {self.status.label})"
            )
        self.status = CaseStatus.OPEN
        self.resolved_at = None
        self.last_activity_at = now
        self.events.append(events.CaseReopened(self.id, self.workspace_id, by_user_id, now))

    def customer_wrote(self, post_id: int, now: datetime) -> None:
        """A follow-up from the customer: reopen a resolved case, wake a waiting one."""
        if self.status is CaseStatus.MERGED:
            raise InvalidTransition("a merged case takes no new posts")
        if self.status is CaseStatus.RESOLVED:
            self.resolved_at = None
        if self.status in (CaseStatus.RESOLVED, CaseStatus.WAITING):
            self.status = CaseStatus.OPEN
        self.last_activity_at = max(self.last_activity_at, now)
        self.events.append(events.CustomerWrote(self.id, self.workspace_id, post_id, now))

    def _refuse_if_closed_for_work(self, action: str) -> None:
        if self.status is CaseStatus.MERGED:
            raise InvalidTransition(f"cannot {action} a merged case")

    @property
    def resolution_seconds(self) -> float | None:
        if self.resolved_at is None:
            return None
        return (self.resolved_at - self.opened_at).total_seconds()
