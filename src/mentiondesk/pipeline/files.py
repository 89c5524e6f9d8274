"""Reading posts from JSONL and CSV files, line by line, without ever stopping on a bad line.

Files are read as bytes, so a line that is not UTF-8 is one bad line, not the end of the
import; a line longer than ``MAX_LINE_BYTES`` is kept (cut at the limit) and the rest of it
skipped without being held in memory."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.pipeline.payload import MAX_PAYLOAD_BYTES, loads_json
from mentiondesk.pipeline.runner import IngestResult, InProcessPipeline

MAX_LINE_BYTES = MAX_PAYLOAD_BYTES


@dataclass(frozen=True, slots=True)
class BadLine:
    """A line that is not even a JSON object / CSV row; it is rejected with this reason and
    its raw bytes are kept."""

    line: int
    raw: bytes
    reason: str


def _open(path: Path) -> IO[bytes]:
    if path.suffix == ".gz":
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


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


def import_file(
    pipeline: InProcessPipeline, workspace: Workspace, path: Path, fmt: str | None = None
) -> Iterator[IngestResult]:
    """Ingest every record of ``path`` and yield what became of each, bad lines included
    (kept under the source ``import:<file name>``, so importing again keeps nothing twice)."""
    source = f"import:{path.name}"
    bad: list[IngestResult] = []

    def good_records() -> Iterator[dict[str, Any]]:
        for record in read_posts(path, fmt):
            if isinstance(record, BadLine):
                bad.append(
                    pipeline.reject(
                        workspace,
                        record.raw,
                        source=source,
                        field=f"line {record.line}",
                        reason=record.reason,
                    )
                )
            else:
                yield record

    for result in pipeline.ingest_many(workspace, good_records(), source=source):
        yield from _take(bad)
        yield result
    yield from _take(bad)


def _take(results: list[IngestResult]) -> Iterator[IngestResult]:
    while results:
        yield results.pop(0)


def _lines(handle: IO[bytes]) -> Iterator[tuple[int, bytes, bool]]:
    """``(number, line, cut)`` with each line at most ``MAX_LINE_BYTES`` long."""
    number = 0
    while True:
        line = handle.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        cut = len(line) > MAX_LINE_BYTES and not line.endswith(b"\n")
        if cut:
            line = line[:MAX_LINE_BYTES]
            while (rest := handle.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
        yield number, line, cut


def _jsonl_rows(handle: IO[bytes]) -> Iterator[dict[str, Any] | BadLine]:
    for number, line, cut in _lines(handle):
        if cut:
            yield BadLine(number, line, f"line {number} is longer than {MAX_LINE_BYTES} bytes")
            continue
        if not line.strip():
            continue
        try:
            value = loads_json(line)
        except InvalidInput as exc:
            reason = exc.reason.removeprefix("invalid JSON: ")
            yield BadLine(number, line, f"line {number} is not valid JSON: {reason}")
            continue
        if not isinstance(value, dict):
            yield BadLine(number, line, f"line {number} is not a JSON object")
            continue
        yield value


def _csv_rows(handle: IO[bytes]) -> Iterator[dict[str, Any] | BadLine]:
    """Undecodable bytes ride through the csv module as surrogate escapes and come back out
    as the row's raw bytes, so the row is rejected, not the file."""
    text = io.TextIOWrapper(handle, encoding="utf-8", errors="surrogateescape", newline="")
    try:
        yield from _csv_records(csv.DictReader(text))
    finally:
        text.detach()  # the caller closes the file


def _csv_records(reader: csv.DictReader[str]) -> Iterator[dict[str, Any] | BadLine]:
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield BadLine(reader.line_num, b"", f"line {reader.line_num}: {exc}")
            continue
        raw = json.dumps(row, ensure_ascii=False, default=str).encode("utf-8", "surrogateescape")
        if None in row:  # more cells than headers
            yield BadLine(
                reader.line_num, raw, f"line {reader.line_num} has more cells than the header"
            )
            continue
        if any(_undecodable(v) for v in [*row.keys(), *row.values()]):
            yield BadLine(reader.line_num, raw, f"line {reader.line_num} is not UTF-8")
            continue
        record: dict[str, Any] = {k: v for k, v in row.items() if v not in (None, "")}
        if "meta" in record:
            try:
                record["meta"] = loads_json(record["meta"])
            except InvalidInput:
                yield BadLine(reader.line_num, raw, f"line {reader.line_num}: meta is not JSON")
                continue
        yield record


def _undecodable(value: object) -> bool:
    if isinstance(value, list):
        return any(_undecodable(v) for v in value)
    return isinstance(value, str) and any("\udc80" <= ch <= "\udcff" for ch in value)
