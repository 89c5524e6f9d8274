"""Mastodon end to end: a mention on the (fake) instance becomes a case, the answer goes back
as a status threaded under it with an Idempotency-Key."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from mentiondesk.connectors.mastodon.fake_server import FakeMastodonServer
from tests.e2e.open_channels.harness import Desk


@pytest.fixture
def fake() -> Iterator[FakeMastodonServer]:
    with FakeMastodonServer(token="brand-token", brand_acct="skylot") as server:
        yield server


def connect(desk: Desk, fake: FakeMastodonServer) -> str:
    return desk.ok(
        "channel", "add", "mastodon", "--workspace", "skylot", "--instance", fake.base_url,
        "--token", "brand-token",
    )  # fmt: skip


def test_a_mention_becomes_a_case_and_the_answer_is_a_threaded_status(
    desk: Desk, fake: FakeMastodonServer
) -> None:
    assert "connected" in connect(desk, fake)
    status_id = fake.mention("jane@example.social", "@skylot my parcel is three days late")
    summary = desk.listen_once()
    assert "mastodon" in summary
    case = desk.case_with("my parcel is three days late")

    reply = desk.answer(case["id"], "We are sorry, we are checking the parcel right now.")

    assert reply["status"] == "sent", reply
    sent = [
        r for r in fake.recorder.requests if r.method == "POST" and r.path == "/api/v1/statuses"
    ]
    assert len(sent) == 1
    form = sent[0].form()
    assert form["in_reply_to_id"] == status_id
    assert form["status"].startswith("@jane@example.social ")
    assert sent[0].headers["idempotency-key"]


def test_listening_again_resumes_from_the_stored_cursor_without_duplicates(
    desk: Desk, fake: FakeMastodonServer
) -> None:
    connect(desk, fake)
    fake.mention("jane@example.social", "@skylot first question about Skylot")
    desk.listen_once()
    fake.mention("piotr@example.social", "@skylot second question")
    desk.listen_once()
    desk.listen_once()
    assert len(desk.cases()) == 2
    polls = [r for r in fake.recorder.requests if r.path == "/api/v1/notifications"]
    assert polls[-1].param("min_id") is not None


def test_a_revoked_token_marks_the_channel_disconnected_with_the_reason(
    desk: Desk, fake: FakeMastodonServer
) -> None:
    connect(desk, fake)
    fake.revoke()
    desk.listen_once()
    listing = desk.ok("channel", "list", "--workspace", "skylot")
    assert "disconnected" in listing and "invalid" in listing


def test_a_token_the_instance_refuses_is_not_connected(
    desk: Desk, fake: FakeMastodonServer
) -> None:
    code, out = desk.cli(
        "channel", "add", "mastodon", "--workspace", "skylot", "--instance", fake.base_url,
        "--token", "wrong",
    )  # fmt: skip
    assert code == 2
    assert "invalid" in out
    assert "mastodon" not in desk.ok("channel", "list", "--workspace", "skylot")


def test_a_rate_limit_is_shown_with_the_time_the_instance_said_to_retry(
    desk: Desk, fake: FakeMastodonServer
) -> None:
    connect(desk, fake)
    fake.recorder.fail_next("rate_limit", path="/api/v1/notifications")
    summary = desk.listen_once()
    assert "Too many requests" in summary
    with desk.api() as (client, _):
        (channel,) = client.get("/api/v1/workspaces/skylot/channels").json()
    retry_at = datetime.fromisoformat(channel["retry_at"])
    failed_at = datetime.fromisoformat(channel["last_error_at"])
    assert 100 <= (retry_at - failed_at).total_seconds() <= 125  # X-RateLimit-Reset: +120 s
    assert channel["state"] == "connected"
    listing = desk.ok("channel", "list", "--workspace", "skylot")
    assert "Too many requests" in listing and "retrying at" in listing


def test_listen_hears_until_sigterm_and_stops_cleanly(desk: Desk, fake: FakeMastodonServer) -> None:
    connect(desk, fake)
    env = {**os.environ, "MENTIONDESK_DATA_DIR": str(desk.data_dir)}
    command = [str(Path(sys.executable).parent / "mentiondesk"), "listen", "--interval", "1"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        fake.mention("jane@example.social", "@skylot is my booking confirmed?")
        deadline = time.monotonic() + 60
        while not [c for c in desk.cases() if "booking confirmed" in c["summary"]]:
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, out
    assert b"stopped" in out
