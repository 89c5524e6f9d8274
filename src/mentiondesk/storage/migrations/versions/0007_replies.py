"""replies: delivery attempts and the outbox's next attempt

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
    with op.batch_alter_table("replies") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("next_attempt_at", UtcDateTime(), nullable=True))
        batch.create_index("ix_replies_outbox", ["status", "next_attempt_at"])


def downgrade() -> None:
    with op.batch_alter_table("replies") as batch:
        batch.drop_index("ix_replies_outbox")
        batch.drop_column("next_attempt_at")
        batch.drop_column("attempts")
