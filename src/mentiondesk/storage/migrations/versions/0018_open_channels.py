"""open channels: configuration, health and per-stream cursors of the open-network channels

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mentiondesk.storage.types import UtcDateTime

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_COLUMNS: tuple[sa.Column[object], ...] = (
    sa.Column("config", sa.JSON, nullable=False, server_default="{}"),
    sa.Column("lag_seconds", sa.Float),
    sa.Column("last_error", sa.Text, nullable=False, server_default=""),
    sa.Column("last_error_at", UtcDateTime()),
    sa.Column("retry_at", UtcDateTime()),
    sa.Column("spent_usd", sa.String(24), nullable=False, server_default="0"),
    sa.Column("spent_month", sa.String(7)),
)


def upgrade() -> None:
    for column in _COLUMNS:
        op.add_column("channel_accounts", column)
    op.create_table(
        "channel_cursors",
        sa.Column(
            "channel_id",
            sa.Integer,
            sa.ForeignKey("channel_accounts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("stream", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("channel_cursors")
    with op.batch_alter_table("channel_accounts") as batch:
        for column in reversed(_COLUMNS):
            batch.drop_column(column.name)
