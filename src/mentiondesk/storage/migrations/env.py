"""Alembic environment: runs against the connection or URL that ``migrate.upgrade`` hands in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from mentiondesk.storage import tables_assignment  # noqa: F401  (registers its tables)
from mentiondesk.storage.engine import make_engine
from mentiondesk.storage.tables import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


run_migrations_online()
