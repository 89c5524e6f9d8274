"""Tables of API tokens and outgoing event-webhook subscriptions (migration 0020)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from mentiondesk.storage.tables import metadata
from mentiondesk.storage.types import UtcDateTime

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(80), nullable=False),
    Column("prefix", String(16), nullable=False),
    # SHA-256 of the whole secret: the secret itself is shown once and never stored.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("scopes", JSON, nullable=False),
    # The token's own account (inactive, no password): what it writes is signed by it.
    Column("user_id", ForeignKey("users.id"), nullable=False),
    Column("created_by", ForeignKey("users.id", ondelete="SET NULL")),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime()),
    Column("last_used_at", UtcDateTime()),
    Column("revoked_at", UtcDateTime()),
    Index("ix_api_tokens_workspace", "workspace_id", "created_at"),
)

webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("url", String(500), nullable=False),
    Column("events", JSON, nullable=False),
    Column("secret", Text, nullable=False),  # sealed by the SecretBox
    Column("description", String(200), nullable=False, default=""),
    Column("paused", Boolean, nullable=False, default=False),
    Column("created_by", ForeignKey("users.id", ondelete="SET NULL")),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_webhook_subscriptions_workspace", "workspace_id"),
)
