"""Reading posts from JSONL and CSV files, line by line, without ever stopping on a bad line."""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any


@dataclass(frozen=True, slots=True)
class BadLine:
    """A line that is not even a JSON object / CSV row; it is rejected with this reason."""

    line: int
    text: str
    reason: str


def _open(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open("r", encoding="utf-8", newline="")


def read_posts(path: Path, fmt: str | None = None) -> Iterator[dict[str, Any] | BadLine]:
    """Yield one raw post dict (or a ``BadLine``) per record of a ``.jsonl``/``.csv`` file."""
    name = path.name.removesuffix(".gz")
    fmt = fmt or ("csv" if name.endswith(".csv") else "jsonl")
    if fmt not in ("csv", "jsonl"):
        raise ValueError(f"unknown format {fmt!r}: use jsonl or csv")
    with _open(path) as handle:
        if fmt == "csv":
            yield from _csv_rows(handle)
        else:
            yield from _jsonl_rows(handle)


def _jsonl_rows(handle: IO[str]) -> Iterator[dict[str, Any] | BadLine]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield BadLine(number, line, f"line {number} is not valid JSON: {exc.msg}")
            continue
        if not isinstance(value, dict):
            yield BadLine(number, line, f"line {number} is not a JSON object")
            continue
        yield value


def _csv_rows(handle: IO[str]) -> Iterator[dict[str, Any] | BadLine]:
    reader = csv.DictReader(handle)
    for row in reader:
        if None in row:  # more cells than headers
            yield BadLine(
                reader.line_num,
                json.dumps(row, default=str),
                f"line {reader.line_num} has more cells than the header",
            )
            continue
        record: dict[str, Any] = {k: v for k, v in row.items() if v not in (None, "")}
        if "meta" in record:
            try:
                record["meta"] = json.loads(record["meta"])
            except json.JSONDecodeError:
                yield BadLine(
                    reader.line_num, json.dumps(row), f"line {reader.line_num}: meta is not JSON"
                )
                continue
        yield record
