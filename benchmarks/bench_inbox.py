"""Latency of the inbox query with 1,000,000 posts and 200,000 cases, on PostgreSQL and SQLite,
and the server time of the split inbox's requests: the list, the case pane and a search.

    PYTHONPATH=src python benchmarks/bench_inbox.py [--db both|sqlite|postgresql]
        [--posts 1000000] [--cases 200000] [--runs 200] [--page-runs 100] [--pg-url URL] [--keep]

Each database is fresh: a dedicated PostgreSQL database (created, then dropped unless --keep)
and a SQLite file in a temporary folder, both migrated with the real Alembic migrations. The
data are generated (seeded, so every run measures the same rows) and bulk loaded: COPY on
PostgreSQL, ``executemany`` in large transactions on SQLite. Then the real
``InboxQueries.page`` runs the filters and sorts agents use, and p50/p99 are printed per
query and database. Then the web app itself (``create_app`` over the same database, a signed-in
agent, through Starlette's test client) answers the inbox's requests as the browser sends them:
the list (rows only), the case pane of a different active case each time, and searches; the
time is the whole request, rendering included. Method and results: docs/benchmarks-inbox.md.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Engine, create_engine, make_url, select
from sqlalchemy.pool import NullPool

from mentiondesk.bootstrap import bootstrap
from mentiondesk.config import Settings
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.desk.search import search_text
from mentiondesk.domain.cases import CaseStatus
from mentiondesk.domain.inbox import ASSIGNEE_UNASSIGNED, InboxFilter, InboxSort
from mentiondesk.domain.workspaces import Role
from mentiondesk.storage import tables as t
from mentiondesk.storage.engine import make_engine
from mentiondesk.storage.migrate import upgrade
from mentiondesk.storage.repositories.inbox import InboxQueries

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
AGENTS = 24
PLATFORMS = ("x", "facebook", "instagram", "mastodon", "bluesky", "reddit")
LANGUAGES = ("pl", "pl", "pl", "it", "it", "en")  # Polish-heavy, like the demo brand
SENTIMENTS = ("negative", "neutral", "positive")
# Most cases of a year-old desk are resolved; the active ones are what agents page through.
STATUS_WEIGHTS = (
    (CaseStatus.RESOLVED, 70),
    (CaseStatus.WAITING, 12),
    (CaseStatus.OPEN, 10),
    (CaseStatus.NEW, 8),
)
WORKSPACE_ID = 1
SUMMARIES = (
    "my parcel has not arrived",
    "opóźnienie lotu do Krakowa, nikt nie odpowiada",
    "zgubiony bagaż w Rzymie",
    "volo in ritardo di due ore",
    "bagaglio perso a Fiumicino",
    "can I change my seat online?",
    "refund still missing after three weeks",
    "the app crashes at check-in",
)
SEARCHES = (
    ("search: opóźnienie (inflected)", "opóźnienie"),
    ("search: bagaż rzym", "bagaż rzym"),
    ('search: "refund still"', '"refund still"'),
    ("search: author user_4242", "user_4242"),
    ("search: fiumicino (one case in 8)", "fiumicino"),
)
AGENT_EMAIL = "bench-agent@bench.test"
AGENT_PASSWORD = "quiet violet harbour 47 lanterns"
ME = 2  # the agent whose "assigned to me" view is timed (user ids 2..AGENTS+1 are agents)


@dataclass(frozen=True)
class Query:
    name: str
    filter: InboxFilter


def active(**choices: Any) -> InboxFilter:
    """An active-inbox filter as the inbox page builds it: snoozed cases stay out until they
    wake, so the query carries the snooze condition too."""
    return InboxFilter(awake_at=NOW, **choices)


QUERIES = (
    Query("active, urgent, page 1", active()),
    Query("active, urgent, page 20", active(page=20)),
    Query("active, newest, pl, page 1", active(language="pl", sort=InboxSort.NEWEST)),
    Query("active, urgent, assigned to me", active(assignee_id=ME)),
    Query("active, urgent, unassigned", active(assignee_id=ASSIGNEE_UNASSIGNED)),
    Query("active, urgent, needs reply", active(needs_reply=True)),
    Query(
        "needs reply, it, unassigned, oldest",
        active(
            language="it",
            assignee_id=ASSIGNEE_UNASSIGNED,
            needs_reply=True,
            sort=InboxSort.OLDEST,
        ),
    ),
    Query("active, oldest, page 20", active(sort=InboxSort.OLDEST, page=20)),
    Query("breaching in 1 h", active(due_before=NOW + timedelta(hours=1))),
    Query(
        "resolved, newest, page 1",
        InboxFilter(statuses=(CaseStatus.RESOLVED,), sort=InboxSort.NEWEST),
    ),
)


# -- generation -------------------------------------------------------------------------------


@dataclass
class Generated:
    users: list[tuple[Any, ...]]
    authors: list[tuple[Any, ...]]
    cases: list[tuple[Any, ...]]
    post_count: int


USER_COLUMNS = ("id", "email", "name", "password_hash", "signature", "is_active", "created_at")
AUTHOR_COLUMNS = ("id", "workspace_id", "platform", "handle", "name", "followers", "first_seen_at")
CASE_COLUMNS = (
    "id",
    "workspace_id",
    "author_id",
    "platform",
    "thread_key",
    "status",
    "assignee_id",
    "priority",
    "needs_reply",
    "language",
    "sentiment",
    "tagged",
    "summary",
    "search_text",
    "opened_at",
    "last_activity_at",
    "first_response_at",
    "resolved_at",
    "version",
    "sla_due_at",
)
POST_COLUMNS = (
    "id",
    "workspace_id",
    "platform",
    "platform_post_id",
    "kind",
    "author_id",
    "text",
    "created_at",
    "received_at",
    "thread_key",
    "to_brand",
    "tagged",
    "mentions",
    "language",
    "sentiment",
    "priority",
    "case_id",
    "hidden",
    "meta",
)


def generate(n_cases: int, n_posts: int, seed: int = 5) -> Generated:
    """Users, authors and cases in memory; posts are streamed by ``posts`` (too many to hold)."""
    rng = random.Random(seed)
    due_rng = random.Random(seed + 1)  # apart, so the other columns stay as they were
    users = [(1, "owner@bench.test", "Owner", "x", "", True, NOW)] + [
        (i, f"agent{i}@bench.test", f"Agent {i}", "x", "", True, NOW) for i in range(2, AGENTS + 2)
    ]
    n_authors = max(1, n_cases * 3 // 4)
    authors = [
        (
            i,
            WORKSPACE_ID,
            PLATFORMS[i % len(PLATFORMS)],
            f"user_{i}",
            f"User {i}",
            rng.randint(0, 5000),
            NOW - timedelta(days=400),
        )
        for i in range(1, n_authors + 1)
    ]
    statuses = [s for s, _ in STATUS_WEIGHTS]
    weights = [w for _, w in STATUS_WEIGHTS]
    cases = []
    for i in range(1, n_cases + 1):
        author = authors[rng.randrange(n_authors)]
        status = rng.choices(statuses, weights)[0]
        opened = NOW - timedelta(seconds=rng.randint(60, 365 * 86400))
        last = min(NOW, opened + timedelta(seconds=rng.randint(0, 5 * 86400)))
        resolved = last if status is CaseStatus.RESOLVED else None
        assignee = None if rng.random() < 0.3 else rng.randint(2, AGENTS + 1)
        if status is CaseStatus.NEW:
            assignee = None
        priority = min(100, int(rng.expovariate(1 / 15)))
        needs_reply = rng.random() < 0.6
        cases.append(
            (
                i,
                WORKSPACE_ID,
                author[0],
                author[2],
                f"thread-{i}",
                status.value,
                assignee,
                priority,
                needs_reply,
                rng.choice(LANGUAGES),
                rng.choice(SENTIMENTS),
                rng.random() < 0.5,
                f"case {i}: {SUMMARIES[i % len(SUMMARIES)]}",
                search_text(f"case {i}: {SUMMARIES[i % len(SUMMARIES)]}", author[3], author[4]),
                opened,
                last,
                None if status is CaseStatus.NEW else last,
                resolved,
                1,
                # the SLA sweep's projection: active cases needing a reply fall due within 3 days
                NOW + timedelta(seconds=due_rng.randint(0, 3 * 86400))
                if status is not CaseStatus.RESOLVED and needs_reply
                else None,
            )
        )
    return Generated(users, authors, cases, n_posts)


def posts(data: Generated, seed: int = 6) -> Iterator[tuple[Any, ...]]:
    """One post opening each case, then follow-ups (60%) and unrelated noise (40%)."""
    rng = random.Random(seed)
    n_cases = len(data.cases)
    for i in range(1, data.post_count + 1):
        if i <= n_cases:
            case = data.cases[i - 1]
        elif rng.random() < 0.6:
            case = data.cases[rng.randrange(n_cases)]
        else:
            case = None
        if case is not None:
            author_id, platform, thread, at = case[2], case[3], case[4], case[14]
            language, priority, case_id = case[9], case[7], case[0]
        else:
            author = data.authors[rng.randrange(len(data.authors))]
            author_id, platform, thread = author[0], author[2], f"noise-{i}"
            at, language, priority, case_id = NOW - timedelta(seconds=i), "pl", 0, None
        yield (
            i,
            WORKSPACE_ID,
            platform,
            f"p{i}",
            "post",
            author_id,
            f"post {i} about the brand and a parcel that has not arrived",
            at,
            at,
            thread,
            False,
            False,
            "[]",
            language,
            "neutral",
            priority,
            case_id,
            False,
            "{}",
        )


# -- loading ----------------------------------------------------------------------------------


def _workspace_row() -> dict[str, Any]:
    return {
        "id": WORKSPACE_ID,
        "slug": "bench",
        "name": "Bench",
        "time_zone": "Europe/Warsaw",
        "languages": '["pl", "it", "en"]',
        "hours": "{}",
        "holiday_country": "PL",
        "brand": '{"names": ["Bench"]}',
        "order_pattern": None,
        "settings": "{}",
        "created_at": NOW,
    }


def load_postgres(engine: Engine, data: Generated) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        ws = _workspace_row()
        cursor.execute(
            f"INSERT INTO workspaces ({', '.join(ws)}) VALUES ({', '.join(['%s'] * len(ws))})",
            list(ws.values()),
        )
        for table, columns, rows in (
            ("users", USER_COLUMNS, data.users),
            ("authors", AUTHOR_COLUMNS, data.authors),
            ("cases", CASE_COLUMNS, data.cases),
            ("posts", POST_COLUMNS, posts(data)),
        ):
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
        for table in ("users", "authors", "cases", "posts"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        raw.commit()
    finally:
        raw.close()
    # What autovacuum does on a live database: statistics, and the visibility map that lets
    # capped counts be answered from the index alone.
    with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):  # the text format SQLAlchemy's SQLite DATETIME writes
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def load_sqlite(engine: Engine, data: Generated, batch: int = 100_000) -> None:
    raw = engine.raw_connection()
    try:
        raw.execute("PRAGMA synchronous=OFF")  # type: ignore[attr-defined]
        ws = _workspace_row()
        raw.execute(  # type: ignore[attr-defined]
            f"INSERT INTO workspaces ({', '.join(ws)}) VALUES ({', '.join(['?'] * len(ws))})",
            [_sqlite_value(v) for v in ws.values()],
        )
        for table, columns, rows in (
            ("users", USER_COLUMNS, iter(data.users)),
            ("authors", AUTHOR_COLUMNS, iter(data.authors)),
            ("cases", CASE_COLUMNS, iter(data.cases)),
            ("posts", POST_COLUMNS, posts(data)),
        ):
            marks = ", ".join(["?"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            while chunk := [
                tuple(_sqlite_value(v) for v in row)
                for _, row in zip(range(batch), rows, strict=False)
            ]:
                raw.executemany(sql, chunk)  # type: ignore[attr-defined]
                raw.commit()
        raw.execute("ANALYZE")  # type: ignore[attr-defined]
        raw.commit()
    finally:
        raw.close()


# -- timing -----------------------------------------------------------------------------------


def time_queries(engine: Engine, runs: int) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    with engine.connect() as conn:
        inbox = InboxQueries(conn)
        for query in QUERIES:
            for _ in range(5):  # warm the cache: agents page a hot inbox
                inbox.page(WORKSPACE_ID, query.filter)
            samples = []
            for _ in range(runs):
                start = time.perf_counter()
                page = inbox.page(WORKSPACE_ID, query.filter)
                samples.append((time.perf_counter() - start) * 1000)
            samples.sort()
            results[query.name] = {
                "p50_ms": statistics.median(samples),
                "p99_ms": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
                "rows": len(page.rows),
                "total": page.total,
            }
    return results


def _timed(call: Callable[[int], Any], runs: int) -> dict[str, float]:
    for i in range(5):  # warm-up
        call(i)
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        call(i)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "p50_ms": statistics.median(samples),
        "p99_ms": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
        "rows": 0,
        "total": runs,
    }


def time_pages(url: str, runs: int, data_dir: Path) -> dict[str, dict[str, float]]:
    """The web app's answers to the split inbox, each timed as a whole request."""
    import re

    from fastapi.testclient import TestClient

    from mentiondesk.web.app import create_app

    services = bootstrap(Settings(data_dir=data_dir, database_url=url), migrate=False)
    try:
        with services.uow() as uow:
            user = do_create_user(uow, AGENT_EMAIL, "Bench Agent", AGENT_PASSWORD, now=NOW)
            uow.users.set_role(user.id, WORKSPACE_ID, Role.AGENT)
            uow.commit()
        with services.engine.connect() as conn:
            active_ids = list(
                conn.execute(
                    select(t.cases.c.id)
                    .where(t.cases.c.status.in_(("new", "open", "waiting")))
                    .order_by(t.cases.c.id)
                    .limit(20_000)
                ).scalars()
            )
        random.Random(7).shuffle(active_ids)
        client = TestClient(create_app(services), base_url="http://testserver")
        form = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token, "the login form carries a CSRF token"
        signed = client.post(
            "/login",
            data={"email": AGENT_EMAIL, "password": AGENT_PASSWORD, "csrf_token": token.group(1)},
            follow_redirects=False,
        )
        assert signed.status_code == 303, signed.text[:300]
        rows = {"HX-Request": "true"}
        pane = {
            "HX-Request": "true",
            "HX-Target": "case-pane",
            "HX-Current-URL": "http://testserver/w/bench/inbox",
        }

        def get(path: str, headers: dict[str, str]) -> None:
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.status_code, response.text[:300])

        results = {
            "page: inbox list (rows)": _timed(lambda i: get("/w/bench/inbox", rows), runs),
            "page: inbox, first load (full)": _timed(lambda i: get("/w/bench/inbox", {}), runs),
            "page: case pane": _timed(
                lambda i: get(f"/w/bench/cases/{active_ids[i % len(active_ids)]}", pane), runs
            ),
        }
        for name, q in SEARCHES:
            results[f"page: {name}"] = _timed(
                lambda i, q=q: get(f"/w/bench/inbox?{urlencode({'q': q})}", rows), runs
            )
        return results
    finally:
        services.close()


def _print(db: str, results: dict[str, dict[str, float]], load_s: float) -> None:
    print(f"\n{db}: loaded in {load_s:.0f} s")
    print(f"  {'query':40} {'p50 ms':>8} {'p99 ms':>8} {'rows':>5} {'total':>8}")
    for name, r in results.items():
        print(f"  {name:40} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} {r['rows']:5d} {r['total']:8d}")


def _run(
    db: str,
    url: str,
    data: Generated,
    runs: int,
    loader: Callable[[Engine, Generated], None],
    page_runs: int = 100,
) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        upgrade(engine)
        start = time.perf_counter()
        loader(engine, data)
        load_s = time.perf_counter() - start
        results = time_queries(engine, runs)
    finally:
        engine.dispose()
    if page_runs:
        with tempfile.TemporaryDirectory(prefix="mentiondesk-bench-app-") as data_dir:
            results.update(time_pages(url, page_runs, Path(data_dir)))
    _print(db, results, load_s)
    return {"load_s": load_s, "queries": results}


def run_postgres(
    pg_url: str, data: Generated, runs: int, keep: bool, page_runs: int = 100
) -> dict[str, Any]:
    admin = create_engine(make_url(pg_url), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    name = f"mentiondesk_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE template0')
    try:
        url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
        return _run("postgresql", url, data, runs, load_postgres, page_runs)
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("both", "sqlite", "postgresql"), default="both")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--page-runs", type=int, default=100, help="0: skip the web requests")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--keep", action="store_true", help="keep the databases for inspection")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    start = time.perf_counter()
    data = generate(args.cases, args.posts)
    print(
        f"generated {len(data.cases):,} cases, {args.posts:,} posts to stream "
        f"({time.perf_counter() - start:.0f} s)"
    )
    report: dict[str, Any] = {}
    if args.db in ("both", "postgresql"):
        report["postgresql"] = run_postgres(args.pg_url, data, args.runs, args.keep, args.page_runs)
    if args.db in ("both", "sqlite"):
        folder = Path(tempfile.mkdtemp(prefix="mentiondesk-bench-"))
        try:
            report["sqlite"] = _run(
                "sqlite",
                f"sqlite:///{folder / 'bench.db'}",
                data,
                args.runs,
                load_sqlite,
                args.page_runs,
            )
        finally:
            if not args.keep:
                for path in folder.iterdir():
                    path.unlink()
                folder.rmdir()
            else:
                print(f"kept {folder / 'bench.db'}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
