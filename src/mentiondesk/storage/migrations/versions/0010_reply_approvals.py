"""approval requests for replies the guard blocked

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mentiondesk.storage.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reply_approval_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("request_key", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column(
            "created_at", mentiondesk.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column(
            "decided_at", mentiondesk.storage.types.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("reply_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_reply_approval_requests_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_reply_approval_requests_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["users.id"],
            name=op.f("fk_reply_approval_requests_requested_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["users.id"],
            name=op.f("fk_reply_approval_requests_decided_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["reply_id"],
            ["replies.id"],
            name=op.f("fk_reply_approval_requests_reply_id_replies"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reply_approval_requests")),
        sa.UniqueConstraint("workspace_id", "request_key", name="uq_reply_approval_requests_key"),
    )
    op.create_index(
        "ix_reply_approval_requests_status",
        "reply_approval_requests",
        ["workspace_id", "status"],
    )
    op.create_index("ix_reply_approval_requests_case", "reply_approval_requests", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_reply_approval_requests_case", table_name="reply_approval_requests")
    op.drop_index("ix_reply_approval_requests_status", table_name="reply_approval_requests")
    op.drop_table("reply_approval_requests")
