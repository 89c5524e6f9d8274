"""report schedules: daily and weekly summary e-mails to chosen members

Revision ID: 0022
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mentiondesk.storage.types import UtcDateTime

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_schedules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "workspace_id",
            sa.Integer,
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("cadence", sa.String(16), nullable=False),
        sa.Column("weekday", sa.Integer, nullable=False),
        sa.Column("hour", sa.Integer, nullable=False),
        sa.Column("recipients", sa.JSON, nullable=False),
        sa.Column("last_period", sa.Date),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_report_schedules_workspace", "report_schedules", ["workspace_id"])


def downgrade() -> None:
    op.drop_index("ix_report_schedules_workspace", table_name="report_schedules")
    op.drop_table("report_schedules")
