"""The inbox: filters, sorting and paging; and the case view with the author's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from mentiondesk.domain.cases import CaseStatus
from mentiondesk.domain.inbox import ASSIGNEE_UNASSIGNED, InboxSort
from tests.conftest import START, ServicesFactory
from tests.factories import Desk, ScriptedTriager, build_desk, minutes_before


@dataclass
class Inbox:
    """Four cases with known labels (priority, language, needs-reply) and owners."""

    desk: Desk
    polish: int  # priority 30, unassigned, oldest
    italian: int  # priority 90, assigned to the agent
    english: int  # priority 60, no reply needed, unassigned, newest
    resolved: int  # priority 70, resolved

    def ids(self, **filters: object) -> list[int]:
        return [row.case_id for row in self.desk.inbox(self.desk.agent, **filters).rows]


@pytest.fixture
def inbox(make_services: ServicesFactory) -> Inbox:
    triager = ScriptedTriager(
        {
            "pl-1": {"priority": 30, "language": "pl"},
            "it-1": {"priority": 90, "language": "it"},
            "en-1": {"priority": 60, "language": "en", "needs_reply": False},
            "pl-2": {"priority": 70, "language": "pl"},
        }
    )
    desk = build_desk(make_services(triager=triager))
    polish = desk.ingest_case(
        platform_post_id="pl-1", author_handle="kasia", created_at=minutes_before(START, 50)
    )
    italian = desk.ingest_case(
        platform_post_id="it-1", author_handle="giulia", created_at=minutes_before(START, 40)
    )
    english = desk.ingest_case(
        platform_post_id="en-1", author_handle="john", created_at=minutes_before(START, 30)
    )
    resolved = desk.ingest_case(
        platform_post_id="pl-2", author_handle="piotr", created_at=minutes_before(START, 60)
    )
    desk.assign(desk.owner, italian, desk.agent)
    desk.resolve(desk.agent, resolved)
    return Inbox(desk, polish, italian, english, resolved)


class TestFilters:
    def test_the_default_inbox_holds_unresolved_cases_only(self, inbox: Inbox) -> None:
        assert sorted(inbox.ids()) == sorted([inbox.polish, inbox.italian, inbox.english])

    def test_filtering_by_status(self, inbox: Inbox) -> None:
        assert inbox.ids(statuses=(CaseStatus.RESOLVED,)) == [inbox.resolved]
        assert inbox.ids(statuses=(CaseStatus.OPEN,)) == [inbox.italian]

    def test_filtering_by_language(self, inbox: Inbox) -> None:
        assert inbox.ids(language="it") == [inbox.italian]
        assert inbox.ids(language="pl") == [inbox.polish]
        assert inbox.ids(language="de") == []

    def test_filtering_by_assignee(self, inbox: Inbox) -> None:
        assert inbox.ids(assignee_id=inbox.desk.agent.id) == [inbox.italian]
        assert inbox.ids(assignee_id=inbox.desk.colleague.id) == []

    def test_filtering_for_unassigned_cases(self, inbox: Inbox) -> None:
        assert sorted(inbox.ids(assignee_id=ASSIGNEE_UNASSIGNED)) == sorted(
            [inbox.polish, inbox.english]
        )

    def test_filtering_by_whether_a_reply_is_needed(self, inbox: Inbox) -> None:
        assert sorted(inbox.ids(needs_reply=True)) == sorted([inbox.polish, inbox.italian])
        assert inbox.ids(needs_reply=False) == [inbox.english]

    def test_filtering_by_platform_and_by_whether_the_brand_was_tagged(self, desk: Desk) -> None:
        tagged_on_x = desk.ingest_case(platform="x", text="@acme help")
        named_on_x = desk.ingest_case(platform="x", text="Acme is slow today", author_handle="b")
        on_instagram = desk.ingest_case(platform="instagram", text="@acme.pl ciao")

        def ids(**filters: object) -> list[int]:
            return sorted(r.case_id for r in desk.inbox(desk.agent, **filters).rows)

        assert ids(platform="instagram") == [on_instagram]
        assert ids(platform="x") == sorted([tagged_on_x, named_on_x])
        assert ids(tagged=False) == [named_on_x]
        assert ids(tagged=True) == sorted([tagged_on_x, on_instagram])

    def test_filters_combine(self, inbox: Inbox) -> None:
        assert inbox.ids(language="pl", assignee_id=ASSIGNEE_UNASSIGNED) == [inbox.polish]
        assert inbox.ids(language="pl", statuses=(CaseStatus.NEW, CaseStatus.RESOLVED)) == [
            inbox.resolved,
            inbox.polish,
        ]

    def test_the_total_counts_every_matching_case_not_just_the_page(self, inbox: Inbox) -> None:
        page = inbox.desk.inbox(inbox.desk.agent, page_size=1)

        assert page.total == 3
        assert len(page.rows) == 1


class TestSorting:
    def test_urgent_puts_the_highest_priority_first(self, inbox: Inbox) -> None:
        assert inbox.ids(sort=InboxSort.URGENT) == [inbox.italian, inbox.english, inbox.polish]

    def test_newest_puts_the_latest_activity_first(self, inbox: Inbox) -> None:
        assert inbox.ids(sort=InboxSort.NEWEST) == [inbox.english, inbox.italian, inbox.polish]

    def test_oldest_puts_the_longest_waiting_first(self, inbox: Inbox) -> None:
        assert inbox.ids(sort=InboxSort.OLDEST) == [inbox.polish, inbox.italian, inbox.english]

    def test_new_activity_moves_a_case_up_in_newest(self, inbox: Inbox) -> None:
        inbox.desk.services.clock.set(START + timedelta(minutes=5))  # type: ignore[attr-defined]
        inbox.desk.reply(inbox.desk.agent, inbox.polish)

        assert inbox.ids(sort=InboxSort.NEWEST)[0] == inbox.polish


class TestPaging:
    def test_pages_split_the_sorted_list_without_gaps_or_repeats(self, inbox: Inbox) -> None:
        first = inbox.desk.inbox(inbox.desk.agent, sort=InboxSort.OLDEST, page_size=2, page=1)
        second = inbox.desk.inbox(inbox.desk.agent, sort=InboxSort.OLDEST, page_size=2, page=2)

        assert [r.case_id for r in first.rows] == [inbox.polish, inbox.italian]
        assert [r.case_id for r in second.rows] == [inbox.english]
        assert (first.total, first.pages, second.page) == (3, 2, 2)

    def test_a_page_past_the_end_is_empty(self, inbox: Inbox) -> None:
        page = inbox.desk.inbox(inbox.desk.agent, page_size=2, page=3)

        assert page.rows == ()
        assert page.total == 3

    def test_a_page_number_below_one_shows_the_first_page(self, inbox: Inbox) -> None:
        assert inbox.ids(page=0, page_size=1, sort=InboxSort.OLDEST) == [inbox.polish]


class TestRows:
    def test_a_row_shows_who_wrote_what_and_who_owns_it(self, inbox: Inbox) -> None:
        [row] = inbox.desk.inbox(inbox.desk.agent, language="it").rows

        assert row.author_handle == "giulia"
        assert row.author_name == "Anna Kowalska"
        assert row.assignee_id == inbox.desk.agent.id
        assert row.assignee_name == inbox.desk.agent.name
        assert row.summary.startswith("@acme my parcel")
        assert row.priority == 90
        assert row.status is CaseStatus.OPEN
        assert row.tagged
        assert row.version == 2


class TestCaseView:
    def test_the_authors_earlier_cases_appear_in_the_case_view(self, desk: Desk) -> None:
        earlier = desk.ingest_case(
            conversation_id="c1", text="@acme broken zip", created_at=minutes_before(START, 600)
        )
        desk.resolve(desk.agent, earlier)
        someone_else = desk.ingest_case(conversation_id="c2", author_handle="marco_b")
        current = desk.ingest_case(conversation_id="c3", text="@acme broken again")

        view = desk.view(desk.agent, current)

        assert [(c.case_id, c.status) for c in view.earlier_cases] == [
            (earlier, CaseStatus.RESOLVED)
        ]
        assert view.earlier_cases[0].summary == "@acme broken zip"
        assert someone_else not in [c.case_id for c in view.earlier_cases]

    def test_the_thread_interleaves_customer_posts_and_replies_in_time_order(
        self, desk: Desk
    ) -> None:
        case_id = desk.ingest_case(
            conversation_id="c1", text="@acme help", created_at=minutes_before(START, 20)
        )
        desk.services.clock.set(START - timedelta(minutes=15))  # type: ignore[attr-defined]
        desk.reply(desk.agent, case_id, "What is your order number?")
        desk.ingest(conversation_id="c1", text="@acme 4411", created_at=minutes_before(START, 10))

        thread = desk.view(desk.agent, case_id).thread

        assert [
            (e.post.inbound.text if e.post else e.reply.text if e.reply else None, e.reply_author)
            for e in thread
        ] == [
            ("@acme help", None),
            ("What is your order number?", desk.agent.name),
            ("@acme 4411", None),
        ]
