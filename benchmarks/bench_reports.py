"""Latency of the reports page for 90 days of a workspace with 1,000,000 posts.

    PYTHONPATH=src python benchmarks/bench_reports.py [--db both|sqlite|postgresql]
        [--posts 1000000] [--cases 200000] [--runs 100] [--raw-runs 5] [--data DIR]
        [--pg-url URL] [--pg-name NAME]

The data set is built once and reused: a SQLite file under ``--data`` and a PostgreSQL database
``mentiondesk_bench_reports``, both migrated with the real migrations; delete them (or pass
``--rebuild``) to build again. A year of a busy brand: posts spread over 365 days with
sentiments, 200,000 cases with first responses, resolutions, assignees and mention kinds,
about one sent reply per answered case, and SLA breaches on a tenth of the cases.

Each run requests the real page (``GET /w/bench/reports?from=..&to=..``: the last 90 days,
compared with the 90 before) through the app with a signed-in viewer, and the JSON API. The
baseline, measured in the same run on the same database, is the cheapest read of the same
rows: ``SELECT count(*)`` of the workspace's posts in those 90 days. Figures are printed as
milliseconds and as ratios to that baseline.

The rows are loaded past the event handlers, so the report rollups are then rebuilt once (as
migration 0021's backfill or ``mentiondesk report rebuild`` does; its duration is printed).
The same page is also timed with the rollups marked unbuilt (``--raw-runs`` requests), which
makes it read the raw rows as before the rollups. Method and results:
docs/benchmarks-reports.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, func, make_url, select, text, update
from sqlalchemy.pool import NullPool

from mentiondesk.analytics.rollups import is_built, mark_unbuilt, rebuild
from mentiondesk.bootstrap import bootstrap
from mentiondesk.config import Settings
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.desk.sla_settings import load_desk_settings
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.workspaces import Role
from mentiondesk.storage import tables as t
from mentiondesk.storage.engine import make_engine
from mentiondesk.storage.migrate import upgrade
from mentiondesk.storage.tables_reports import report_rollup_state
from mentiondesk.web.app import create_app

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
WORKSPACE_ID = 1
AGENTS = 24
PG_NAME = "mentiondesk_bench_reports"
PLATFORMS = ("x", "facebook", "instagram", "x", "facebook", "x")
LANGUAGES = ("pl", "pl", "pl", "it", "it", "en")
SENTIMENTS = ("negative", "neutral", "neutral", "positive", None)
KINDS = ("direct", "direct", "indirect", "fuzzy", "query")
STATUSES = (("resolved", 80), ("waiting", 8), ("open", 6), ("new", 5), ("merged", 1))
PASSWORD = "bench-password-123"
FROM, TO = (NOW - timedelta(days=89)).date(), NOW.date()


# -- generation -------------------------------------------------------------------------------


def _cases(n_cases: int, n_authors: int, rng: random.Random) -> list[tuple[Any, ...]]:
    names = [s for s, _ in STATUSES]
    weights = [w for _, w in STATUSES]
    rows = []
    for i in range(1, n_cases + 1):
        status = rng.choices(names, weights)[0]
        opened = NOW - timedelta(seconds=rng.randint(60, 365 * 86400))
        first = None
        if status != "new" and rng.random() < 0.9:
            first = min(NOW, opened + timedelta(seconds=rng.expovariate(1 / 5400)))
        resolved = None
        if status == "resolved":
            resolved = min(NOW, opened + timedelta(seconds=rng.expovariate(1 / 80000)))
        assignee = None if status == "new" or rng.random() < 0.2 else rng.randint(2, AGENTS + 1)
        rows.append(
            (
                i, WORKSPACE_ID, rng.randint(1, n_authors), rng.choice(PLATFORMS), f"t{i}",
                status, assignee, rng.randint(0, 60), status in ("new", "open"),
                rng.choice(LANGUAGES), "negative", rng.random() < 0.6, "", rng.choice(KINDS),
                opened, resolved or first or opened, first, resolved, 1,
            )
        )  # fmt: skip
    return rows


CASE_COLUMNS = (
    "id", "workspace_id", "author_id", "platform", "thread_key", "status", "assignee_id",
    "priority", "needs_reply", "language", "sentiment", "tagged", "summary", "mention_kind",
    "opened_at", "last_activity_at", "first_response_at", "resolved_at", "version",
)  # fmt: skip
POST_COLUMNS = (
    "id", "workspace_id", "platform", "platform_post_id", "kind", "author_id", "text",
    "created_at", "received_at", "thread_key", "to_brand", "tagged", "mentions", "language",
    "sentiment", "case_id", "hidden", "meta",
)  # fmt: skip
REPLY_COLUMNS = (
    "id", "workspace_id", "case_id", "user_id", "text", "visibility", "status",
    "idempotency_key", "created_at", "attempts",
)  # fmt: skip
BREACH_COLUMNS = (
    "id", "workspace_id", "case_id", "metric", "target_seconds", "breached_at", "recorded_at",
)  # fmt: skip


def _posts(cases: list[tuple[Any, ...]], n_posts: int, n_authors: int) -> Iterator[tuple[Any, ...]]:
    """One post opening each case, then follow-ups (60 %) and posts that opened no case."""
    rng = random.Random(6)
    for i in range(1, n_posts + 1):
        case = cases[i - 1] if i <= len(cases) else None
        if case is None and rng.random() < 0.6:
            case = cases[rng.randrange(len(cases))]
        if case is not None:
            at = (
                case[14]
                if i <= len(cases)
                else min(NOW, case[14] + timedelta(seconds=rng.randint(0, 3 * 86400)))
            )
            author, platform, thread, case_id = case[2], case[3], case[4], case[0]
        else:
            at = NOW - timedelta(seconds=rng.randint(0, 365 * 86400))
            author, platform, thread, case_id = (
                rng.randint(1, n_authors),
                rng.choice(PLATFORMS),
                f"n{i}",
                None,
            )
        yield (
            i, WORKSPACE_ID, platform, f"p{i}", "post", author, "a post about the brand", at, at,
            thread, False, False, "[]", rng.choice(LANGUAGES), rng.choice(SENTIMENTS), case_id,
            False, "{}",
        )  # fmt: skip


def _replies(cases: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    rng = random.Random(7)
    n = 0
    for case in cases:
        if case[16] is None:
            continue
        n += 1
        yield (
            n, WORKSPACE_ID, case[0], case[6] or rng.randint(2, AGENTS + 1), "Sorry!", "public",
            "sent" if rng.random() < 0.97 else "failed", f"k{n}", case[16], 1,
        )  # fmt: skip


def _breaches(cases: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    rng = random.Random(8)
    n = 0
    for case in cases:
        for metric in ("first_response", "resolution"):
            if rng.random() < 0.1:
                n += 1
                at = case[14] + timedelta(hours=1)
                yield (n, WORKSPACE_ID, case[0], metric, 3600.0, at, at)


def _sql_value(value: Any, sqlite: bool) -> Any:
    if sqlite and isinstance(value, datetime):  # the text SQLAlchemy's SQLite DATETIME writes
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def build(engine: Engine, n_posts: int, n_cases: int) -> None:
    """Bulk load the generated year (COPY on PostgreSQL, executemany on SQLite)."""
    rng = random.Random(5)
    n_authors = max(1, n_cases * 3 // 4)
    cases = _cases(n_cases, n_authors, rng)
    sqlite = engine.dialect.name == "sqlite"
    authors = (
        (i, WORKSPACE_ID, PLATFORMS[i % 6], f"user_{i}", f"User {i}", 100, NOW)
        for i in range(1, n_authors + 1)
    )
    loads: list[tuple[str, tuple[str, ...], Iterator[tuple[Any, ...]]]] = [
        ("authors", ("id", "workspace_id", "platform", "handle", "name", "followers",
                     "first_seen_at"), authors),
        ("cases", CASE_COLUMNS, iter(cases)),
        ("posts", POST_COLUMNS, _posts(cases, n_posts, n_authors)),
        ("replies", REPLY_COLUMNS, _replies(cases)),
        ("sla_breaches", BREACH_COLUMNS, _breaches(cases)),
    ]  # fmt: skip
    with engine.begin() as conn:
        conn.execute(
            t.workspaces.insert().values(
                id=WORKSPACE_ID, slug="bench", name="Bench", time_zone="Europe/Warsaw",
                languages=["pl", "it", "en"], hours={}, holiday_country="PL",
                brand={"names": ["Bench"]}, settings={"desk": {"sla": {
                    "first_response": 3600, "next_response": None, "resolution": 86400}}},
                created_at=NOW,
            )
        )  # fmt: skip
        conn.execute(
            t.users.insert(),
            [
                {"id": i, "email": f"agent{i}@bench.test", "name": f"Agent {i}",
                 "password_hash": "x", "signature": "", "is_active": True, "created_at": NOW}
                for i in range(2, AGENTS + 2)
            ],
        )  # fmt: skip
        conn.execute(
            t.memberships.insert(),
            [{"user_id": i, "workspace_id": WORKSPACE_ID, "role": "agent"}
             for i in range(2, AGENTS + 2)],
        )  # fmt: skip
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for table, columns, rows in loads:
            if sqlite:
                marks = ", ".join(["?"] * len(columns))
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
                while chunk := [
                    tuple(_sql_value(v, True) for v in row)
                    for _, row in zip(range(100_000), rows, strict=False)
                ]:
                    cursor.executemany(sql, chunk)
                    raw.commit()
            else:
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                    for row in rows:
                        copy.write_row(row)
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
                raw.commit()
    finally:
        raw.close()
    with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
        conn.exec_driver_sql("ANALYZE" if sqlite else "VACUUM ANALYZE")


# -- timing -----------------------------------------------------------------------------------


def _percentiles(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    return {
        "p50_ms": statistics.median(samples),
        "p99_ms": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
    }


def _timed(fn: Callable[[], Any], runs: int, warm: int = 3) -> dict[str, float]:
    for _ in range(warm):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return _percentiles(samples)


def _differences(a: Any, b: Any, path: str = "") -> Iterator[str]:
    """Where two reports' JSON differ, durations compared to 0.01 s (the epoch seconds a
    database computes and Python's differ in the last bits)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b) - {"generated_at"}):
            yield from _differences(a.get(key), b.get(key), f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _differences(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        if abs(a - b) > 0.01:
            yield path
    elif a != b:
        yield path


def measure(url: str, data: Path, runs: int, raw_runs: int) -> dict[str, dict[str, float]]:
    services = bootstrap(
        Settings(data_dir=data, database_url=url),
        clock=FixedClock(NOW),  # type: ignore[call-arg]
    )
    try:
        with services.uow() as uow:
            workspace = uow.workspaces.get(WORKSPACE_ID)
            assert workspace is not None
            settings = load_desk_settings(uow, workspace)
            if not is_built(uow.connection, WORKSPACE_ID, settings):
                started = time.perf_counter()
                cases = rebuild(uow, workspace, now=NOW)
                uow.commit()
                print(f"rollups rebuilt in {time.perf_counter() - started:.0f} s ({cases:,} cases)")
                with services.engine.execution_options(isolation_level="AUTOCOMMIT").connect() as c:
                    # What autovacuum would do soon after: statistics and the visibility map.
                    c.exec_driver_sql("ANALYZE" if url.startswith("sqlite") else "VACUUM ANALYZE")
        with services.uow() as uow:
            if uow.users.get_by_email("viewer@bench.test") is None:
                user = do_create_user(uow, "viewer@bench.test", "Viewer", PASSWORD, now=NOW)
                uow.users.set_role(user.id, WORKSPACE_ID, Role.VIEWER)
                uow.commit()
        start, end = datetime.combine(FROM, datetime.min.time(), UTC), NOW
        query = f"from={FROM.isoformat()}&to={TO.isoformat()}"
        # Not entered as a context manager: the app's lifespan (the SLA sweep) would run
        # beside the timing and compete for the same two cores.
        client = TestClient(create_app(services), base_url="http://bench")
        form = client.get("/login").text
        token = form.split('name="csrf_token" value="')[1].split('"')[0]
        client.post(
            "/login",
            data={"email": "viewer@bench.test", "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )

        def page() -> None:
            response = client.get(f"/w/bench/reports?{query}")
            assert response.status_code == 200, response.text[:300]

        def api() -> None:
            assert client.get(f"/api/v1/workspaces/bench/reports?{query}").status_code == 200

        def baseline() -> None:
            with services.engine.connect() as conn:
                conn.execute(
                    select(func.count()).select_from(t.posts).where(
                        t.posts.c.workspace_id == WORKSPACE_ID,
                        t.posts.c.created_at >= start, t.posts.c.created_at < end,
                    )
                ).scalar_one()  # fmt: skip

        results = {
            "baseline: count(*) of the 90 days' posts": _timed(baseline, runs),
            "reports page, 90 days vs previous 90": _timed(page, runs),
            "reports API (JSON), same figures": _timed(api, runs),
        }
        body = client.get(f"/api/v1/workspaces/bench/reports?{query}").json()
        if raw_runs:
            with services.uow() as uow:
                mark_unbuilt(uow.connection, WORKSPACE_ID)
                uow.commit()
            try:
                raw = client.get(f"/api/v1/workspaces/bench/reports?{query}").json()
                differ = list(_differences(body, raw))
                print(f"  figures read from the raw rows that differ from the rollups': {differ}")
                results["reports page from the raw rows (before)"] = _timed(page, raw_runs, 1)
            finally:
                with services.uow() as uow:  # the rollups themselves were not touched
                    uow.connection.execute(update(report_rollup_state).values(built_at=NOW))
                    uow.commit()
        results["rows"] = {
            "posts": body["summary"]["posts"], "cases": body["summary"]["cases"]
        }  # fmt: skip
        return results
    finally:
        services.close()


def _print(db: str, results: dict[str, dict[str, float]]) -> None:
    rows = results.pop("rows")
    base = results[next(iter(results))]["p99_ms"]
    print(f"\n{db}: 90 days hold {rows['posts']:,} posts and {rows['cases']:,} cases")
    print(f"  {'measure':44} {'p50 ms':>8} {'p99 ms':>8} {'p99 / baseline':>15}")
    for name, r in results.items():
        print(f"  {name:44} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f} {r['p99_ms'] / base:14.1f}x")


def _sqlite(data: Path, posts: int, cases: int, rebuild: bool) -> str:
    path = data / "reports.db"
    if rebuild and path.exists():
        path.unlink()
    url = f"sqlite:///{path}"
    if not path.exists():
        engine = make_engine(url)
        try:
            upgrade(engine)
            started = time.perf_counter()
            build(engine, posts, cases)
            print(f"sqlite: built in {time.perf_counter() - started:.0f} s ({path})")
        finally:
            engine.dispose()
    return url


def _postgres(pg_url: str, pg_name: str, posts: int, cases: int, rebuild: bool) -> str:
    admin = create_engine(make_url(pg_url), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    url = make_url(pg_url).set(database=pg_name).render_as_string(hide_password=False)
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": pg_name}
            ).first()
            if exists and rebuild:
                conn.exec_driver_sql(f'DROP DATABASE "{pg_name}" WITH (FORCE)')
                exists = None
            if not exists:
                conn.exec_driver_sql(f'CREATE DATABASE "{pg_name}" TEMPLATE template0')
        if not exists:
            engine = make_engine(url)
            try:
                upgrade(engine)
                started = time.perf_counter()
                build(engine, posts, cases)
                print(f"postgresql: built in {time.perf_counter() - started:.0f} s ({pg_name})")
            finally:
                engine.dispose()
    finally:
        admin.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", choices=("both", "sqlite", "postgresql"), default="both")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--raw-runs", type=int, default=5, help="requests read from raw rows")
    parser.add_argument("--pg-name", default=PG_NAME, help="the benchmark's PostgreSQL database")
    parser.add_argument("--data", type=Path, default=Path("/tmp/mentiondesk-bench-reports"))
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--rebuild", action="store_true", help="build the data sets again")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    targets = []
    if args.db in ("both", "sqlite"):
        targets.append(("sqlite", _sqlite(args.data, args.posts, args.cases, args.rebuild)))
    if args.db in ("both", "postgresql"):
        targets.append(
            (
                "postgresql",
                _postgres(args.pg_url, args.pg_name, args.posts, args.cases, args.rebuild),
            )
        )
    if args.build_only:
        return
    for db, url in targets:
        _print(db, measure(url, args.data, args.runs, args.raw_runs))


if __name__ == "__main__":
    main()
