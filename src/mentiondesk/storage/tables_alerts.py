"""Tables of crisis and SLA alerts and the notes people add to them (migration 0017)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Table, Text

from mentiondesk.storage.tables import metadata
from mentiondesk.storage.types import UtcDateTime

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("title", String(300), nullable=False),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("raised_at", UtcDateTime(), nullable=False),
    Column("state", String(16), nullable=False),
    Column("posts", JSON, nullable=False),
    Column("case_id", ForeignKey("cases.id", ondelete="SET NULL")),
    Column("level", Integer, nullable=False),
    Column("notified", JSON, nullable=False),
    Column("detail", JSON, nullable=False),
    Column("acknowledged_at", UtcDateTime()),
    Column("acknowledged_by", ForeignKey("users.id", ondelete="SET NULL")),
    Column("resolved_at", UtcDateTime()),
    # One alert per detector finding or breach, however often the handler runs.
    Column("dedupe_key", String(200), nullable=False, unique=True),
    Index("ix_alerts_workspace_state", "workspace_id", "state", "raised_at"),
)

alert_notes = Table(
    "alert_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("alert_id", ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ForeignKey("users.id", ondelete="SET NULL")),
    Column("author", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_alert_notes_alert", "alert_id", "created_at"),
)
