"""The inbox query as the benchmark tuned it: a capped count the page admits to, and active
statuses written as literals so that the partial indexes of migration 0005 apply."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from mentiondesk.domain.cases import CaseStatus
from mentiondesk.domain.inbox import InboxSort
from tests.factories import Desk

pytestmark = pytest.mark.usefixtures("database_url")


def test_the_count_stops_ten_pages_ahead_and_says_it_did(desk: Desk) -> None:
    for n in range(25):
        desk.ingest_case(author_handle=f"customer_{n}")
    page = desk.inbox(desk.agent, page_size=2)  # counts up to (1 + 10) pages of 2
    assert (page.total, page.total_capped) == (22, True)
    last = desk.inbox(desk.agent, page_size=2, page=13)  # near the end the count is exact
    assert (last.total, last.total_capped) == (25, False)
    assert len(last.rows) == 1
    assert desk.inbox(desk.agent, page_size=50).total_capped is False


def test_active_statuses_reach_the_database_as_literals(desk: Desk) -> None:
    desk.ingest_case()
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    engine = desk.services.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        page = desk.inbox(
            desk.agent, statuses=(CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.WAITING)
        )
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert page.total == 1
    inbox_sql = [s for s in seen if "FROM cases" in s and "ORDER BY" in s]
    assert inbox_sql and "IN ('new', 'open', 'waiting')" in inbox_sql[0]


def test_pages_follow_each_other_in_the_chosen_order(desk: Desk) -> None:
    opened = {}
    for n in (3, 1, 4, 5, 2):
        at = f"2026-03-10T0{n}:00:00+00:00"
        opened[desk.ingest_case(author_handle=f"customer_{n}", created_at=at)] = n
    newest = [
        row.case_id
        for page in (1, 2, 3)
        for row in desk.inbox(desk.agent, sort=InboxSort.NEWEST, page_size=2, page=page).rows
    ]
    assert newest == sorted(opened, key=lambda case_id: -opened[case_id])
    oldest = [
        row.case_id
        for page in (1, 2, 3)
        for row in desk.inbox(desk.agent, sort=InboxSort.OLDEST, page_size=2, page=page).rows
    ]
    assert oldest == newest[::-1]
