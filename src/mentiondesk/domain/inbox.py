"""Read models of the inbox: what an agent filters by and what each row shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from mentiondesk.domain.cases import CaseStatus


class InboxSort(StrEnum):
    URGENT = "urgent"  # priority first, then most recent activity
    NEWEST = "newest"
    OLDEST = "oldest"  # longest-waiting first


ASSIGNEE_UNASSIGNED = -1


@dataclass(frozen=True, slots=True)
class InboxFilter:
    statuses: tuple[CaseStatus, ...] = (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.WAITING)
    language: str | None = None
    assignee_id: int | None = None  # ASSIGNEE_UNASSIGNED for "nobody"
    platform: str | None = None
    needs_reply: bool | None = None
    tagged: bool | None = None
    sort: InboxSort = InboxSort.URGENT
    page: int = 1
    page_size: int = 50


@dataclass(frozen=True, slots=True)
class InboxRow:
    case_id: int
    status: CaseStatus
    platform: str
    author_handle: str
    author_name: str
    author_followers: int | None
    language: str | None
    sentiment: str | None
    tagged: bool
    needs_reply: bool
    priority: int
    summary: str
    assignee_id: int | None
    assignee_name: str | None
    opened_at: datetime
    last_activity_at: datetime
    version: int


@dataclass(frozen=True, slots=True)
class InboxPage:
    rows: tuple[InboxRow, ...]
    total: int
    page: int
    page_size: int
    total_capped: bool = False  # ``total`` is a lower bound: counting stopped there

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))
