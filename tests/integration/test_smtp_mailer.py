"""The SMTP mailer against a real local SMTP server: a message arrives whole, a temporary
refusal is worth a retry, a permanent one is not, and a server that is down is retried."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from mentiondesk.connectors.base import DeliveryFailed
from mentiondesk.connectors.notify import SmtpMailer
from mentiondesk.domain.alerts import Notification
from tests.smtp import free_port, smtp_server

MESSAGE = Notification("ania@skylot.example", "[Skylot] volume alert", "12 negative posts on x")


def test_a_message_arrives_with_its_sender_subject_and_text() -> None:
    with smtp_server() as (inbox, port):
        ref = SmtpMailer("127.0.0.1", port, "desk@skylot.example").send(MESSAGE, "alert:1:email:0")
    (mail,) = inbox.to("ania@skylot.example")
    assert mail["From"] == "desk@skylot.example"
    assert mail["Subject"] == "[Skylot] volume alert"
    assert mail.get_payload().strip() == "12 negative posts on x"
    assert ref == mail["Message-ID"]


class Refusing:
    def __init__(self, reply: str) -> None:
        self.reply = reply

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        return self.reply


@pytest.fixture
def refusing() -> Iterator[tuple[Refusing, int]]:
    handler = Refusing("451 4.3.0 try again later")
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def test_a_temporary_refusal_is_worth_a_retry_and_a_permanent_one_is_not(
    refusing: tuple[Refusing, int],
) -> None:
    handler, port = refusing
    mailer = SmtpMailer("127.0.0.1", port)
    with pytest.raises(DeliveryFailed) as later:
        mailer.send(MESSAGE, "k")
    assert later.value.transient
    handler.reply = "550 5.1.1 no such user"
    with pytest.raises(DeliveryFailed) as never:
        mailer.send(MESSAGE, "k")
    assert not never.value.transient and "no such user" in never.value.reason


def test_a_server_that_is_down_is_retried() -> None:
    with pytest.raises(DeliveryFailed) as down:
        SmtpMailer("127.0.0.1", free_port(), timeout=2).send(MESSAGE, "k")
    assert down.value.transient and "unreachable" in down.value.reason
