"""One outbox for every platform action: honest states, rate limits, unsupported channels."""

from __future__ import annotations

from datetime import timedelta

from mentiondesk.connectors.base import Delivered, ModerationTarget, OutgoingReply
from mentiondesk.desk.audit_log import AuditFilter
from mentiondesk.desk.outbox import TokenBucket
from mentiondesk.domain.outbox import PlatformAction
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import DeliveryStatus
from mentiondesk.moderation.actions import do_hide_post, platform_state
from tests.conftest import ServicesFactory
from tests.factories import build_desk


class Platformish:
    """Stands in for a real platform: it takes replies and moderation, and is not simulated."""

    platform = Platform.X

    def __init__(self) -> None:
        self.sent: list[OutgoingReply] = []
        self.hidden: list[ModerationTarget] = []

    def send(self, reply: OutgoingReply) -> Delivered:
        self.sent.append(reply)
        return Delivered(f"x-{len(self.sent)}")

    def hide(self, target: ModerationTarget) -> None:
        self.hidden.append(target)

    def unhide(self, target: ModerationTarget) -> None: ...

    def like(self, target: ModerationTarget) -> None: ...


class RepliesOnly:
    platform = Platform.X

    def send(self, reply: OutgoingReply) -> Delivered:
        return Delivered("x-1")


def test_a_platform_that_takes_the_reply_shows_it_sent_and_the_dev_channel_never_does(
    make_services: ServicesFactory,
) -> None:
    platform = Platformish()
    desk = build_desk(make_services(connectors={Platform.X: platform}))
    reply = desk.reply(desk.agent, desk.ingest_case(), "On it!")
    shown = desk.deliver(reply)
    assert shown.status is DeliveryStatus.SENT and shown.status.delivered
    assert shown.platform_reply_id == "x-1" and [r.text for r in platform.sent] == ["On it!"]

    dev = build_desk(make_services(), "globex", "Globex")
    simulated = dev.deliver(dev.reply(dev.agent, dev.ingest_case(), "On it!"))
    assert simulated.status is DeliveryStatus.SIMULATED and not simulated.status.delivered
    assert simulated.status.label == "not delivered — development channel"


def test_a_hide_reaches_the_platform_through_the_outbox_and_an_unable_channel_says_so(
    make_services: ServicesFactory,
) -> None:
    platform = Platformish()
    desk = build_desk(make_services(connectors={Platform.X: platform}))
    post_id = desk.ingest().post_id
    assert post_id is not None
    with desk.services.uow() as uow:
        outcome = do_hide_post(
            uow, desk.actor(desk.agent), post_id, "spam", now=desk.services.clock.now()
        )
    with desk.services.uow() as uow:
        assert platform_state(uow, outcome) == "sent"
        item = uow.outbox.latest_for_post(post_id, PlatformAction.HIDE)
    assert item is not None and item.status is DeliveryStatus.SENT
    assert [t.reason for t in platform.hidden] == ["spam"]

    other = build_desk(make_services(connectors={Platform.X: RepliesOnly()}), "globex", "Globex")
    other_post = other.ingest().post_id
    assert other_post is not None
    with other.services.uow() as uow:
        refused = do_hide_post(
            uow, other.actor(other.agent), other_post, "spam", now=other.services.clock.now()
        )
    with other.services.uow() as uow:
        assert platform_state(uow, refused) == "unsupported"
        audited = [
            e.action for e in uow.audit.page(other.workspace.id, AuditFilter(), offset=0, limit=50)
        ]
    assert "post.moderation_failed" in audited


def test_a_channel_over_its_rate_limit_waits_without_spending_an_attempt(
    make_services: ServicesFactory, clock: FixedClock
) -> None:
    limited = make_services()
    limited.outbox._limits._buckets["x"] = TokenBucket(6.0, burst=1.0)  # one now, then 1 per 10 s
    desk = build_desk(limited)
    first = desk.deliver(
        desk.reply(desk.agent, desk.ingest_case(author_handle="a"), "One", key="k1")
    )
    second = desk.deliver(
        desk.reply(desk.agent, desk.ingest_case(author_handle="b"), "Two", key="k2")
    )
    assert first.status is DeliveryStatus.SIMULATED
    assert second.status is DeliveryStatus.QUEUED and second.attempts == 0
    assert second.next_attempt_at is not None and second.next_attempt_at > clock.now()


def test_the_token_bucket_refills_at_its_rate() -> None:
    bucket = TokenBucket(60.0, burst=2.0, updated=0.0)
    assert bucket.take(0.0) == 0.0 and bucket.take(0.0) == 0.0
    assert bucket.take(0.0) == 1.0  # one a second
    assert bucket.take(1.0) == 0.0
    assert timedelta(seconds=bucket.take(1.0)) == timedelta(seconds=1)
