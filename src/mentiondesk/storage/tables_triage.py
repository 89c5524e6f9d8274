"""Agents' corrections of triage labels: kept forever, exported as training data."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from mentiondesk.storage.tables import metadata
from mentiondesk.storage.types import UtcDateTime

label_corrections = Table(
    "label_corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ForeignKey("users.id"), nullable=False),
    Column("label", String(32), nullable=False),
    Column("old_value", String(32)),
    Column("new_value", String(32), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Index("ix_label_corrections_workspace", "workspace_id", "at"),
)
