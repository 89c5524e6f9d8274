"""What the inbox feed tells open inboxes, and to whom."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from mentiondesk.desk.inbox_feed import (
    FeedItem,
    InboxChange,
    InboxFeed,
    PresenceChange,
    changes_of,
)
from mentiondesk.domain import events as ev

AT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_post_that_opened_its_case_counts_once_and_other_events_are_left_out() -> None:
    found = changes_of(
        [
            ev.PostReceived(10, 1, 5, AT),
            ev.CaseOpened(5, 1, 10, AT),
            ev.CustomerWrote(5, 1, 10, AT),
            ev.CustomerWrote(6, 1, 11, AT),
            ev.CaseAssigned(6, 1, 3, 2, AT),
        ]
    )
    assert found == [
        InboxChange(1, 5, "opened"),
        InboxChange(1, 6, "post"),
        InboxChange(1, 6, "assigned", 3),
    ]


def test_subscribers_get_only_their_workspace_and_leave_cleanly() -> None:
    async def scenario() -> tuple[FeedItem, bool, int]:
        feed = InboxFeed()
        mine, other = feed.subscribe(1), feed.subscribe(2)
        feed.publish([ev.CaseResolved(7, 1, 2, AT)])
        got = await asyncio.wait_for(mine.queue.get(), timeout=2)
        await asyncio.sleep(0)
        nothing = other.queue.empty()
        feed.unsubscribe(mine)
        feed.unsubscribe(other)
        return got, nothing, feed.subscribers(1) + feed.subscribers(2)

    got, nothing, left = asyncio.run(scenario())
    assert got == InboxChange(1, 7, "resolved")
    assert nothing and left == 0


def test_a_change_is_one_server_sent_event() -> None:
    assert InboxChange(1, 7, "assigned", 3).as_sse() == (
        'event: case\ndata: {"case_id": 7, "kind": "assigned", "agent_id": 3}\n\n'
    )


def test_presence_goes_to_the_workspace_s_open_inboxes_as_its_own_event() -> None:
    async def scenario() -> FeedItem:
        feed = InboxFeed()
        mine = feed.subscribe(1)
        feed.publish_presence(PresenceChange(1, 7, 3, "Bruno", "typing"))
        return await asyncio.wait_for(mine.queue.get(), timeout=2)

    got = asyncio.run(scenario())
    assert got.as_sse() == (
        'event: presence\ndata: {"case_id": 7, "user_id": 3, "name": "Bruno", '
        '"state": "typing"}\n\n'
    )
