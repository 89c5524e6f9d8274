"""``mentiondesk agent``: profiles, auto-assignment, shifts and the sweep from the command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from mentiondesk.cli.main import app
from tests.e2e.test_cli import _setup

runner = CliRunner()


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_an_operator_sets_up_an_agent_imports_a_case_and_takes_the_agent_off_shift(
    tmp_path: Path,
) -> None:
    _setup(tmp_path)
    data = ["--data-dir", str(tmp_path)]
    _ok(
        "agent",
        "set",
        "--workspace",
        "skylot",
        "--email",
        "ania@skylot.example",
        "--language",
        "pl",
        "--team",
        "pl",
        "--capacity",
        "3",
        *data,
    )
    _ok("agent", "auto-assign", "--workspace", "skylot", "--enable", "--team-for", "pl=pl", *data)
    posts = tmp_path / "posts.jsonl"
    posts.write_text(
        json.dumps(
            {
                "platform": "x",
                "platform_post_id": "1",
                "text": "@skylot gdzie jest mój bagaż?",
                "created_at": "2026-11-14T17:07:00+01:00",
                "author_handle": "ola",
                "lang": "pl",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    _ok("import", str(posts), "--workspace", "skylot", *data)
    listed = _ok("agent", "list", "--workspace", "skylot", *data)
    assert "Ania" in listed and "automatic assignment: on" in listed
    assert re.search(r"Ania\s*│\s*on shift\s*│\s*1\s*│\s*3\s*│\s*pl", listed), listed

    off = _ok(
        "agent", "shift", "--workspace", "skylot", "--email", "ania@skylot.example", "--off", *data
    )
    assert "off shift" in off
    assert "case 1: auto: Ania went off shift; nobody on shift can take it" in off
    assert "0 case(s) reassigned" in _ok("agent", "sweep", "--workspace", "skylot", *data)


def test_a_malformed_shift_is_refused_with_the_reason(tmp_path: Path) -> None:
    _setup(tmp_path)
    result = runner.invoke(
        app,
        [
            "agent",
            "set",
            "--workspace",
            "skylot",
            "--email",
            "ania@skylot.example",
            "--shifts",
            "every day",
            "--data-dir",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 2
    assert "write days and hours like" in " ".join(result.output.split())
