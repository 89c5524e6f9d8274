"""alerts: crisis and SLA alerts with their notes

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mentiondesk.storage.types import UtcDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "workspace_id",
            sa.Integer,
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("raised_at", UtcDateTime(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("posts", sa.JSON, nullable=False),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="SET NULL")),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("notified", sa.JSON, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("acknowledged_at", UtcDateTime()),
        sa.Column("acknowledged_by", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("resolved_at", UtcDateTime()),
        sa.Column("dedupe_key", sa.String(200), nullable=False, unique=True),
    )
    op.create_index("ix_alerts_workspace_state", "alerts", ["workspace_id", "state", "raised_at"])
    op.create_table(
        "alert_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "alert_id", sa.Integer, sa.ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_alert_notes_alert", "alert_notes", ["alert_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_alert_notes_alert", table_name="alert_notes")
    op.drop_table("alert_notes")
    op.drop_index("ix_alerts_workspace_state", table_name="alerts")
    op.drop_table("alerts")
