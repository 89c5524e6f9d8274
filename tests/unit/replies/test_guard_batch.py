"""The batch contract: a line out for every line in."""

import json
from pathlib import Path

from mentiondesk.replies.guard.batch import main, run_batch

GOOD = {
    "id": "a1",
    "reply": "Ciao Marco, scrivici in privato.",
    "public": True,
    "post": {"text": "Pacco mai arrivato!", "author_name": "Giulia Rossi", "language": "it"},
    "workspace": {"requires_signature": True},
}


def _run(tmp_path: Path, lines: list[str]) -> list[dict]:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_batch(source, target)
    return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]


def test_the_batch_writes_a_line_for_every_input_line(tmp_path: Path) -> None:
    lines = [json.dumps(GOOD), "not json", "[1, 2]", json.dumps({"id": "b"}), "", '{"reply": "Hi"}']
    out = _run(tmp_path, lines)
    assert len(out) == len(lines)
    assert [("error" in o) for o in out] == [False, True, True, True, True, False]
    assert out[3]["id"] == "b"


def test_a_checked_line_keeps_its_keys_and_gets_findings_and_detected(tmp_path: Path) -> None:
    [out] = _run(tmp_path, [json.dumps(GOOD)])
    assert out["id"] == "a1" and out["post"] == GOOD["post"]
    checks = {f["check"] for f in out["findings"]}
    assert {"wrong_name", "channel_redirect", "missing_signature", "missing_apology"} <= checks
    assert set(out["findings"][0]) == {"check", "severity", "start", "end", "message"}
    assert out["detected"] == {
        "apology": False,
        "redirect": ["dm"],
        "signature": None,
        "next_step": False,
    }


def test_missing_post_and_workspace_take_the_defaults(tmp_path: Path) -> None:
    [out] = _run(tmp_path, [json.dumps({"id": 1, "reply": "Thanks! {{ agent.name }}"})])
    assert [f["check"] for f in out["findings"]] == ["unfilled_placeholder"]


def test_a_wrongly_typed_field_is_an_error_line(tmp_path: Path) -> None:
    out = _run(tmp_path, [json.dumps({**GOOD, "public": "yes"}), json.dumps({**GOOD, "post": 3})])
    assert all("error" in o and "findings" not in o for o in out)


def test_history_and_hotline_can_be_given_per_line(tmp_path: Path) -> None:
    body = "we are aware of the outage affecting card payments and our engineers are on it."
    line = {
        "id": "d",
        "reply": f"Hi Anna, {body} Call our hotline.",
        "post": {"author_name": "Anna Lee", "author_handle": "anna"},
        "now": "2025-03-15T16:07:00+00:00",
        "history": [{"text": f"Hi Tom, {body} Call our hotline.", "author": "tom"}],
        "workspace": {
            "hotline": {"time_zone": "Europe/Warsaw", "days": {"5": [["08:00", "17:00"]]}}
        },
    }
    [out] = _run(tmp_path, [json.dumps(line)])
    checks = {f["check"] for f in out["findings"]}
    assert {"duplicate_reply", "redirect_while_closed"} <= checks


def test_the_module_runs_as_a_command(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    assert main(["--input", str(source), "--output", str(target)]) == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == 1
