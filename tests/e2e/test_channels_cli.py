"""``mentiondesk channel``: connect, list, pause, resume, remove and reconcile from a shell,
against the fake Graph server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from mentiondesk.bootstrap import bootstrap
from mentiondesk.cli.main import app
from mentiondesk.config import Settings
from mentiondesk.connectors.meta.fake_server import FakeGraphServer
from mentiondesk.storage.tables_channels import channel_accounts

Invoke = Callable[..., tuple[int, str]]
PAGE, TOKEN, IG = "1234567890321", "page-token-cli", "17841405726653026"


@pytest.fixture
def fake() -> Iterator[FakeGraphServer]:
    with FakeGraphServer() as server:
        server.graph.add_page(PAGE, TOKEN, name="Skylot")
        server.graph.add_instagram(IG, TOKEN, page_id=PAGE)
        yield server


@pytest.fixture
def run(tmp_path: Path, fake: FakeGraphServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Invoke]:
    monkeypatch.setenv("MENTIONDESK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MENTIONDESK_META_GRAPH_URL", fake.graph_url)
    monkeypatch.setenv("MENTIONDESK_META_APP_ID", fake.graph.app_id)
    monkeypatch.setenv("MENTIONDESK_META_APP_SECRET", fake.graph.app_secret)
    runner = CliRunner()
    created = runner.invoke(
        app,
        ["workspace", "create", "--slug", "skylot", "--name", "Skylot", "--brand-name", "Skylot"],
    )
    assert created.exit_code == 0, created.output

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, result.output

    yield invoke


def test_a_page_and_an_instagram_account_are_connected_listed_paused_and_removed(
    run: Invoke, fake: FakeGraphServer, tmp_path: Path
) -> None:
    invoke = run
    code, out = invoke(
        "channel", "add", "facebook", "--workspace", "skylot", "--page-id", PAGE,
        "--page-token", TOKEN,
    )  # fmt: skip
    assert code == 0, out
    assert "connected; webhooks subscribed" in out
    assert "feed" in fake.graph.page_subscriptions(PAGE)
    code, out = invoke(
        "channel", "add", "instagram", "--workspace", "skylot", "--account-id", IG,
        "--token", TOKEN, "--page-id", PAGE,
    )  # fmt: skip
    assert code == 0, out
    code, out = invoke("channel", "list", "--workspace", "skylot")
    assert code == 0 and "facebook" in out and "instagram" in out and out.count("connected") == 2
    code, out = invoke("channel", "pause", "--workspace", "skylot", "1")
    assert code == 0
    assert "paused" in invoke("channel", "list", "--workspace", "skylot")[1]
    code, out = invoke("channel", "remove", "--workspace", "skylot", "2")
    assert code == 0
    assert "instagram" not in invoke("channel", "list", "--workspace", "skylot")[1]

    services = bootstrap(Settings(data_dir=tmp_path))
    try:
        with services.engine.connect() as conn:
            stored = conn.execute(select(channel_accounts.c.token)).scalars().all()
    finally:
        services.close()
    assert stored and all(TOKEN not in s and s.startswith("fernet:") for s in stored)


def test_a_token_meta_does_not_know_is_refused_with_metas_reason(run: Invoke) -> None:
    invoke = run
    code, out = invoke(
        "channel", "add", "facebook", "--workspace", "skylot", "--page-id", PAGE,
        "--page-token", "wrong",
    )  # fmt: skip
    assert code == 2
    assert "Invalid OAuth access token" in out
    assert "facebook" not in invoke("channel", "list", "--workspace", "skylot")[1]


def test_reconcile_reads_the_pages_and_reports_what_it_handed_on(
    run: Invoke, fake: FakeGraphServer
) -> None:
    invoke = run
    invoke(
        "channel", "add", "facebook", "--workspace", "skylot", "--page-id", PAGE,
        "--page-token", TOKEN,
    )  # fmt: skip
    post = fake.graph.add_post(PAGE, "Winter timetable")
    fake.graph.add_comment(post.id, "Skylot is Rome included?", author_id="42", author_name="Jo")
    code, out = invoke("channel", "reconcile", "--workspace", "skylot")
    assert code == 0, out
    assert "1 channel(s) read: 2 post(s) and comment(s)" in out
