"""Property, on SQLite and PostgreSQL: whatever arrives, it becomes a post or it is kept in
``rejected_inputs`` with a reason; an import never stops at a bad line and importing the same
file again keeps nothing twice."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from mentiondesk.pipeline.files import import_file
from mentiondesk.storage import tables as t
from tests.factories import Desk, raw_post

PROPERTY = settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),  # lone surrogates and NUL included
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
FIELDS = [
    "platform",
    "platform_post_id",
    "text",
    "created_at",
    "author_handle",
    "author_name",
    "author_followers",
    "kind",
    "conversation_id",
    "url",
    "lang",
    "to_brand",
    "meta",
]
DATES = st.sampled_from(
    [
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-05:00",
        "2026-03-10T08:00:00+00:00",
        "2026-03-10T08:00:00",
        "1969-12-31T23:00:00Z",
        "2100-12-31T23:00:00+00:00",
        "",
    ]
)
POSTS = st.builds(
    lambda changes: {**raw_post(), **changes},
    st.dictionaries(st.sampled_from(FIELDS), JSON | DATES, max_size=3),
)
RAW = st.one_of(POSTS, JSON)


def _kept(desk: Desk) -> dict[int, Any]:
    with desk.services.engine.connect() as conn:
        return {row.id: row for row in conn.execute(select(t.rejected_inputs))}


def _count(desk: Desk, table: Any) -> int:
    with desk.services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_any_input_becomes_a_post_or_is_kept_with_a_reason(desk: Desk) -> None:
    pipeline = desk.services.pipeline
    figures = {"tried": 0, "stored": 0, "kept": 0, "lost": 0}

    @PROPERTY
    @given(RAW)
    def ingest(raw: Any) -> None:
        result = pipeline.ingest(desk.workspace, raw, source="property")
        figures["tried"] += 1
        if result.status in ("created", "duplicate"):
            assert result.post_id is not None
            figures["stored"] += 1
            return
        assert result.status in ("rejected", "dead-letter") and result.reason
        kept = _kept(desk).get(result.rejected_id or 0)
        figures["kept" if kept is not None else "lost"] += 1
        assert kept is not None and kept.reason

    ingest()
    print(f"\npipeline property: {figures}")
    assert figures["lost"] == 0 and figures["kept"] > 0 and figures["stored"] > 0


def test_any_jsonl_file_imports_to_the_end_and_again_keeps_nothing_twice(
    desk: Desk, tmp_path: Path
) -> None:
    lines = st.one_of(
        st.binary(max_size=60),
        st.builds(lambda raw: json.dumps(raw).encode(), RAW),
        st.builds(lambda raw: json.dumps(raw, ensure_ascii=False).encode("utf-8", "replace"), RAW),
    ).map(lambda b: b.replace(b"\n", b" ").replace(b"\r", b" "))

    @PROPERTY
    @given(st.lists(lines, min_size=1, max_size=8))
    def import_twice(content: list[bytes]) -> None:
        path = tmp_path / "posts.jsonl"
        path.write_bytes(b"\n".join(content) + b"\n")
        records = sum(1 for line in content if line.strip())
        results = list(import_file(desk.services.pipeline, desk.workspace, path))
        assert len(results) == records
        kept = _kept(desk)
        refused = [r for r in results if r.status in ("rejected", "dead-letter")]
        assert all(r.rejected_id in kept for r in refused)
        before = _count(desk, t.rejected_inputs)
        again = list(import_file(desk.services.pipeline, desk.workspace, path))
        assert len(again) == records
        assert all(r.status != "created" for r in again)
        assert _count(desk, t.rejected_inputs) == before

    import_twice()


def test_any_csv_file_imports_to_the_end_and_again_keeps_nothing_twice(
    desk: Desk, tmp_path: Path
) -> None:
    header = [
        "platform",
        "platform_post_id",
        "text",
        "created_at",
        "author_handle",
        "author_followers",
        "meta",
    ]
    cells = st.one_of(
        st.text(max_size=20).map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.binary(max_size=12),
        st.sampled_from([b"x", b"2026-03-10T08:00:00+00:00", b"1" + b"0" * 30, b"{}", b"[1"]),
    )

    @PROPERTY
    @given(st.lists(st.lists(cells, min_size=5, max_size=8), min_size=1, max_size=6))
    def import_twice(rows: list[list[bytes]]) -> None:
        text = io.StringIO()
        csv.writer(text).writerow(header)
        body = text.getvalue().encode()
        for row in rows:
            line = io.StringIO()
            csv.writer(line).writerow([c.decode("utf-8", "surrogateescape") for c in row])
            body += line.getvalue().encode("utf-8", "surrogateescape")
        path = tmp_path / "posts.csv"
        path.write_bytes(body)
        results = list(import_file(desk.services.pipeline, desk.workspace, path))
        kept = _kept(desk)
        refused = [r for r in results if r.status in ("rejected", "dead-letter")]
        assert all(r.rejected_id in kept for r in refused)
        before = _count(desk, t.rejected_inputs)
        again = list(import_file(desk.services.pipeline, desk.workspace, path))
        assert len(again) == len(results)
        assert _count(desk, t.rejected_inputs) == before

    import_twice()
