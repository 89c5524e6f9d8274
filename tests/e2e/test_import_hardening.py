"""``mentiondesk import`` on hostile files: no line stops it, every bad line is kept, once."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from mentiondesk.cli.main import app
from tests.e2e.bad_inputs import bad_bodies, clean_surprises
from tests.e2e.conftest import raw_post
from tests.e2e.test_cli import _setup

runner = CliRunner()


def _import(data: Path, file: Path) -> str:
    result = runner.invoke(
        app, ["import", str(file), "--workspace", "skylot", "--data-dir", str(data)]
    )
    assert result.exit_code == 0, result.output
    return result.output


def _rows(data: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(data / "mentiondesk.db") as conn:
        return conn.execute(sql).fetchall()


def test_every_bad_line_is_kept_and_the_good_lines_after_it_still_arrive(tmp_path: Path) -> None:
    _setup(tmp_path)
    bad = {k: v for k, v in bad_bodies().items() if v.strip()}  # blank lines are not records
    lines: list[bytes] = []
    for number, body in enumerate([*bad.values(), *clean_surprises().values()]):
        lines.append(body)
        good = raw_post(f"good-{number}", f"@skylot message number {number}")
        lines.append(json.dumps(good).encode())
    file = tmp_path / "hostile.jsonl"
    file.write_bytes(b"\n".join(lines) + b"\n")
    good_count = len(lines) - len(bad)

    first = _import(tmp_path, file)
    assert f"created {good_count}, duplicate 0, rejected {len(bad)}" in first
    kept = _rows(tmp_path, "SELECT source, field, reason, payload FROM rejected_inputs")
    print(f"\nimport bad lines: tried {len(bad)}, kept {len(kept)}, lost {len(bad) - len(kept)}")
    assert len(kept) == len(bad)
    assert all(source == "import:hostile.jsonl" and reason for source, _, reason, _ in kept)
    assert any("caf\\xe9 \\xff" in str(payload) for *_, payload in kept)

    second = _import(tmp_path, file)
    assert f"created 0, duplicate {good_count}, rejected {len(bad)}" in second
    assert len(_rows(tmp_path, "SELECT id FROM rejected_inputs")) == len(bad)


def test_a_csv_with_undecodable_bytes_and_broken_rows_keeps_going(tmp_path: Path) -> None:
    _setup(tmp_path)
    file = tmp_path / "posts.csv"
    file.write_bytes(
        b"platform,platform_post_id,text,created_at,author_handle,author_followers\n"
        b"x,c-1,Skylot lost my bag,2026-11-14T10:00:00+01:00,ola,15\n"
        b"x,c-2,Skylot caf\xe9 \xff,2026-11-14T10:00:00+01:00,ola,15\n"
        b"x,c-3,Skylot,0001-01-01T00:00:00+01:00,ola,15\n"
        b"x,c-4,Skylot,2026-11-14T10:00:00+01:00,ola,1000000000000000000000000000000\n"
        b"x,c-5,Skylot,2026-11-14T10:00:00+01:00,ola,15,extra\n"
        b"x,c-6,Skylot again,2026-11-14T11:00:00+01:00,ola,15\n"
    )
    output = _import(tmp_path, file)
    assert "created 3, duplicate 0, rejected 3" in output
    assert "line 3 is not UTF-8" in output
    again = _import(tmp_path, file)
    assert "created 0, duplicate 3, rejected 3" in again
    assert len(_rows(tmp_path, "SELECT id FROM rejected_inputs")) == 3
