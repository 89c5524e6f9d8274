"""Tables for assignment, shifts, collision detection and the customer view.

Kept apart from ``tables.py`` so that this capability's schema reads as one unit; the tables
share ``metadata`` so that Alembic and the test fixtures see one schema."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from mentiondesk.storage.tables import metadata
from mentiondesk.storage.types import UtcDateTime

agent_profiles = Table(
    "agent_profiles",
    metadata,
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("teams", JSON, nullable=False),
    Column("languages", JSON, nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("shifts", JSON, nullable=False),
    Column("available", Boolean, nullable=False),
    Column("last_assigned_at", UtcDateTime()),
)

assignment_settings = Table(
    "assignment_settings",
    metadata,
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True),
    Column("auto_assign", Boolean, nullable=False),
    Column("team_by_language", JSON, nullable=False),
)

case_presence = Table(
    "case_presence",
    metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("state", String(16), nullable=False),
    Column("heartbeat_at", UtcDateTime(), nullable=False),
)

case_notes = Table(
    "case_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ForeignKey("users.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_case_notes_case", "case_id", "created_at"),
)

author_links = Table(
    "author_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("author_id", ForeignKey("authors.id", ondelete="CASCADE"), nullable=False),
    Column("other_author_id", ForeignKey("authors.id", ondelete="CASCADE"), nullable=False),
    Column("created_by", ForeignKey("users.id"), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("author_id", "other_author_id", name="uq_author_links_pair"),
    Index("ix_author_links_other", "other_author_id"),
)

customer_profiles = Table(
    "customer_profiles",
    metadata,
    Column("author_id", ForeignKey("authors.id", ondelete="CASCADE"), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("tags", JSON, nullable=False),
    Column("fields", JSON, nullable=False),
)

customer_notes = Table(
    "customer_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("author_id", ForeignKey("authors.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ForeignKey("users.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_customer_notes_author", "author_id", "created_at"),
)
