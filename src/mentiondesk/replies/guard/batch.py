"""The batch contract: one JSON object per input line in, the same object plus the guard's
``findings`` and ``detected`` out; a line that cannot be checked gets ``error`` instead.

Run as ``python -m mentiondesk.replies.guard.batch --input IN.jsonl --output OUT.jsonl``.
Beyond the contract's keys a line may carry ``post.intent``, ``post.former_authors``,
``now`` (ISO 8601), ``history`` (replies sent today: ``{"text", "author", "sent_at"}``) and
workspace settings (``duplicate_threshold``, ``hotline``, ``time_zone``, ``order_pattern``,
``signature_pattern``, ``brand_handles``, ``brand_contacts``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mentiondesk.replies.guard.core import check_reply
from mentiondesk.replies.guard.duplicates import InMemoryReplyHistory, SentReply
from mentiondesk.replies.guard.model import GuardContext, GuardSettings, HotlineSchedule, Person

__all__ = ["BatchStats", "check_line", "context_from_json", "main", "run_batch"]

_PROGRESS_EVERY = 100


class BadLineError(ValueError):
    """The line is not an object the guard can check; the message goes to ``error``."""


@dataclass(slots=True)
class BatchStats:
    lines: int = 0
    checked: int = 0
    errors: int = 0
    blocked: int = 0
    warned: int = 0
    seconds: float = 0.0


def _object(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise BadLineError(f"{key!r} must be an object")
    return value


def _text(data: Mapping[str, Any], key: str, default: str = "") -> str:
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise BadLineError(f"{key!r} must be a string")
    return value


def _strings(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadLineError(f"{key!r} must be a list of strings")
    return tuple(value)


def _when(value: Any, key: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadLineError(f"{key!r} must be an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise BadLineError(f"{key!r}: {exc}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _settings(workspace: Mapping[str, Any]) -> GuardSettings:
    defaults = GuardSettings()
    requires = workspace.get("requires_signature", defaults.requires_signature)
    threshold = workspace.get("duplicate_threshold", defaults.duplicate_threshold)
    if not isinstance(requires, bool):
        raise BadLineError("'workspace.requires_signature' must be true or false")
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise BadLineError("'workspace.duplicate_threshold' must be a number")
    hotline = workspace.get("hotline")
    try:
        schedule = HotlineSchedule.from_dict(hotline) if isinstance(hotline, Mapping) else None
    except (ValueError, TypeError, IndexError, KeyError) as exc:
        raise BadLineError(f"'workspace.hotline': {exc}") from exc
    return GuardSettings(
        requires_signature=requires,
        duplicate_threshold=float(threshold),
        hotline=schedule,
        time_zone=_text(workspace, "time_zone", defaults.time_zone),
        order_pattern=_text(workspace, "order_pattern") or None,
        signature_pattern=_text(workspace, "signature_pattern") or None,
        brand_handles=_strings(workspace, "brand_handles"),
        brand_contacts=_strings(workspace, "brand_contacts"),
    )


def context_from_json(data: Mapping[str, Any]) -> GuardContext:
    """The guard context a contract line describes (missing keys take the defaults)."""
    post = _object(data, "post")
    public = data.get("public", True)
    if not isinstance(public, bool):
        raise BadLineError("'public' must be true or false")
    former = post.get("former_authors") or []
    if not isinstance(former, list):
        raise BadLineError("'post.former_authors' must be a list")
    people = tuple(
        Person(name=str(p.get("name") or ""), handle=str(p.get("handle") or ""))
        if isinstance(p, Mapping)
        else Person(name=str(p))
        for p in former
    )
    return GuardContext(
        post_text=_text(post, "text"),
        author_name=_text(post, "author_name"),
        author_handle=_text(post, "author_handle"),
        former_authors=people,
        platform=_text(post, "platform"),
        language=_text(post, "language") or None,
        intent=_text(post, "intent") or None,
        public=public,
        settings=_settings(_object(data, "workspace")),
        now=_when(data.get("now"), "now"),
    )


def _history(data: Mapping[str, Any], now: datetime) -> InMemoryReplyHistory | None:
    items = data.get("history")
    if items is None:
        return None
    if not isinstance(items, list):
        raise BadLineError("'history' must be a list")
    history = InMemoryReplyHistory()
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("text"), str):
            raise BadLineError("each 'history' item needs a 'text' string")
        sent_at = _when(item.get("sent_at"), "history.sent_at") or now
        history.record(SentReply(item["text"], str(item.get("author") or ""), sent_at))
    return history


def check_line(data: Mapping[str, Any]) -> dict[str, Any]:
    """One contract line checked: the input plus ``findings`` and ``detected``."""
    reply = data.get("reply")
    if not isinstance(reply, str):
        raise BadLineError("'reply' must be a string")
    ctx = context_from_json(data)
    history = _history(data, ctx.now or datetime.now(UTC))
    result = check_reply(reply, ctx, history)
    return {
        **data,
        "findings": [f.to_dict() for f in result.findings],
        "detected": result.detected.to_dict(),
    }


def _process(line: str, number: int) -> tuple[dict[str, Any], bool]:
    """(output object, whether it is an error line)."""
    try:
        data = json.loads(line)
    except ValueError as exc:
        return {"line": number, "error": f"not valid JSON: {exc}"}, True
    if not isinstance(data, dict):
        return {"line": number, "error": "a line must be a JSON object"}, True
    try:
        return check_line(data), False
    except BadLineError as exc:
        return {**data, "error": str(exc)}, True


def run_batch(
    input_path: Path, output_path: Path, *, progress: Callable[[int], None] | None = None
) -> BatchStats:
    """Check every line of ``input_path`` into ``output_path``; one output line per input line.

    ``progress`` is called with the number of lines done, every 100 lines and at the end.
    """
    stats = BatchStats()
    started = time.perf_counter()
    with (
        Path(input_path).open(encoding="utf-8", errors="replace") as source,
        Path(output_path).open("w", encoding="utf-8") as sink,
    ):
        for number, raw in enumerate(source, start=1):
            out, failed = _process(raw.rstrip("\r\n"), number)
            stats.lines += 1
            if failed:
                stats.errors += 1
            else:
                stats.checked += 1
                severities = {f["severity"] for f in out["findings"]}
                stats.blocked += "block" in severities
                stats.warned += severities == {"warn"}
            sink.write(json.dumps(out, ensure_ascii=False) + "\n")
            if progress is not None and number % _PROGRESS_EVERY == 0:
                progress(number)
    if progress is not None:
        progress(stats.lines)
    stats.seconds = time.perf_counter() - started
    return stats


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check replies with the reply guard.")
    parser.add_argument("--input", required=True, type=Path, help="JSON lines to check")
    parser.add_argument("--output", required=True, type=Path, help="where to write the results")
    args = parser.parse_args(argv)
    stats = run_batch(args.input, args.output)
    print(
        f"{stats.lines} lines: {stats.checked} checked ({stats.blocked} blocked, "
        f"{stats.warned} with warnings only), {stats.errors} errors, {stats.seconds:.2f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
