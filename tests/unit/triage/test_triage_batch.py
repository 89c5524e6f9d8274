"""The batch contract: a line out for every line in, errors in place of bad lines."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from mentiondesk.triage.batch import main, run_batch
from mentiondesk.triage.classifier import FixedClassifier
from mentiondesk.triage.service import PostTriager

CONTRACT = {"language", "sentiment", "sentiment_score", "intent", "harmful", "harmful_score",
            "spam", "needs_reply", "priority", "sensitive"}  # fmt: skip


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_every_input_line_gets_an_output_line_and_bad_lines_get_an_error(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_lines(src, [
        json.dumps({"id": 1, "text": "Zamówienie ZAM-123456 nie dotarło, tel. 601 234 567"}),
        "{not json",
        json.dumps({"id": 3}),
        "",
        json.dumps({"id": 5, "text": "Grazie!", "followers": 10, "extra": [1, 2]}),
        json.dumps([1, 2]),
    ])  # fmt: skip
    seen: list[int] = []
    triager = PostTriager(FixedClassifier(language="pl"))
    stats = run_batch(src, dst, progress=seen.append, triager=triager, now=datetime.now(UTC))
    out = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert len(out) == 6
    assert (stats.lines, stats.errors) == (6, 4)
    assert seen[-1] == 6
    assert set(out[0]["triage"]) >= CONTRACT
    assert out[0]["id"] == 1
    assert [s["kind"] for s in out[0]["triage"]["sensitive"]] == ["phone"]
    assert "error" in out[1] and "triage" not in out[1]
    assert out[2] == {"id": 3, "error": "'text' must be a string"}
    assert "error" in out[3]
    assert out[4]["extra"] == [1, 2] and "triage" in out[4]
    assert "error" in out[5]


def test_the_module_runs_as_a_command_with_the_shipped_model(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    rows = [
        {"id": f"p{i}", "text": t}
        for i, t in enumerate(
            ["Where is my refund?", "Nie działa mi internet od rana", "Grazie, tutto perfetto"] * 3
        )
    ]
    write_lines(src, [json.dumps(r) for r in rows])
    assert main(["--input", str(src), "--output", str(dst), "--order-pattern", r"ZAM-\d+"]) == 0
    out = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert [o["id"] for o in out] == [r["id"] for r in rows]
    assert [o["triage"]["language"] for o in out[:3]] == ["en", "pl", "it"]
