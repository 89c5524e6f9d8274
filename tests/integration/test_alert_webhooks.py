"""Outgoing alert webhooks through the one outbox, against a real local HTTP server: signed
as inbound webhooks are (a receiver using ``web/security.py`` accepts them), retried with
backoff when the receiver fails, and shaped for Slack or Teams when the rota says so."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from mentiondesk.analytics.alerts import do_update_rota
from mentiondesk.connectors.notify import RecordingNotifier, WebhookSender
from mentiondesk.domain.outbox import PlatformAction
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.replies import DeliveryStatus
from mentiondesk.web.security import SignatureVerifier, timestamp_problem
from tests.conftest import ServicesFactory
from tests.factories import Desk, build_desk
from tests.integration.test_alerts_flow import spike

SECRET = "hook-secret-for-tests"


class Receiver:
    """Answers ``statuses`` in turn (then 200) and keeps each call's headers and body."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.calls: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                receiver.calls.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/alerts"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver([503])
    yield server
    server.close()


@pytest.fixture
def desk(make_services: ServicesFactory, clock: FixedClock) -> Desk:
    sender = WebhookSender(SECRET, now=lambda: clock.now().timestamp())
    return build_desk(make_services(notifiers={"webhook": sender, "email": RecordingNotifier()}))


def rota(desk: Desk, url: str, style: str) -> None:
    with desk.services.uow() as uow:
        do_update_rota(
            uow,
            desk.actor(desk.owner),
            {
                "weekday": [{"start": "00:00", "end": "00:00", "people": [desk.agent.id]}],
                "webhook_url": url,
                "webhook_style": style,
            },
            now=desk.services.clock.now(),
        )


def webhook_rows(desk: Desk) -> list[Any]:
    with desk.services.uow() as uow:
        rows = uow.outbox.listing(workspace_id=desk.workspace.id)
    return [r for r in rows if r.action is PlatformAction.NOTIFY_WEBHOOK]


def test_a_failed_webhook_is_retried_with_backoff_and_arrives_signed(
    desk: Desk, receiver: Receiver, clock: FixedClock
) -> None:
    rota(desk, receiver.url, "json")
    spike(desk, 8)
    rows = webhook_rows(desk)
    assert len(rows) == 1
    assert rows[0].status is DeliveryStatus.QUEUED and rows[0].attempts == 1
    assert rows[0].failure_reason == "webhook answered 503"
    assert len(receiver.calls) == 1
    assert desk.services.outbox.run_due() == []  # not due before its backoff
    clock.set(clock.now() + timedelta(minutes=1))
    desk.services.outbox.run_due()
    rows = webhook_rows(desk)
    assert rows[0].status is DeliveryStatus.SENT
    assert len(receiver.calls) == 2

    headers, body = receiver.calls[-1]
    ts = int(headers["x-mentiondesk-timestamp"])
    assert timestamp_problem(str(ts), clock.now().timestamp()) is None
    verifier = SignatureVerifier(SECRET, ts)
    verifier.update(body)
    assert verifier.matches(headers["x-mentiondesk-signature"])
    forged = SignatureVerifier("another-secret", ts)
    forged.update(body)
    assert not forged.matches(headers["x-mentiondesk-signature"])
    payload = json.loads(body)
    assert payload["event"] == "alert.raised" and payload["workspace"] == "acme"
    assert payload["alert"]["kind"] == "volume" and len(payload["alert"]["posts"]) >= 4


@pytest.mark.parametrize("style", ["slack", "teams"])
def test_slack_and_teams_receive_their_own_payload_shapes(
    desk: Desk, receiver: Receiver, style: str
) -> None:
    receiver.statuses.clear()
    rota(desk, receiver.url, style)
    spike(desk, 8)
    _, body = receiver.calls[0]
    payload = json.loads(body)
    if style == "slack":
        assert "negative posts on x" in payload["text"]
        assert payload["blocks"][0]["type"] == "section"
    else:
        assert payload["@type"] == "MessageCard"
        assert "negative posts on x" in payload["title"]


def test_a_receiver_that_refuses_for_good_leaves_a_failed_row_with_its_reason(
    desk: Desk, receiver: Receiver
) -> None:
    receiver.statuses[:] = [410]
    rota(desk, receiver.url, "json")
    spike(desk, 8)
    rows = webhook_rows(desk)
    assert rows[0].status is DeliveryStatus.FAILED
    assert rows[0].failure_reason == "webhook refused the call: 410"
