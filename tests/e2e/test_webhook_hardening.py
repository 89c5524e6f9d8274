"""The signed webhook under attack: replayed, oversized, and fed every kind of broken body.

A body that cannot become a post is kept in ``rejected_inputs`` with its reason, once, however
often it is re-sent; a request that is not signed, or signed too long ago, is refused before
its body is read; a body past the cap is never buffered."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from mentiondesk.bootstrap import Services
from mentiondesk.domain.ports import FixedClock
from mentiondesk.storage import tables as t
from mentiondesk.web.api.routes import WEBHOOK_MAX_BYTES
from mentiondesk.web.app import create_app
from mentiondesk.web.security import sign_body, signed_headers
from tests.e2e.bad_inputs import bad_bodies, clean_surprises
from tests.e2e.conftest import NOW, Seed, raw_post

URL = "/api/v1/inbound/skylot-hook"


def _send(client: TestClient, secret: str, body: bytes, *, at: int | None = None) -> Any:
    stamp = int(NOW.timestamp()) if at is None else at
    headers = {"content-type": "application/json", **signed_headers(secret, body, stamp)}
    return client.post(URL, content=body, headers=headers)


def _kept(services: Services) -> list[dict[str, Any]]:
    with services.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(t.rejected_inputs))]


def _posts(services: Services) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.posts)).scalar_one())


def test_a_request_signed_more_than_five_minutes_ago_or_ahead_is_refused(
    client: TestClient, seed: Seed
) -> None:
    body = json.dumps(raw_post("700", "@skylot is my flight on time?")).encode()
    now = int(NOW.timestamp())
    stale = _send(client, seed.skylot_secret, body, at=now - 301)
    assert stale.status_code == 401
    assert "older than 5 minutes" in stale.json()["detail"]
    ahead = _send(client, seed.skylot_secret, body, at=now + 301)
    assert ahead.status_code == 401 and "future" in ahead.json()["detail"]
    no_stamp = client.post(
        URL, content=body, headers={"x-mentiondesk-signature": sign_body("x", body, now)}
    )
    assert no_stamp.status_code == 401
    assert "X-Mentiondesk-Timestamp" in no_stamp.json()["detail"]
    assert _send(client, seed.skylot_secret, body, at=now - 299).status_code == 202


def test_a_captured_request_cannot_be_replayed_later_or_with_another_timestamp(
    client: TestClient, services: Services, seed: Seed
) -> None:
    body = json.dumps(raw_post("701", "@skylot refund please")).encode()
    stamp = int(NOW.timestamp())
    captured = {
        "content-type": "application/json",
        **signed_headers(seed.skylot_secret, body, stamp),
    }
    assert client.post(URL, content=body, headers=captured).status_code == 202
    moved = {**captured, "x-mentiondesk-timestamp": str(stamp + 600)}
    assert isinstance(services.clock, FixedClock)
    services.clock.set(NOW + timedelta(minutes=10))
    assert client.post(URL, content=body, headers=captured).status_code == 401
    forged = client.post(URL, content=body, headers=moved)
    assert (
        forged.status_code == 401 and forged.json()["detail"] == "unknown source or bad signature"
    )


def test_every_broken_body_is_answered_4xx_and_kept_once_whatever_is_wrong(
    client: TestClient, services: Services, seed: Seed
) -> None:
    bodies = bad_bodies()
    answers = {name: _send(client, seed.skylot_secret, body) for name, body in bodies.items()}
    for name, answer in answers.items():
        assert 400 <= answer.status_code < 500, (name, answer.status_code, answer.text)
        assert answer.json()["status"] == "rejected", name
        assert answer.json()["detail"]["reason"], name
    kept = {row["id"]: row for row in _kept(services)}
    lost = [n for n, a in answers.items() if a.json()["rejected_id"] not in kept]
    print(
        f"\nwebhook bad inputs: tried {len(bodies)}, "
        f"kept {len(bodies) - len(lost)}, lost {len(lost)}"
    )
    assert lost == []
    assert all(row["workspace_id"] == seed.skylot.id and row["reason"] for row in kept.values())
    assert _posts(services) == 3  # the seed's three, nothing from the corpus
    invalid_utf8 = kept[answers["invalid UTF-8"].json()["rejected_id"]]
    assert "caf\\xe9 \\xff" in invalid_utf8["payload"]
    assert answers["year 0001"].json()["field"] == "created_at"
    assert answers["oversize body"].status_code == 413
    again = {name: _send(client, seed.skylot_secret, body) for name, body in bodies.items()}
    assert all(
        a.json()["rejected_id"] == answers[n].json()["rejected_id"] for n, a in again.items()
    )
    assert len(_kept(services)) == len(bodies)


def test_odd_but_repairable_bodies_become_posts(
    client: TestClient, services: Services, seed: Seed
) -> None:
    for name, body in clean_surprises().items():
        answer = _send(client, seed.skylot_secret, body)
        assert answer.status_code == 202, (name, answer.text)
    assert _kept(services) == []
    with services.engine.connect() as conn:
        followers = conn.execute(select(t.authors.c.followers)).scalars().all()
        texts = conn.execute(select(t.posts.c.text)).scalars().all()
    assert max(f or 0 for f in followers) == 10**12
    assert any("\ufffd hostile" in text for text in texts)


class _CountingApp:
    """Counts the request-body bytes the app pulled from the server."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.read = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def counted() -> Any:
            message = await receive()
            self.read += len(message.get("body", b""))
            return message

        await self.app(scope, counted, send)


@pytest.fixture
def live(services: Services, seed: Seed) -> Iterator[tuple[int, _CountingApp]]:
    counting = _CountingApp(create_app(services))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(counting, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "the web server did not start"
        time.sleep(0.05)
    yield port, counting
    server.should_exit = True
    thread.join(timeout=10)


def _stream(port: int, headers: dict[str, str], total: int, chunked: bool) -> int:
    """Send ``total`` bytes of body in 64 KiB pieces; stop when the server has answered."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest("POST", URL)
    for name, value in headers.items():
        conn.putheader(name, value)
    if chunked:
        conn.putheader("transfer-encoding", "chunked")
    else:
        conn.putheader("content-length", str(total))
    conn.endheaders()
    piece = b"x" * 65536
    sent = 0
    try:
        while sent < total:
            data = piece if not chunked else b"%x\r\n%s\r\n" % (len(piece), piece)
            conn.send(data)
            sent += len(piece)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and closed: exactly what should happen
    try:
        status = conn.getresponse().status
    finally:
        conn.close()
    return status


def test_a_200_mib_unsigned_body_is_refused_without_being_read(
    live: tuple[int, _CountingApp],
) -> None:
    port, counting = live
    status = _stream(port, {"content-type": "application/json"}, 200 * 1024 * 1024, False)
    assert status == 401
    assert counting.read == 0


def test_a_signed_body_past_the_cap_stops_being_read_at_the_cap(
    live: tuple[int, _CountingApp], seed: Seed
) -> None:
    port, counting = live
    stamp = int(NOW.timestamp())
    headers = {
        "x-mentiondesk-timestamp": str(stamp),
        "x-mentiondesk-signature": "sha256=" + "0" * 64,
    }
    declared = _stream(port, headers, 200 * 1024 * 1024, False)
    assert declared == 413 and counting.read == 0
    streamed = _stream(port, headers, 200 * 1024 * 1024, True)
    assert streamed == 413
    # The server may have read ahead a few of its own buffers; what matters is that reading
    # stops near the cap, nowhere near the 200 MiB that were offered.
    assert counting.read <= 2 * WEBHOOK_MAX_BYTES
