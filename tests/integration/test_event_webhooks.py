"""Outgoing event webhooks against a real local HTTP receiver that checks each call's
signature with the subscription's own secret: which events arrive, once each, retried through
the outbox when the receiver fails, and nothing while paused or after removal."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from mentiondesk.connectors.base import Delivered, OutgoingReply
from mentiondesk.connectors.notify import RecordingNotifier, WebhookSender
from mentiondesk.desk.audit_log import AuditFilter, audit_page
from mentiondesk.desk.event_webhooks import (
    do_add_webhook,
    do_remove_webhook,
    do_send_test_event,
    do_set_webhook_paused,
    webhook_views,
)
from mentiondesk.desk.sla_service import do_record_breaches
from mentiondesk.desk.sla_settings import do_update_desk_settings
from mentiondesk.domain.errors import InvalidInput, PermissionDenied
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import DeliveryStatus
from mentiondesk.web.security import SignatureVerifier, timestamp_problem
from tests.conftest import ServicesFactory
from tests.factories import Desk, build_desk


class Platformish:
    """Takes replies as a platform does (not simulated), so a reply can be ``sent``."""

    platform = Platform.X

    def send(self, reply: OutgoingReply) -> Delivered:
        return Delivered(f"x-{reply.idempotency_key}")


class Receiver:
    """A real HTTP server that accepts a call only when its signature matches ``secret``;
    answers ``statuses`` in turn (then 200)."""

    def __init__(self) -> None:
        self.secret = ""
        self.statuses: list[int] = []
        self.events: list[dict[str, Any]] = []
        self.refused = 0
        self.now = 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                ts = self.headers.get("x-mentiondesk-timestamp")
                verifier = SignatureVerifier(receiver.secret, int(ts or 0))
                verifier.update(body)
                fresh = timestamp_problem(ts, receiver.now) is None
                if not (fresh and verifier.matches(self.headers.get("x-mentiondesk-signature"))):
                    receiver.refused += 1
                    status = 401
                else:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    if status == 200:
                        receiver.events.append(json.loads(body))
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def names(self) -> list[str]:
        return [e["event"] for e in self.events]

    def wait_for(self, count: int) -> list[str]:
        """The names of the events received, once there are ``count`` (event calls are sent
        off the caller's thread)."""
        deadline = time.monotonic() + 10
        while len(self.events) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return sorted(self.names())

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(clock: FixedClock) -> Iterator[Receiver]:
    server = Receiver()
    server.now = clock.now().timestamp()
    yield server
    server.close()


@pytest.fixture
def desk(make_services: ServicesFactory, clock: FixedClock) -> Desk:
    sender = WebhookSender("alert-secret", now=lambda: clock.now().timestamp())
    return build_desk(
        make_services(
            connectors={Platform.X: Platformish()},
            notifiers={"webhook": sender, "email": RecordingNotifier()},
        )
    )


def subscribe(desk: Desk, receiver: Receiver, *events: str) -> int:
    with desk.services.uow() as uow:
        added = do_add_webhook(
            uow, desk.actor(desk.owner), receiver.url, list(events), now=desk.services.clock.now()
        )
    receiver.secret = added.secret
    assert added.secret.startswith("whsec_")
    return added.subscription.id


def deliveries(desk: Desk) -> int:
    with desk.services.uow() as uow:
        return sum(len(v.deliveries) for v in webhook_views(uow, desk.actor(desk.owner)))


def test_case_opened_reply_sent_and_case_resolved_arrive_signed_once_each(
    desk: Desk, receiver: Receiver
) -> None:
    subscribe(desk, receiver, "case.opened", "reply.sent", "case.resolved")
    case_id = desk.ingest_case(text="@acme my parcel is lost", author_handle="anna")
    desk.ingest(text="@acme still nothing", author_handle="anna")  # same case: no new event
    reply = desk.reply(desk.agent, case_id)
    assert desk.deliver(reply).status is DeliveryStatus.SENT
    desk.resolve(desk.agent, case_id)

    assert receiver.wait_for(3) == ["case.opened", "case.resolved", "reply.sent"]
    assert receiver.refused == 0
    by_name = {e["event"]: e for e in receiver.events}
    opened, sent, resolved = (by_name[n] for n in ("case.opened", "reply.sent", "case.resolved"))
    assert opened["workspace"] == "acme"
    assert opened["data"]["case"]["id"] == case_id
    assert opened["data"]["case"]["author_handle"] == "anna"
    assert sent["data"]["reply"]["id"] == reply.id
    assert sent["data"]["reply"]["text"] == reply.text
    assert resolved["data"]["case"]["status"] == "resolved"


def test_a_failing_receiver_is_retried_through_the_outbox_and_the_page_shows_each_state(
    desk: Desk, receiver: Receiver, clock: FixedClock
) -> None:
    subscription = subscribe(desk, receiver, "case.opened")
    receiver.statuses = [503]
    desk.ingest_case(text="@acme where is my refund")
    deadline = time.monotonic() + 10
    while True:
        with desk.services.uow() as uow:
            (view,) = webhook_views(uow, desk.actor(desk.owner))
        (first,) = view.deliveries
        if first.failure_reason or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    assert first.status is DeliveryStatus.QUEUED and first.attempts == 1
    assert first.failure_reason == "webhook answered 503"
    assert receiver.events == []

    clock.set(clock.now() + timedelta(minutes=1))
    receiver.now = clock.now().timestamp()
    desk.services.outbox.run_due()
    with desk.services.uow() as uow:
        (view,) = webhook_views(uow, desk.actor(desk.owner))
    assert view.subscription.id == subscription
    assert [d.status for d in view.deliveries] == [DeliveryStatus.SENT]
    assert receiver.names() == ["case.opened"]


def test_a_paused_subscription_hears_nothing_and_a_removed_one_is_never_called(
    desk: Desk, receiver: Receiver
) -> None:
    subscription = subscribe(desk, receiver, "case.opened")
    with desk.services.uow() as uow:
        do_set_webhook_paused(
            uow, desk.actor(desk.owner), subscription, True, now=desk.services.clock.now()
        )
    desk.ingest_case(text="@acme hello", author_handle="p1")
    assert deliveries(desk) == 0  # nothing was even queued
    with desk.services.uow() as uow:
        do_set_webhook_paused(
            uow, desk.actor(desk.owner), subscription, False, now=desk.services.clock.now()
        )
    desk.ingest_case(text="@acme hello again", author_handle="p2")
    assert receiver.wait_for(1) == ["case.opened"]
    with desk.services.uow() as uow:
        do_remove_webhook(uow, desk.actor(desk.owner), subscription, now=desk.services.clock.now())
    desk.ingest_case(text="@acme anyone?", author_handle="p3")
    with desk.services.uow() as uow:
        assert webhook_views(uow, desk.actor(desk.owner)) == []
        assert len(uow.webhooks.deliveries(desk.workspace.id, subscription)) == 1  # p2's only
    assert receiver.names() == ["case.opened"]


def test_the_test_event_is_sent_at_once_and_says_how_the_receiver_answered(
    desk: Desk, receiver: Receiver
) -> None:
    subscription = subscribe(desk, receiver, "alert.raised")
    with desk.services.uow() as uow:
        sent = do_send_test_event(
            uow, desk.actor(desk.owner), subscription, now=desk.services.clock.now()
        )
    assert sent.status is DeliveryStatus.SENT and sent.platform_ref == "200"
    assert receiver.names() == ["webhook.test"]
    receiver.secret = "not-the-subscription-secret"  # the receiver now rejects the signature
    with desk.services.uow() as uow:
        refused = do_send_test_event(
            uow, desk.actor(desk.owner), subscription, now=desk.services.clock.now()
        )
    assert refused.status is DeliveryStatus.FAILED
    assert refused.failure_reason == "webhook refused the call: 401"


def test_only_admins_subscribe_and_bad_input_is_refused_with_a_reason(
    desk: Desk, receiver: Receiver
) -> None:
    now = desk.services.clock.now()
    with desk.services.uow() as uow, pytest.raises(PermissionDenied):
        do_add_webhook(uow, desk.actor(desk.agent), receiver.url, ["case.opened"], now=now)
    cases = [
        ("ftp://example.com/x", ["case.opened"], "url"),
        ("https://user:pw@example.com/x", ["case.opened"], "url"),
        (receiver.url, [], "events"),
        (receiver.url, ["case.exploded"], "events"),
    ]
    for url, events, field in cases:
        with desk.services.uow() as uow, pytest.raises(InvalidInput) as refused:
            do_add_webhook(uow, desk.actor(desk.owner), url, events, now=now)
        assert refused.value.field == field


def test_changes_to_subscriptions_are_audited(desk: Desk, receiver: Receiver) -> None:
    subscription = subscribe(desk, receiver, "case.opened")
    with desk.services.uow() as uow:
        do_remove_webhook(uow, desk.actor(desk.owner), subscription, now=desk.services.clock.now())
    with desk.services.uow() as uow:
        page = audit_page(uow, desk.actor(desk.owner), AuditFilter())
    actions = [e.action for e in page.entries]
    assert "webhook.add" in actions and "webhook.remove" in actions


def test_an_sla_breach_is_told_once_and_the_alert_it_raises_too(
    desk: Desk, receiver: Receiver, clock: FixedClock
) -> None:
    subscribe(desk, receiver, "sla.breached", "alert.raised")
    now = clock.now()
    with desk.services.uow() as uow:
        do_update_desk_settings(
            uow, desk.actor(desk.owner), {"sla": {"first_response": 600}}, now=now
        )
    case_id = desk.ingest_case(text="@acme nobody answers")
    clock.set(now + timedelta(hours=1))
    receiver.now = clock.now().timestamp()
    for _ in range(2):  # a second sweep finds the breach recorded already
        with desk.services.uow() as uow:
            do_record_breaches(uow, clock.now())
    assert receiver.wait_for(2) == ["alert.raised", "sla.breached"]
    assert receiver.refused == 0
    breach = next(e for e in receiver.events if e["event"] == "sla.breached")
    assert breach["data"]["case"]["id"] == case_id
    assert breach["data"]["sla"] == {"metric": "first_response", "target_seconds": 600.0}
    alert = next(e for e in receiver.events if e["event"] == "alert.raised")
    assert alert["data"]["alert"]["kind"] == "sla" and alert["data"]["alert"]["case_id"] == case_id
