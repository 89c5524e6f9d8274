"""Tables of the reply tools: saved replies per workspace and language.

Kept apart from ``tables.py`` like the other capabilities; delivery state lives on ``replies``.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
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

saved_replies = Table(
    "saved_replies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("language", String(8), nullable=False),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("archived_at", UtcDateTime()),  # archived, never deleted: the audit trail may cite it
    UniqueConstraint("workspace_id", "language", "title", name="uq_saved_replies_title"),
    Index("ix_saved_replies_workspace", "workspace_id", "language"),
)
