"""duplicate_reply: the same text sent to other customers today."""

from datetime import UTC, datetime, timedelta

from mentiondesk.replies.guard import (
    GuardContext,
    GuardSettings,
    InMemoryReplyHistory,
    SentReply,
    check_reply,
)

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
BODY = (
    "we are sorry to hear about the delay with your parcel. Our courier partner is experiencing "
    "high volumes this week and we expect deliveries to return to normal shortly."
)


class ListHistory:
    """A history without its own index, as a storage-backed one might start out."""

    def __init__(self, replies: list[SentReply]) -> None:
        self.replies = replies

    def sent_since(self, since: datetime) -> list[SentReply]:
        return [r for r in self.replies if r.sent_at >= since]


def _ctx(author: str = "Anna Lee", handle: str = "anna_l") -> GuardContext:
    return GuardContext(author_name=author, author_handle=handle, now=NOW)


def test_the_same_body_sent_to_another_customer_today_blocks() -> None:
    history = InMemoryReplyHistory([SentReply(f"Hi Marco, {BODY}", "marco_b", NOW)])
    result = check_reply(f"Hi Anna, {BODY}", _ctx(), history)
    assert "duplicate_reply" in result.checks
    assert result.blocked


def test_a_near_identical_body_blocks() -> None:
    history = InMemoryReplyHistory([SentReply(f"Hi Marco, {BODY}", "marco_b", NOW)])
    edited = f"Hi Anna, {BODY.replace('this week', 'these days')}"
    assert "duplicate_reply" in check_reply(edited, _ctx(), history).checks


def test_a_reply_sent_to_the_same_author_does_not_count() -> None:
    history = InMemoryReplyHistory([SentReply(f"Hi Anna, {BODY}", "@Anna_L", NOW)])
    assert "duplicate_reply" not in check_reply(f"Hi Anna, {BODY}", _ctx(), history).checks


def test_yesterdays_replies_do_not_count() -> None:
    yesterday = NOW - timedelta(days=1)
    history = InMemoryReplyHistory([SentReply(f"Hi Marco, {BODY}", "marco_b", yesterday)])
    assert "duplicate_reply" not in check_reply(f"Hi Anna, {BODY}", _ctx(), history).checks


def test_a_different_reply_passes_and_short_thanks_are_exempt() -> None:
    history = InMemoryReplyHistory(
        [SentReply(f"Hi Marco, {BODY}", "marco_b", NOW), SentReply("Thanks!", "x", NOW)]
    )
    other = "Hi Anna, your refund of the second charge was issued this morning; it shows in 3 days."
    assert "duplicate_reply" not in check_reply(other, _ctx(), history).checks
    assert "duplicate_reply" not in check_reply("Thanks!", _ctx(), history).checks


def test_the_threshold_is_the_workspaces() -> None:
    history = InMemoryReplyHistory([SentReply(f"Hi Marco, {BODY}", "marco_b", NOW)])
    edited = f"Hi Anna, {BODY[:90]} and it should be with you on Thursday at the latest."
    strict = GuardContext(
        author_name="Anna Lee", now=NOW, settings=GuardSettings(duplicate_threshold=0.6)
    )
    assert "duplicate_reply" in check_reply(edited, strict, history).checks
    assert "duplicate_reply" not in check_reply(edited, _ctx(), history).checks


def test_a_plain_history_without_an_index_works_too() -> None:
    history = ListHistory([SentReply(f"Hi Marco, {BODY}", "marco_b", NOW)])
    assert "duplicate_reply" in check_reply(f"Hi Anna, {BODY}", _ctx(), history).checks
