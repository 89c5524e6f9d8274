"""The command line: help for every command, users, workspaces and idempotent imports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from mentiondesk.cli.main import app

runner = CliRunner()


def _commands() -> list[list[str]]:
    root = get_command(app)
    paths: list[list[str]] = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        paths.append([name])
        for sub in getattr(command, "commands", {}):
            paths.append([name, sub])
    return paths


@pytest.mark.parametrize("path", _commands(), ids=" ".join)
def test_every_command_has_help(path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    command = get_command(app)
    for part in path:
        command = command.commands[part]  # type: ignore[attr-defined]
    assert command.help, f"{' '.join(path)} has no help text"


def _setup(data: Path) -> None:
    args = ["--data-dir", str(data)]
    created = runner.invoke(
        app,
        [
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
            *args,
        ],
    )
    assert created.exit_code == 0, created.output
    user = runner.invoke(
        app,
        [
            "user",
            "create",
            "--email",
            "ania@skylot.example",
            "--name",
            "Ania",
            "--password",
            "long-enough-pw",
            "--workspace",
            "skylot",
            "--role",
            "agent",
            *args,
        ],
    )
    assert user.exit_code == 0, user.output


def test_creating_a_user_twice_is_refused_with_a_reason(tmp_path: Path) -> None:
    _setup(tmp_path)
    again = runner.invoke(
        app,
        [
            "user",
            "create",
            "--email",
            "ania@skylot.example",
            "--name",
            "A",
            "--password",
            "long-enough-pw",
            "--data-dir",
            str(tmp_path),
        ],
    )
    assert again.exit_code == 2
    assert "already exists" in again.output


def test_importing_jsonl_twice_adds_nothing_and_keeps_bad_lines(tmp_path: Path) -> None:
    _setup(tmp_path)
    file = tmp_path / "posts.jsonl"
    good = {
        "platform": "x",
        "platform_post_id": "1",
        "text": "@skylot lost bag",
        "created_at": "2026-11-14T17:07:00+01:00",
        "author_handle": "tom",
    }
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({**good, "platform_post_id": "2", "text": ""}),
        json.dumps({**good, "platform_post_id": "3", "text": "Skylot again"}),
    ]
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = runner.invoke(
        app, ["import", str(file), "--workspace", "skylot", "--data-dir", str(tmp_path)]
    )
    assert first.exit_code == 0, first.output
    assert "created 2, duplicate 0, rejected 2" in first.output
    assert "line 2 is not valid JSON" in first.output
    second = runner.invoke(
        app, ["import", str(file), "--workspace", "skylot", "--data-dir", str(tmp_path)]
    )
    assert "created 0, duplicate 2, rejected 2" in second.output


def test_importing_csv_reads_the_same_fields(tmp_path: Path) -> None:
    _setup(tmp_path)
    file = tmp_path / "posts.csv"
    file.write_text(
        "platform,platform_post_id,text,created_at,author_handle,author_followers\n"
        "facebook,fb-1,Skylot lost my luggage,2026-11-14T10:00:00+01:00,ola,15\n"
        "facebook,fb-2,Skylot,not-a-date,ola,15\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["import", str(file), "--workspace", "skylot", "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "created 1, duplicate 0, rejected 1" in result.output
    assert "created_at" in result.output


def test_importing_into_an_unknown_workspace_fails_clearly(tmp_path: Path) -> None:
    file = tmp_path / "p.jsonl"
    file.write_text("{}\n", encoding="utf-8")
    result = runner.invoke(
        app, ["import", str(file), "--workspace", "nope", "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "no workspace 'nope'" in result.output


def test_the_guard_command_blocks_a_wrong_name_and_answers_every_line(tmp_path: Path) -> None:
    source = tmp_path / "replies.jsonl"
    source.write_text(
        json.dumps(
            {
                "id": 1,
                "reply": "Ciao Marco, ci dispiace! Ti scriviamo in privato ora.",
                "public": True,
                "post": {
                    "text": "Il volo è stato cancellato",
                    "author_name": "Giulia Rossi",
                    "language": "it",
                },
            }
        )
        + "\n{broken\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["guard", "--input", str(source), "--output", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 2
    assert {"check": "wrong_name", "severity": "block"}.items() <= lines[0]["findings"][0].items()
    assert "error" in lines[1]


def test_the_triage_command_writes_a_line_for_every_line(tmp_path: Path) -> None:
    source = tmp_path / "posts.jsonl"
    posts = [
        {"id": 1, "text": "Skylot zgubił mój bagaż, zadzwońcie 601 234 567!"},
        {"id": 2, "text": "Grazie Skylot, volo perfetto e personale gentilissimo"},
        {"id": 3},
    ]
    source.write_text("\n".join(json.dumps(p) for p in posts) + "\nnot json\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["triage", "--input", str(source), "--output", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 4
    polish = lines[0]["triage"]
    assert polish["language"] == "pl"
    phone = [s for s in polish["sensitive"] if s["kind"] == "phone"]
    assert posts[0]["text"][phone[0]["start"] : phone[0]["end"]] == "601 234 567"  # type: ignore[index]
    assert lines[1]["triage"]["language"] == "it"
    assert "error" in lines[2] and "error" in lines[3]
