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

from mentiondesk.storage import tables as t
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


# -- inbox indexes (docs/benchmarks-inbox.md) -------------------------------------------------
# Agents page through *active* cases, about a third of a mature desk. Partial indexes over the
# active statuses hand rows out already in the inbox's order, so a page reads ~50 index entries
# instead of sorting every active case. They also carry the filter columns, so filters are
# checked (and capped counts taken) without visiting the table. The predicate must be written
# exactly as the inbox query renders it (same literals, same order) for SQLite to use them.
ACTIVE_STATUSES = ("new", "open", "waiting")
_c = t.cases.c
_active = _c.status.in_(ACTIVE_STATUSES)
_filters = (_c.language, _c.assignee_id, _c.needs_reply, _c.platform, _c.tagged)

Index(
    "ix_cases_active_urgent",
    _c.workspace_id,
    _c.priority.desc(),
    _c.last_activity_at.desc(),
    _c.id.desc(),
    *_filters,
    sqlite_where=_active,
    postgresql_where=_active,
)
Index(
    "ix_cases_active_recent",
    _c.workspace_id,
    _c.last_activity_at,
    _c.id,
    *_filters,
    sqlite_where=_active,
    postgresql_where=_active,
)
# "Assigned to me" without the unassigned half: ``assignee_id IS NULL`` is better served by
# walking the ordered indexes above and filtering.
Index(
    "ix_cases_active_assignee",
    _c.workspace_id,
    _c.assignee_id,
    _c.priority.desc(),
    _c.last_activity_at.desc(),
    _c.id.desc(),
    sqlite_where=_active & _c.assignee_id.is_not(None),
    postgresql_where=_active & _c.assignee_id.is_not(None),
)
