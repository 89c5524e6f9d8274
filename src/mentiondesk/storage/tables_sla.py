"""Tables of the SLA clocks and the case lifecycle: status history and recorded breaches.

Kept apart from ``tables.py`` so the schema of one capability reads in one place; the tables
share its ``metadata`` so migrations and the test fixtures see a single schema.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from mentiondesk.storage.tables import metadata
from mentiondesk.storage.types import UtcDateTime

case_status_changes = Table(
    "case_status_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Index("ix_case_status_changes_case", "case_id", "at"),
)

sla_breaches = Table(
    "sla_breaches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("metric", String(32), nullable=False),
    Column("target_seconds", Float, nullable=False),
    Column("breached_at", UtcDateTime(), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    # A breach is recorded once, however many sweeps see it (and however many run at once).
    UniqueConstraint("case_id", "metric", name="uq_sla_breaches_case_metric"),
    Index("ix_sla_breaches_workspace", "workspace_id", "breached_at"),
)
