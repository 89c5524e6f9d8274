"""replies: delivery attempts and the outbox's next attempt; saved replies

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mentiondesk.storage.types import UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("archived_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_replies")),
        sa.UniqueConstraint("workspace_id", "language", "title", name="uq_saved_replies_title"),
    )
    op.create_index("ix_saved_replies_workspace", "saved_replies", ["workspace_id", "language"])
    with op.batch_alter_table("replies") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("next_attempt_at", UtcDateTime(), nullable=True))
        batch.create_index("ix_replies_outbox", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_saved_replies_workspace", table_name="saved_replies")
    op.drop_table("saved_replies")
    with op.batch_alter_table("replies") as batch:
        batch.drop_index("ix_replies_outbox")
        batch.drop_column("next_attempt_at")
        batch.drop_column("attempts")
