"""``mentiondesk listening``: set and show a profile, save and preview a query, backfill."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from mentiondesk.cli.main import app

runner = CliRunner()


def _run(data: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    return result.output


def _setup(data: Path) -> None:
    _run(
        data,
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
    )
    posts = data / "posts.jsonl"
    lines = [
        {
            "platform": "x",
            "platform_post_id": str(i),
            "text": text,
            "created_at": "2026-11-14T17:07:00+01:00",
            "author_handle": f"user{i}",
        }
        for i, text in enumerate(
            ["The lounge at Chopin was full", "Chopin lounge again", "Sunny in Gdańsk"]
        )
    ]
    posts.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    _run(data, "import", str(posts), "--workspace", "skylot")


def test_a_profile_set_on_the_command_line_is_shown_back(tmp_path: Path) -> None:
    _setup(tmp_path)
    shown = json.loads(_run(tmp_path, "listening", "profile", "show", "--workspace", "skylot"))
    assert shown["stored"] is False and shown["names"] == ["Skylot"]
    _run(
        tmp_path,
        "listening",
        "profile",
        "set",
        "--workspace",
        "skylot",
        "--name",
        "Skylot",
        "--alias",
        "Sky Lot",
        "--handle",
        "x:@skylot",
        "--competitor",
        "Skyway",
    )
    shown = json.loads(_run(tmp_path, "listening", "profile", "show", "--workspace", "skylot"))
    assert shown["stored"] is True and shown["aliases"] == ["Sky Lot"]
    assert shown["competitors"] == ["Skyway"]


def test_query_add_preview_and_backfill_twice(tmp_path: Path) -> None:
    _setup(tmp_path)
    preview = _run(
        tmp_path,
        "listening",
        "query",
        "preview",
        "--workspace",
        "skylot",
        "--query",
        "lounge AND chopin",
    )
    assert "2 matched" in preview
    bad = runner.invoke(
        app,
        [
            "listening",
            "query",
            "add",
            "--workspace",
            "skylot",
            "--name",
            "x",
            "--query",
            "lounge AND",
            "--data-dir",
            str(tmp_path),
        ],
    )
    assert bad.exit_code == 2 and "column 11" in bad.output
    _run(
        tmp_path,
        "listening",
        "query",
        "add",
        "--workspace",
        "skylot",
        "--name",
        "lounges",
        "--query",
        "lounge AND chopin",
    )
    first = _run(tmp_path, "listening", "backfill", "--workspace", "skylot", "--query", "lounges")
    assert "matched 2, new mentions 2, routed 2" in first
    second = _run(tmp_path, "listening", "backfill", "--workspace", "skylot")
    assert "matched 2, new mentions 0, routed 0" in second


def test_an_unknown_workspace_is_an_error(tmp_path: Path) -> None:
    _setup(tmp_path)
    result = runner.invoke(
        app, ["listening", "profile", "show", "--workspace", "nope", "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 2 and "no workspace 'nope'" in result.output
