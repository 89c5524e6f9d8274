"""Inbox views people save for themselves or their workspace (migration 0019)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, Integer, String, Table

from mentiondesk.storage.tables import metadata
from mentiondesk.storage.types import UtcDateTime

inbox_views = Table(
    "inbox_views",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(60), nullable=False),
    Column("params", JSON, nullable=False),
    Column("shared", Boolean, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ux_inbox_views_owner_name", "workspace_id", "user_id", "name", unique=True),
)
