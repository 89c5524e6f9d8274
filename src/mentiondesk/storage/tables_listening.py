"""Tables of the listening capability: a workspace's brand profile and its saved queries.

The full-text index over ``posts.text`` that backfill uses is not described here: it is an
FTS5 virtual table on SQLite and a generated ``tsvector`` column on PostgreSQL, created per
dialect by migration 0002 and queried with plain SQL in ``repositories/listening.py``."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from mentiondesk.storage.tables import metadata
from mentiondesk.storage.types import UtcDateTime

brand_profiles = Table(
    "brand_profiles",
    metadata,
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True),
    Column("data", JSON, nullable=False),
    Column("updated_by", ForeignKey("users.id")),
    Column("updated_at", UtcDateTime(), nullable=False),
)

saved_queries = Table(
    "saved_queries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("text", Text, nullable=False),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    UniqueConstraint("workspace_id", "name", name="uq_saved_queries_name"),
)
