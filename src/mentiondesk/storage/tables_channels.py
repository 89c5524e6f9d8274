"""Channel accounts: the Pages and Instagram accounts a workspace answers on, tokens sealed."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from mentiondesk.storage.tables import metadata
from mentiondesk.storage.types import UtcDateTime

channel_accounts = Table(
    "channel_accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("platform", String(16), nullable=False),
    Column("external_id", String(100), nullable=False),
    Column("name", String(200), nullable=False),
    Column("token", Text, nullable=False),  # sealed by SecretBox ("fernet:…")
    Column("messaging_id", String(100)),
    Column("state", String(16), nullable=False),
    Column("state_reason", Text, nullable=False, server_default=""),
    Column("subscription", String(16), nullable=False),
    Column("token_expires_at", UtcDateTime()),
    Column("last_event_at", UtcDateTime()),
    Column("reconciled_at", UtcDateTime()),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    # one account is one workspace's: webhooks are routed by its external id
    UniqueConstraint("platform", "external_id", name="uq_channel_accounts_external"),
    Index("ix_channel_accounts_workspace", "workspace_id"),
)
