"""Channel accounts: the Pages, Instagram accounts, open-network accounts and feeds a workspace
hears and answers on (secrets sealed), the listener's health, and its cursors per stream."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Float,
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

channel_accounts = Table(
    "channel_accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("platform", String(16), nullable=False),
    Column("external_id", String(100), nullable=False),
    Column("name", String(200), nullable=False),
    Column("token", Text, nullable=False),  # sealed by SecretBox ("fernet:…"); open: JSON secrets
    Column("messaging_id", String(100)),
    Column("state", String(16), nullable=False),
    Column("state_reason", Text, nullable=False, server_default=""),
    Column("subscription", String(16), nullable=False),
    Column("token_expires_at", UtcDateTime()),
    Column("last_event_at", UtcDateTime()),
    Column("reconciled_at", UtcDateTime()),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    # open channels: non-secret configuration (base URLs, listening scope, X budget) and health
    Column("config", JSON, nullable=False, server_default="{}"),
    Column("lag_seconds", Float),
    Column("last_error", Text, nullable=False, server_default=""),
    Column("last_error_at", UtcDateTime()),
    Column("retry_at", UtcDateTime()),
    Column("spent_usd", String(24), nullable=False, server_default="0"),
    Column("spent_month", String(7)),
    # one account is one workspace's: webhooks are routed by its external id
    UniqueConstraint("platform", "external_id", name="uq_channel_accounts_external"),
    Index("ix_channel_accounts_workspace", "workspace_id"),
)

channel_cursors = Table(
    "channel_cursors",
    metadata,
    Column(
        "channel_id",
        ForeignKey("channel_accounts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    # notifications, jetstream (time_us), mentions (min_id / since_id), feed (ETag, …)
    Column("stream", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)
