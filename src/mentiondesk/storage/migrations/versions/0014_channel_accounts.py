"""channel accounts: Facebook Pages and Instagram accounts per workspace, tokens sealed

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mentiondesk.storage.types import UtcDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("messaging_id", sa.String(length=100), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("state_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("subscription", sa.String(length=16), nullable=False),
        sa.Column("token_expires_at", UtcDateTime(), nullable=True),
        sa.Column("last_event_at", UtcDateTime(), nullable=True),
        sa.Column("reconciled_at", UtcDateTime(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_channel_accounts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_accounts")),
        sa.UniqueConstraint("platform", "external_id", name="uq_channel_accounts_external"),
    )
    op.create_index("ix_channel_accounts_workspace", "channel_accounts", ["workspace_id"])


def downgrade() -> None:
    op.drop_index("ix_channel_accounts_workspace", table_name="channel_accounts")
    op.drop_table("channel_accounts")
