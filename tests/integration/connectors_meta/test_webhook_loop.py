"""Meta's side of the loop: the fake signs and delivers webhooks as Meta does; a receiver that
checks them with ``signature`` and ``parser`` hears the comment, and the connector answers it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

from mentiondesk.connectors.base import OutgoingReply
from mentiondesk.connectors.meta import fake_webhooks as wh
from mentiondesk.connectors.meta.connector import MetaConnector
from mentiondesk.connectors.meta.events import EventKind, MetaEvent
from mentiondesk.connectors.meta.fake_server import FakeGraphServer
from mentiondesk.connectors.meta.parser import parse_webhook
from mentiondesk.connectors.meta.signature import (
    SIGNATURE_HEADER,
    subscription_challenge,
    verify_signature,
)
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.replies import ReplyVisibility

from .conftest import NOW, PAGE

VERIFY_TOKEN = "meatyhamhock"


class Receiver:
    """A minimal webhook endpoint doing what the real one must: check, then parse."""

    def __init__(self, app_secret: str) -> None:
        self.raw: list[bytes] = []
        self.events: list[MetaEvent] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                params = dict(parse_qsl(urlsplit(self.path).query))
                challenge = subscription_challenge(params, VERIFY_TOKEN)
                self._answer(200 if challenge else 403, (challenge or "").encode())

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if not verify_signature(body, self.headers.get(SIGNATURE_HEADER), app_secret):
                    self._answer(403, b"")
                    return
                receiver.raw.append(body)
                receiver.events += [r for r in parse_webhook(body) if isinstance(r, MetaEvent)]
                self._answer(200, b"EVENT_RECEIVED")

            def _answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}/webhooks/meta"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def receiver(fake: FakeGraphServer) -> Iterator[Receiver]:
    with Receiver(fake.graph.app_secret) as running:
        yield running


def test_the_handshake_is_answered_only_with_the_right_verify_token(receiver: Receiver) -> None:
    ok = wh.handshake(receiver.url, VERIFY_TOKEN, challenge="1158201444")
    wrong = wh.handshake(receiver.url, "guess")

    assert (ok.status_code, ok.text) == (200, "1158201444")
    assert wrong.status_code == 403


def test_a_signed_comment_is_heard_and_answered_under_it(
    fake: FakeGraphServer, receiver: Receiver, facebook: MetaConnector
) -> None:
    post = fake.graph.add_post(PAGE, "Nowe godziny otwarcia")
    comment = fake.graph.add_comment(
        post.id, "Gdzie jest moja paczka?", author_id="555", author_name="Zofia Żak"
    )
    body = wh.batch(
        "page",
        wh.entry(
            PAGE,
            NOW,
            changes=[
                wh.comment(
                    comment_id=comment.id,
                    post_id=post.id,
                    message=comment.message,
                    author_id="555",
                    author_name="Zofia Żak",
                    at=NOW,
                )
            ],
        ),
    )

    answer = fake.deliver(receiver.url, body)

    assert answer.status_code == 200
    assert b"\\u017b" in receiver.raw[0]  # sent escaped, as Meta does, and verified as such
    (event,) = receiver.events
    assert event.kind is EventKind.COMMENT_ADDED
    assert event.post is not None and event.post["author_name"] == "Zofia Żak"

    facebook.send(
        OutgoingReply(
            Platform.FACEBOOK,
            "acme",
            "Pani Zofio, sprawdzamy!",
            ReplyVisibility.PUBLIC,
            event.platform_post_id,
            event.post["author_handle"],
            "reply-1",
        )
    )
    (request,) = fake.graph.requests_to("POST", f"/{comment.id}/comments")
    assert request.params["message"] == "Pani Zofio, sprawdzamy!"


def test_a_batch_with_comments_and_messages_arrives_in_order(
    fake: FakeGraphServer, receiver: Receiver
) -> None:
    post = fake.graph.add_post(PAGE, "Hours")
    changes = [
        wh.comment(
            comment_id=f"1_{i}",
            post_id=post.id,
            message=f"c{i}",
            author_id="9",
            author_name="X",
            at=NOW,
        )
        for i in range(3)
    ]
    messages = [wh.message(sender="77", recipient=PAGE, mid="m_1", text="hello", at=NOW)]
    body = wh.batch(
        "page", wh.entry(PAGE, NOW, changes=changes), wh.entry(PAGE, NOW, messaging=messages)
    )

    fake.deliver(receiver.url, body)

    assert [e.platform_post_id for e in receiver.events] == ["1_0", "1_1", "1_2", "m_1"]


def test_a_webhook_with_a_wrong_signature_is_refused_and_not_parsed(
    fake: FakeGraphServer, receiver: Receiver
) -> None:
    body = wh.batch(
        "page",
        wh.entry(
            PAGE,
            NOW,
            messaging=[wh.message(sender="77", recipient=PAGE, mid="m_1", text="hello", at=NOW)],
        ),
    )

    forged = fake.deliver(receiver.url, body, signature="sha256=" + "0" * 64)
    unsigned = fake.deliver(receiver.url, body, signature="")

    assert (forged.status_code, unsigned.status_code) == (403, 403)
    assert receiver.events == []
