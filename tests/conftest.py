"""Fixtures shared by every test layer: a clock, a database per test, and the services on it.

``database_url`` runs each test that asks for it twice: on a fresh SQLite file and on PostgreSQL.
The PostgreSQL side creates one uniquely named database per test session (dropped at the end),
migrates it once and empties every table (ids restarted) before each test. When the server
cannot be reached those tests are skipped, except in CI (``CI=true``) where they fail: a green
CI run must have exercised PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import URL, Engine, create_engine, inspect, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from mentiondesk.bootstrap import Services, bootstrap
from mentiondesk.config import Settings
from mentiondesk.domain.ports import FixedClock
from mentiondesk.storage.engine import make_engine
from mentiondesk.storage.migrate import upgrade

PG_URL_ENV = "MENTIONDESK_TEST_PG_URL"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# Tuesday 10 March 2026, 09:00 UTC: inside office hours, far from any DST change.
START = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)

DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _render(url: URL) -> str:
    return url.render_as_string(hide_password=False)


class PostgresServer:
    """Creates and drops throwaway databases through an AUTOCOMMIT connection to the
    database named in the configured URL."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self._admin = create_engine(
            self.url,
            isolation_level="AUTOCOMMIT",
            poolclass=NullPool,
            connect_args={"connect_timeout": 3},
        )

    def ping(self) -> None:
        with self._admin.connect():
            pass

    def create_database(self) -> str:
        name = f"mentiondesk_test_{os.getpid()}_{uuid.uuid4().hex[:10]}"
        with self._admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE template0')
            # A throwaway database need not wait for its commits to reach the disk.
            conn.exec_driver_sql(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
        return _render(self.url.set(database=name))

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        with self._admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self._admin.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The PostgreSQL server named by MENTIONDESK_TEST_PG_URL; skipped (or, in CI, failed)
    when it does not answer."""
    url = os.environ.get(PG_URL_ENV, DEFAULT_PG_URL)
    server = PostgresServer(url)
    try:
        server.ping()
    except OperationalError as exc:
        server.close()
        shown = make_url(url).render_as_string(hide_password=True)
        cause = (str(exc.orig or exc).strip().splitlines() or ["no detail"])[0]
        message = f"PostgreSQL not reachable at {shown}: start it or set {PG_URL_ENV} ({cause})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    yield server
    server.close()


class _MigratedPostgres:
    """The session's PostgreSQL database, migrated once and emptied before each test.

    Emptying deletes every row child-first and restarts the id sequences, which for tables this
    small is several times faster than ``TRUNCATE ... RESTART IDENTITY CASCADE``."""

    def __init__(self, server: PostgresServer) -> None:
        self.server = server
        self.url = server.create_database()
        engine = make_engine(self.url)
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        self._engine: Engine = create_engine(self.url, poolclass=NullPool)
        with self._engine.connect() as conn:
            ordered = [name for name, _ in inspect(conn).get_sorted_table_and_fkc_names() if name]
            sequences = (
                conn.exec_driver_sql(
                    "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"
                )
                .scalars()
                .all()
            )
        statements = [
            f'DELETE FROM "{name}"' for name in reversed(ordered) if name != "alembic_version"
        ] + [f'ALTER SEQUENCE "{name}" RESTART' for name in sequences]
        self._empty_sql = "; ".join(statements)

    def empty(self) -> None:
        with self._engine.begin() as conn:
            conn.exec_driver_sql(self._empty_sql)

    def close(self) -> None:
        self._engine.dispose()
        self.server.drop_database(self.url)


@pytest.fixture(scope="session")
def _postgres_session_database(postgres_server: PostgresServer) -> Iterator[_MigratedPostgres]:
    database = _MigratedPostgres(postgres_server)
    yield database
    database.close()


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test instead of migrating every time."""
    path = tmp_path_factory.mktemp("sqlite-template") / "mentiondesk.db"
    engine = make_engine(_sqlite_url(path))
    try:
        upgrade(engine)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    return path


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database for this test: SQLite in tmp_path, or PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "mentiondesk.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        return _sqlite_url(path)
    database: _MigratedPostgres = request.getfixturevalue("_postgres_session_database")
    database.empty()
    return database.url


@pytest.fixture(params=DATABASES)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all (a fresh PostgreSQL database, dropped afterwards)."""
    if request.param == "sqlite":
        yield _sqlite_url(tmp_path / "empty.db")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database()
    try:
        yield url
    finally:
        server.drop_database(url)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


ServicesFactory = Callable[..., Services]


@pytest.fixture
def make_services(
    database_url: str, tmp_path: Path, clock: FixedClock
) -> Iterator[ServicesFactory]:
    """Builds services on this test's database; keyword arguments go to ``bootstrap``
    (e.g. a scripted triager). Everything built is closed at teardown."""
    built: list[Services] = []

    def make(**overrides: Any) -> Services:
        settings = Settings(data_dir=tmp_path, database_url=database_url)
        services = bootstrap(settings, clock=clock, **overrides)
        built.append(services)
        return services

    yield make
    for services in built:
        services.close()


@pytest.fixture
def services(make_services: ServicesFactory) -> Services:
    return make_services()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI nothing may be skipped: a skip there hides a missing service or feature."""
    if os.environ.get("CI") != "true":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        if reporter:
            reporter.write_line(f"CI=true: {len(skipped)} test(s) were skipped; failing the run")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
