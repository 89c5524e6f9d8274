"""Scheduled report e-mails (migration 0022): one row per subscription of a workspace.

``last_period`` is the first local day of the latest period queued for sending; the outbox
row itself (key ``report:{workspace}:{schedule}:{period}``) is what makes a period go out at
most once, this column only spares the sweep from building a summary it already queued."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, ForeignKey, Index, Integer, String, Table

from mentiondesk.storage.tables import metadata
from mentiondesk.storage.types import UtcDateTime

report_schedules = Table(
    "report_schedules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("cadence", String(16), nullable=False),
    Column("weekday", Integer, nullable=False, default=0),
    Column("hour", Integer, nullable=False),
    Column("recipients", JSON, nullable=False),
    Column("last_period", Date),
    Column("created_by", ForeignKey("users.id", ondelete="SET NULL")),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_report_schedules_workspace", "workspace_id"),
)
