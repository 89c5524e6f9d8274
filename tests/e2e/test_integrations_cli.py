"""``mentiondesk token`` and ``mentiondesk webhook`` from a shell: a token printed once and
listed by its prefix, then revoked; a webhook subscription whose test event reaches a real
local receiver that checks the signature with the printed secret."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mentiondesk.cli.main import app
from mentiondesk.web.security import SignatureVerifier

runner = CliRunner()


class Receiver:
    def __init__(self) -> None:
        self.calls: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                receiver.calls.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/in"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.server.shutdown()
    server.server.server_close()


def run(data: Path, *args: str) -> Any:
    return runner.invoke(app, [*args, "--data-dir", str(data)])


def workspace(data: Path) -> None:
    made = run(
        data, "workspace", "create", "--slug", "skylot", "--name", "Skylot",
        "--brand-name", "Skylot", "--handle", "x:@skylot",
    )  # fmt: skip
    assert made.exit_code == 0, made.output


def test_a_token_is_printed_once_listed_by_prefix_and_revoked(tmp_path: Path) -> None:
    workspace(tmp_path)
    made = run(
        tmp_path, "token", "create", "--workspace", "skylot", "--name", "BI export",
        "--scope", "read", "--expires-in-days", "30",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[-1]
    assert secret.startswith("md_")
    listed = run(tmp_path, "token", "list", "--workspace", "skylot", "--json")
    row = json.loads(listed.stdout.strip())
    assert row["name"] == "BI export" and row["state"] == "active"
    assert row["prefix"] == secret[:10] and secret not in listed.stdout
    revoked = run(tmp_path, "token", "revoke", "--workspace", "skylot", row["prefix"])
    assert revoked.exit_code == 0 and "revoked token" in revoked.stdout
    again = run(tmp_path, "token", "revoke", "--workspace", "skylot", row["prefix"])
    assert again.exit_code == 2 and "revoked already" in again.output
    bad = run(tmp_path, "token", "create", "--workspace", "skylot", "--name", "x", "--scope", "god")
    assert bad.exit_code == 2 and "unknown scope 'god'" in bad.output


def test_a_webhook_test_event_arrives_signed_with_the_printed_secret(
    tmp_path: Path, receiver: Receiver
) -> None:
    workspace(tmp_path)
    added = run(
        tmp_path, "webhook", "add", "--workspace", "skylot", receiver.url,
        "--event", "case.opened", "--event", "reply.sent",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    secret = added.stdout.strip().splitlines()[-1]
    assert secret.startswith("whsec_")
    tested = run(tmp_path, "webhook", "test", "--workspace", "skylot", "1")
    assert tested.exit_code == 0, tested.output
    assert "test event sent: the receiver answered 204" in tested.stdout
    headers, body = receiver.calls[-1]
    verifier = SignatureVerifier(secret, int(headers["x-mentiondesk-timestamp"]))
    verifier.update(body)
    assert verifier.matches(headers["x-mentiondesk-signature"])
    assert json.loads(body)["event"] == "webhook.test"

    listed = run(tmp_path, "webhook", "list", "--workspace", "skylot", "--json")
    row = json.loads(listed.stdout.strip())
    assert row["events"] == ["case.opened", "reply.sent"]
    assert row["deliveries"][0]["status"] == "sent"
    removed = run(tmp_path, "webhook", "remove", "--workspace", "skylot", "1")
    assert removed.exit_code == 0
    assert run(tmp_path, "webhook", "list", "--workspace", "skylot").stdout.strip() == ""
    bad = run(
        tmp_path, "webhook", "add", "--workspace", "skylot", "ftp://x", "--event", "case.opened"
    )
    assert bad.exit_code == 2 and "expected an http:// or https:// URL" in bad.output
