"""Which opening and closing posts were published, so that none goes out twice."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from mentiondesk.storage.tables import metadata
from mentiondesk.storage.types import UtcDateTime

hours_posts = Table(
    "hours_posts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("due_at", UtcDateTime(), nullable=False),
    Column("text", Text, nullable=False),
    Column(
        "status", String(16), nullable=False
    ),  # queued, published, simulated (development channel), failed
    Column("platform_post_id", String(200)),
    Column("failure_reason", Text),
    UniqueConstraint("workspace_id", "channel", "due_at", name="uq_hours_posts_slot"),
)
