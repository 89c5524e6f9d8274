"""The batch contract: ``IN.jsonl`` -> ``OUT.jsonl``, one output line for every input line.

Each input line is a JSON object with at least ``id`` and ``text``; optional ``created_at``
(ISO 8601), ``followers``, ``mentioned`` (default true), ``language_hint`` and ``to_brand``
refine the result. It is written back unchanged with a ``triage`` object added, or with an
``error`` message when the line cannot be triaged. Lines are read and scored in chunks so that
memory stays flat and the model sees batches big enough to be fast.

Run it as ``python -m mentiondesk.triage.batch --input IN.jsonl --output OUT.jsonl``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from mentiondesk.triage.service import DEFAULT_LANGUAGES, PostTriager, TriageItem, build_triager

__all__ = ["BatchStats", "main", "run_batch"]

CHUNK = 2000


@dataclass(frozen=True, slots=True)
class BatchStats:
    lines: int
    triaged: int
    errors: int
    seconds: float


def _item(row: Any) -> TriageItem:
    """The triage input from one decoded line; raises ``ValueError`` with a readable reason."""
    if not isinstance(row, dict):
        raise ValueError("line is not a JSON object")
    if "id" not in row:
        raise ValueError("missing 'id'")
    text = row.get("text")
    if not isinstance(text, str):
        raise ValueError("'text' must be a string")
    created = row.get("created_at")
    created_at = None
    if created is not None:
        if not isinstance(created, str):
            raise ValueError("'created_at' must be an ISO 8601 string")
        created_at = datetime.fromisoformat(created.replace("Z", "+00:00"))
        if created_at.tzinfo is None:
            created_at = created_at.replace(tzinfo=UTC)
    followers = row.get("followers")
    if followers is not None and (isinstance(followers, bool) or not isinstance(followers, int)):
        raise ValueError("'followers' must be an integer")
    hint = row.get("language_hint")
    return TriageItem(
        text=text,
        mentioned=bool(row.get("mentioned", True)),
        followers=followers,
        created_at=created_at,
        language_hint=hint if isinstance(hint, str) else None,
        to_brand=bool(row.get("to_brand", False)),
    )


def _flush(
    lines: list[bytes],
    triager: PostTriager,
    *,
    out: Any,
    languages: Sequence[str],
    order_pattern: str | None,
    now: datetime,
) -> int:
    """Triage one chunk and write it in input order; returns the number of error lines."""
    rows: list[Any] = []
    items: list[TriageItem] = []
    slots: list[int] = []
    errors: dict[int, str] = {}
    for n, line in enumerate(lines):
        row = None
        try:
            row = orjson.loads(line)
            items.append(_item(row))
        except (orjson.JSONDecodeError, ValueError) as exc:
            errors[n] = str(exc) or type(exc).__name__
            rows.append(row)
            continue
        rows.append(row)
        slots.append(n)
    results = triager.triage_many(items, languages=languages, now=now, order_pattern=order_pattern)
    by_line = dict(zip(slots, results, strict=True))
    for n, row in enumerate(rows):
        if n in errors:
            record: dict[str, Any] = {"error": errors[n]}
            if isinstance(row, dict) and "id" in row:
                record = {"id": row["id"], **record}
            out.write(orjson.dumps(record) + b"\n")
        else:
            row["triage"] = by_line[n].to_dict()
            out.write(orjson.dumps(row) + b"\n")
    return len(errors)


def run_batch(
    input_path: Path,
    output_path: Path,
    *,
    progress: Callable[[int], None] | None = None,
    languages: Sequence[str] = DEFAULT_LANGUAGES,
    order_pattern: str | None = None,
    model_dir: Path | None = None,
    triager: PostTriager | None = None,
    now: datetime | None = None,
) -> BatchStats:
    """Triage every line of ``input_path`` into ``output_path``; ``progress`` gets the running
    count of lines written after each chunk."""
    started = datetime.now(UTC)
    clock = now or started
    triager = triager or build_triager(model_dir)
    total = errors = 0
    with input_path.open("rb") as src, output_path.open("wb") as out:
        chunk: list[bytes] = []
        for raw in src:
            chunk.append(raw.rstrip(b"\r\n"))
            if len(chunk) >= CHUNK:
                errors += _flush(
                    chunk,
                    triager,
                    out=out,
                    languages=languages,
                    order_pattern=order_pattern,
                    now=clock,
                )
                total += len(chunk)
                chunk = []
                if progress:
                    progress(total)
        if chunk:
            errors += _flush(
                chunk, triager, out=out, languages=languages, order_pattern=order_pattern, now=clock
            )
            total += len(chunk)
            if progress:
                progress(total)
    seconds = (datetime.now(UTC) - started).total_seconds()
    return BatchStats(lines=total, triaged=total - errors, errors=errors, seconds=seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mentiondesk.triage.batch")
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--languages", default=",".join(DEFAULT_LANGUAGES))
    parser.add_argument("--order-pattern", default=None)
    parser.add_argument("--model-dir", type=Path, default=None)
    args = parser.parse_args(argv)

    def report(done: int) -> None:
        print(f"triaged {done} lines", file=sys.stderr, flush=True)

    stats = run_batch(
        args.input,
        args.output,
        progress=report,
        languages=[c.strip() for c in args.languages.split(",") if c.strip()],
        order_pattern=args.order_pattern,
        model_dir=args.model_dir,
    )
    rate = stats.lines / stats.seconds if stats.seconds else 0.0
    print(
        f"done: {stats.lines} lines, {stats.errors} errors, {stats.seconds:.1f}s ({rate:.0f}/s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
