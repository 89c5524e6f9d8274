"""Cases: the unit of work an agent owns, and the rules for moving one between states.

Every change of status goes through ``Case._move`` so that it is remembered in
``status_changes``: the SLA clocks are rebuilt from that history (a case waiting for the
customer pauses them), so a status that changed without a trace would skew every clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from mentiondesk.domain import events
from mentiondesk.domain.errors import InvalidInput, InvalidTransition
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


@dataclass(frozen=True, slots=True)
class StatusChange:
    """The case entered ``status`` at ``at``: one row of its status history."""

    status: CaseStatus
    at: datetime


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
    snoozed_until: datetime | None = None
    merged_into_id: int | None = None
    events: list[events.Event] = field(default_factory=list, repr=False, compare=False)
    status_changes: list[StatusChange] = field(default_factory=list, repr=False, compare=False)

    def _move(self, status: CaseStatus, at: datetime) -> None:
        """Change the status and remember when, so the history can be stored."""
        if status is self.status:
            return
        self.status = status
        self.status_changes.append(StatusChange(status, at))

    def is_snoozed(self, now: datetime) -> bool:
        return self.snoozed_until is not None and self.snoozed_until > now

    def assign(self, agent_id: int | None, by_user_id: int, now: datetime) -> None:
        self._refuse_if_closed_for_work("assign")
        if agent_id == self.assignee_id:
            return
        self.assignee_id = agent_id
        if self.status is CaseStatus.NEW:
            self._move(CaseStatus.OPEN, now)
        self.events.append(
            events.CaseAssigned(self.id, self.workspace_id, agent_id, by_user_id, now)
        )

    def record_reply(self, reply_id: int, by_user_id: int, now: datetime) -> None:
        """An agent answered: the case now waits for the customer."""
        self._refuse_if_closed_for_work("reply to")
        if self.first_response_at is None:
            self.first_response_at = now
        self.resolved_at = None  # answering a resolved case reopens it until resolved again
        self._move(CaseStatus.WAITING, now)
        self.last_activity_at = now
        self.events.append(
            events.CaseReplied(self.id, self.workspace_id, reply_id, by_user_id, now)
        )

    def resolve(self, by_user_id: int, now: datetime) -> None:
        if self.status is CaseStatus.MERGED:
            target = f" (case {self.merged_into_id})" if self.merged_into_id else ""
            raise InvalidTransition(
                f"a merged case cannot be resolved; resolve the case it was merged into{target}"
            )
        if self.status is CaseStatus.RESOLVED:
            raise InvalidTransition("the case is already resolved")
        self._move(CaseStatus.RESOLVED, now)
        self.resolved_at = now
        self.snoozed_until = None
        self.last_activity_at = now
        self.events.append(events.CaseResolved(self.id, self.workspace_id, by_user_id, now))

    def reopen(self, by_user_id: int, now: datetime) -> None:
        if self.status is not CaseStatus.RESOLVED:
            raise InvalidTransition(
                f"only a resolved case can be reopened (this one is {self.status.label})"
            )
        self._move(CaseStatus.OPEN, now)
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
            self._move(CaseStatus.OPEN, now)
        self.snoozed_until = None  # the customer wrote: the case needs a person again
        self.last_activity_at = max(self.last_activity_at, now)
        self.events.append(events.CustomerWrote(self.id, self.workspace_id, post_id, now))

    def snooze(self, until: datetime | None, by_user_id: int, now: datetime) -> None:
        """Hide the case from the active inbox until ``until``; ``None`` wakes it now."""
        self._refuse_if_closed_for_work("snooze")
        if self.status is CaseStatus.RESOLVED:
            raise InvalidTransition("a resolved case cannot be snoozed; reopen it first")
        if until is not None and until <= now:
            raise InvalidInput("until", "a case can only be snoozed until a moment in the future")
        self.snoozed_until = until
        self.events.append(events.CaseSnoozed(self.id, self.workspace_id, until, by_user_id, now))

    def merge_into(self, target: Case, by_user_id: int, now: datetime) -> None:
        """Fold this case into ``target``: it becomes read-only and points at ``target``."""
        if target.id == self.id:
            raise InvalidTransition("a case cannot be merged into itself")
        if self.status is CaseStatus.MERGED:
            raise InvalidTransition(f"case {self.id} is already merged into {self.merged_into_id}")
        if target.status is CaseStatus.MERGED:
            raise InvalidTransition(
                f"case {target.id} is itself merged; merge into case {target.merged_into_id}"
            )
        if target.workspace_id != self.workspace_id:
            raise InvalidTransition("cases of different workspaces cannot be merged")
        self._move(CaseStatus.MERGED, now)
        self.merged_into_id = target.id
        self.snoozed_until = None
        self.last_activity_at = now
        target.absorb(self, now)
        self.events.append(
            events.CasesMerged(target.id, self.id, self.workspace_id, by_user_id, now)
        )

    def absorb(self, other: Case, now: datetime) -> None:
        """Take over another case's work: the earlier opening, the earlier first response."""
        self.opened_at = min(self.opened_at, other.opened_at)
        if other.first_response_at is not None:
            self.first_response_at = min(
                filter(None, (self.first_response_at, other.first_response_at))
            )
        self.priority = max(self.priority, other.priority)
        self.last_activity_at = max(self.last_activity_at, other.last_activity_at, now)
        if self.status is CaseStatus.RESOLVED:
            self.resolved_at = None
            self._move(CaseStatus.OPEN, now)

    def require_splittable(self) -> None:
        """Splitting moves posts out of this case, which a read-only case refuses."""
        self._refuse_if_closed_for_work("split")

    def _refuse_if_closed_for_work(self, action: str) -> None:
        if self.status is CaseStatus.MERGED:
            raise InvalidTransition(
                f"cannot {action} a merged case; it was merged into case {self.merged_into_id}"
            )

    @property
    def resolution_seconds(self) -> float | None:
        if self.resolved_at is None:
            return None
        return (self.resolved_at - self.opened_at).total_seconds()
