"""The demo command sets up a working desk from nothing, as the README promises."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from mentiondesk.bootstrap import bootstrap
from mentiondesk.cli.main import app
from mentiondesk.config import Settings
from mentiondesk.storage import tables as t

pytestmark = pytest.mark.slow


def test_the_demo_loads_a_week_of_posts_and_a_team_at_work(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--data-dir", str(tmp_path), "--no-serve"])

    assert result.exit_code == 0, result.output
    assert "ania@skylot.example / runway-espresso-2026" in result.output
    assert "http://127.0.0.1:8000/" in result.output
    services = bootstrap(Settings(data_dir=tmp_path))
    try:
        with services.engine.connect() as conn:
            posts = conn.execute(select(func.count()).select_from(t.posts)).scalar_one()
            by_language: dict[str, int] = dict(
                conn.execute(
                    select(t.posts.c.language, func.count()).group_by(t.posts.c.language)
                ).all()
            )
            statuses: dict[str, int] = dict(
                conn.execute(
                    select(t.cases.c.status, func.count()).group_by(t.cases.c.status)
                ).all()
            )
            sent = conn.execute(
                select(func.count()).select_from(t.replies).where(t.replies.c.status == "simulated")
            ).scalar_one()
    finally:
        services.close()
    assert posts >= 2000
    assert all(by_language.get(lang, 0) >= 0.2 * posts for lang in ("pl", "it", "en"))
    assert statuses.get("resolved", 0) > 0 and statuses.get("waiting", 0) > 0
    assert statuses.get("new", 0) > 0, "recent posts are still waiting for an agent"
    assert sent >= statuses["resolved"]

    channels = CliRunner().invoke(
        app, ["channel", "list", "--workspace", "skylot", "--data-dir", str(tmp_path)]
    )
    assert channels.exit_code == 0, channels.output
    flat = re.sub(r"[\s│┃]+", "", channels.output)  # the table wraps its cells
    assert flat.count("(developmentchannel)") == 2  # Facebook and Instagram

    again = CliRunner().invoke(app, ["demo", "--data-dir", str(tmp_path), "--no-serve"])
    assert again.exit_code == 0, again.output
    assert f"demo data already loaded ({posts} posts)" in again.output
