"""The inbound journal: webhook bodies received and authenticated but not yet processed.

A body is written here and answered at once (when the journal mode is on); the pipeline
drains the journal in batches, so a burst costs the sender one insert each and the pipeline
works at batch speed behind it."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, LargeBinary, String, Table, Text

from mentiondesk.storage.tables import metadata
from mentiondesk.storage.types import UtcDateTime

inbound_journal = Table(
    "inbound_journal",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("source", String(200), nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("status", String(16), nullable=False),  # queued, done, rejected
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("last_error", Text),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("done_at", UtcDateTime()),
    Index("ix_inbound_journal_status", "status", "id"),
)
