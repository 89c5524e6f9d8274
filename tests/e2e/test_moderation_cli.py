"""The moderation commands: erasure request, rules add/list/dry-run, audit export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from mentiondesk.cli.main import app

runner = CliRunner()


def _run(data: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    return result.output


def _setup(data: Path, tmp_path: Path) -> None:
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
    _run(
        data,
        "user",
        "create",
        "--email",
        "lead@agency.example",
        "--name",
        "Lead",
        "--password",
        "correct-horse-battery",
        "--workspace",
        "skylot",
        "--role",
        "owner",
    )
    posts = tmp_path / "posts.jsonl"
    lines = [
        {
            "platform": "x",
            "platform_post_id": f"p{n}",
            "author_handle": handle,
            "text": text,
            "created_at": "2026-11-20T10:00:00+00:00",
        }
        for n, (handle, text) in enumerate(
            [
                ("anna_k", "@skylot my bag is lost, call me on 600 100 200"),
                ("anna_k", "@skylot still no bag"),
                ("piotr", "@skylot great flight today"),
            ]
        )
    ]
    posts.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    _run(data, "import", str(posts), "--workspace", "skylot")


def test_rules_are_added_listed_and_dry_run_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _setup(data, tmp_path)
    rule = tmp_path / "rule.json"
    rule.write_text(
        json.dumps(
            {
                "name": "lost bags",
                "enabled": False,
                "conditions": {"keywords_any": ["bag"]},
                "actions": {"tag": "baggage"},
            }
        ),
        encoding="utf-8",
    )
    assert "saved (switched off)" in _run(
        data,
        "rules",
        "add",
        "--workspace",
        "skylot",
        "--file",
        str(rule),
        "--as",
        "lead@agency.example",
    )
    listed = [
        json.loads(line)
        for line in _run(data, "rules", "list", "--workspace", "skylot").splitlines()
    ]
    assert [r["name"] for r in listed] == ["lost bags"]
    report = _run(
        data, "rules", "dry-run", "--workspace", "skylot", "--rule", "lost bags", "--days", "90"
    )
    assert "2 of 3 posts" in report and "would tag 2" in report and "Nothing was changed" in report


def test_an_erasure_request_and_the_audit_export_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _setup(data, tmp_path)
    refused = runner.invoke(
        app,
        [
            "erasure",
            "request",
            "--workspace",
            "skylot",
            "--platform",
            "x",
            "--handle",
            "anna_k",
            "--requested-by",
            "anna@example.com",
            "--reason",
            " ",
            "--approved-by",
            "lead@agency.example",
            "--data-dir",
            str(data),
        ],
    )
    assert refused.exit_code == 2 and "legal_reason" in refused.output
    done = _run(
        data,
        "erasure",
        "request",
        "--workspace",
        "skylot",
        "--platform",
        "x",
        "--handle",
        "anna_k",
        "--requested-by",
        "anna@example.com",
        "--reason",
        "GDPR art. 17, e-mail of 2026-11-21",
        "--approved-by",
        "lead@agency.example",
        "--confirm",
        "anna_k",
    )
    assert "2 posts redacted" in done
    exported = _run(data, "audit", "export", "--workspace", "skylot", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [(r["action"], r["actor_name"], r["reason"]) for r in rows] == [
        ("erasure.request", "Lead", "GDPR art. 17, e-mail of 2026-11-21")
    ]
    jsonl = _run(data, "audit", "export", "--workspace", "skylot", "--format", "jsonl")
    assert json.loads(jsonl.splitlines()[0])["action"] == "erasure.request"
