"""The inbox read model: what the default view holds and how pages are counted."""

from __future__ import annotations

import pytest

from mentiondesk.domain.cases import CaseStatus
from mentiondesk.domain.inbox import InboxFilter, InboxPage, InboxSort


def test_the_default_inbox_shows_unfinished_work_most_urgent_first() -> None:
    f = InboxFilter()

    assert set(f.statuses) == {CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.WAITING}
    assert f.sort is InboxSort.URGENT
    assert f.page == 1


@pytest.mark.parametrize(
    ("total", "page_size", "pages"), [(0, 50, 1), (1, 50, 1), (50, 50, 1), (51, 50, 2), (7, 3, 3)]
)
def test_the_number_of_pages_rounds_up_and_is_never_zero(
    total: int, page_size: int, pages: int
) -> None:
    assert InboxPage((), total, 1, page_size).pages == pages
