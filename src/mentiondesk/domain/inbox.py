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
MAX_PAGE_SIZE = 200


@dataclass(frozen=True, slots=True)
class InboxFilter:
    statuses: tuple[CaseStatus, ...] = (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.WAITING)
    language: str | None = None
    assignee_id: int | None = None  # ASSIGNEE_UNASSIGNED for "nobody"
    platform: str | None = None
    needs_reply: bool | None = None
    tagged: bool | None = None
    mention_kind: str | None = None  # direct, indirect, fuzzy or query: how the case opened
    intent: str | None = None  # triage's intent of the case (complaint, question, ...)
    sort: InboxSort = InboxSort.URGENT
    page: int = 1
    page_size: int = 50
    # SLA and case lifecycle
    awake_at: datetime | None = None  # hide cases snoozed beyond this instant
    breached: bool | None = None  # only cases with (True) / without (False) a recorded breach
    due_before: datetime | None = None  # only cases whose next SLA clock falls due by then
    # folded substrings the case's search text must all contain (see desk/search.py)
    search: tuple[str, ...] = ()
    # count exactly up to at least this many (the page shows "1,000+" past it)
    count_at_least: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be 1-{MAX_PAGE_SIZE}")


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
    intent: str | None
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
