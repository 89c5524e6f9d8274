"""rejected inputs: a kind (rejected or dead-letter) and the raw bytes' hash, kept once

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rejected_inputs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), server_default="rejected", nullable=False)
        )
        batch_op.add_column(sa.Column("raw_sha256", sa.String(length=64), nullable=True))
        batch_op.create_index(
            "uq_rejected_inputs_raw", ["workspace_id", "source", "raw_sha256"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("rejected_inputs", schema=None) as batch_op:
        batch_op.drop_index("uq_rejected_inputs_raw")
        batch_op.drop_column("raw_sha256")
        batch_op.drop_column("kind")
