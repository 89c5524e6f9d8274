"""Approval requests for replies the guard blocked (``replies.approvals``)."""

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

reply_approval_requests = Table(
    "reply_approval_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("requested_by", ForeignKey("users.id"), nullable=False),
    Column("request_key", String(100), nullable=False),
    Column("text", Text, nullable=False),
    Column("visibility", String(16), nullable=False),
    Column("findings", JSON, nullable=False),
    Column("note", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("decided_by", ForeignKey("users.id")),
    Column("decided_at", UtcDateTime()),
    Column("decision_reason", Text),
    Column("reply_id", ForeignKey("replies.id", ondelete="SET NULL")),
    UniqueConstraint("workspace_id", "request_key", name="uq_reply_approval_requests_key"),
    Index("ix_reply_approval_requests_status", "workspace_id", "status"),
    Index("ix_reply_approval_requests_case", "case_id"),
)
