"""Migrations build the schema from nothing, can be run again safely, and match tables.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, select, text

from mentiondesk.storage import tables as t
from mentiondesk.storage.engine import make_engine
from mentiondesk.storage.migrate import alembic_config, upgrade
from mentiondesk.storage.schema import include_object, metadata
from tests.conftest import START


@pytest.fixture
def engine(empty_database_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_database_url)
    yield engine
    engine.dispose()


def head_revision(engine: Engine) -> str | None:
    url = engine.url.render_as_string(hide_password=False)
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_migrations_build_every_table_in_an_empty_database(engine: Engine) -> None:
    assert inspect(engine).get_table_names() == []

    upgrade(engine)

    tables = set(inspect(engine).get_table_names())
    full_text_index = {  # SQLite FTS5
        name for name in tables if name.startswith(("posts_fts", "cases_fts"))
    }
    assert tables - full_text_index == set(metadata.tables) | {"alembic_version"}
    assert current_revision(engine) == head_revision(engine)


def test_running_the_migrations_again_changes_nothing_and_keeps_the_data(engine: Engine) -> None:
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(
            t.users.insert().values(
                email="anna@acme.test",
                name="Anna",
                password_hash="x",
                signature="",
                is_active=True,
                created_at=START,
            )
        )

    upgrade(engine)
    upgrade(engine)

    with engine.connect() as conn:
        assert conn.execute(select(t.users.c.email)).scalars().all() == ["anna@acme.test"]
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert versions == [head_revision(engine)]


def test_the_migrated_schema_is_the_one_tables_py_describes(engine: Engine) -> None:
    upgrade(engine)

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_object}
        )
        differences = compare_metadata(context, metadata)

    assert differences == []
