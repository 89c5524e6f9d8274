"""Dialect-aware INSERT ... ON CONFLICT DO NOTHING, the basis of idempotent writes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_ignoring_conflict(
    conn: Connection, table: Table, values: dict[str, Any], *, returning: str = "id"
) -> Any | None:
    """Insert ``values`` unless a unique constraint already holds the row; return the new
    row's ``returning`` column, or None when the row was already there."""
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    stmt = dialect.insert(table).on_conflict_do_nothing().returning(table.c[returning])
    return conn.execute(stmt, values).scalar_one_or_none()  # values apart: one cached statement


def insert_returning_id(conn: Connection, table: Table, values: dict[str, Any]) -> int:
    """Insert one row and return its generated ``id`` (RETURNING works on both databases)."""
    return int(conn.execute(table.insert().returning(table.c.id), values).scalar_one())
