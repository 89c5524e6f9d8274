"""indexes for the reports: posts by time, cases by opening, replies by time

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_posts_report",
        "posts",
        ["workspace_id", "created_at", "sentiment", "platform", "language"],
    )
    op.create_index("ix_cases_opened", "cases", ["workspace_id", "opened_at"])
    op.create_index("ix_replies_report", "replies", ["workspace_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_replies_report", table_name="replies")
    op.drop_index("ix_cases_opened", table_name="cases")
    op.drop_index("ix_posts_report", table_name="posts")
