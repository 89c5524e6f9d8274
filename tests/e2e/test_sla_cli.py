"""``mentiondesk sla sweep`` and ``mentiondesk hours schedule`` on a real data folder."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from mentiondesk.bootstrap import bootstrap
from mentiondesk.cli.main import app
from mentiondesk.config import Settings
from mentiondesk.domain.desk_settings import DeskSettings
from mentiondesk.domain.sla import SlaPolicy

runner = CliRunner()

CREATE_WORKSPACE = [
    "workspace",
    "create",
    "--slug",
    "skylot",
    "--name",
    "Skylot",
    "--brand-name",
    "Skylot",
    "--handle",
    "x:@skylot",
    "--language",
    "pl",
]


def _workspace(data: Path) -> list[str]:
    args = ["--data-dir", str(data)]
    created = runner.invoke(
        app,
        [*CREATE_WORKSPACE, *args],
    )
    assert created.exit_code == 0, created.output
    return args


def test_hours_schedule_prints_opening_and_closing_posts_per_channel(tmp_path: Path) -> None:
    args = _workspace(tmp_path)
    result = runner.invoke(
        app, ["hours", "schedule", "--workspace", "skylot", "--days", "7", *args]
    )
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.output.splitlines()[1:]]
    assert {(channel, kind) for _, channel, kind, _, _ in lines} == {
        ("x", "opening"),
        ("x", "closing"),
    }
    assert len(lines) == 10  # five working days in any seven, each opening and closing
    assert all(language == "pl" for _, _, _, language, _ in lines)

    missing = runner.invoke(app, ["hours", "schedule", "--workspace", "nope", *args])
    assert missing.exit_code == 2 and "no workspace 'nope'" in missing.output


def test_sla_sweep_records_a_breach_once(tmp_path: Path) -> None:
    args = _workspace(tmp_path)
    services = bootstrap(Settings(data_dir=tmp_path))
    try:
        with services.uow() as uow:
            ws = uow.workspaces.get_by_slug("skylot")
            assert ws is not None
            settings = DeskSettings(time_zone="UTC", sla=SlaPolicy(first_response=60.0))
            uow.sla.put_desk_settings(
                ws.id,
                settings.to_dict(),
                time_zone="UTC",
                hours=settings.hours.to_dict(),
                holiday_country="PL",
            )
            uow.commit()
    finally:
        services.close()
    week_ago = (datetime.now(UTC) - timedelta(days=7)).isoformat()
    post = {"platform": "x", "platform_post_id": "1", "text": "@skylot where is my bag",
            "created_at": week_ago, "author_handle": "tomek"}  # fmt: skip
    posts = tmp_path / "posts.jsonl"
    posts.write_text(json.dumps(post) + "\n")
    imported = runner.invoke(app, ["import", str(posts), "--workspace", "skylot", *args])
    assert imported.exit_code == 0, imported.output

    first = runner.invoke(app, ["sla", "sweep", *args])
    second = runner.invoke(app, ["sla", "sweep", *args])
    assert first.exit_code == 0 and "recorded 1 new breach" in first.output
    assert second.exit_code == 0 and "recorded 0 new breach" in second.output
