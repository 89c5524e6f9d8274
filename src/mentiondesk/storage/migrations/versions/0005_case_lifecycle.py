"""case lifecycle: status history, SLA breaches, snooze and merge columns

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mentiondesk.storage.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("at", mentiondesk.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_status_changes_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_case_status_changes_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_status_changes")),
    )
    op.create_index("ix_case_status_changes_case", "case_status_changes", ["case_id", "at"])
    op.create_table(
        "sla_breaches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("target_seconds", sa.Float(), nullable=False),
        sa.Column(
            "breached_at", mentiondesk.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "recorded_at", mentiondesk.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_sla_breaches_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_sla_breaches_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_breaches")),
        sa.UniqueConstraint("case_id", "metric", name="uq_sla_breaches_case_metric"),
    )
    op.create_index("ix_sla_breaches_workspace", "sla_breaches", ["workspace_id", "breached_at"])
    # Cases that existed before the history did: they were new when opened and have been in
    # their present status since their last activity, which is the best the rows can tell.
    op.execute(
        "INSERT INTO case_status_changes (workspace_id, case_id, status, at) "
        "SELECT workspace_id, id, 'new', opened_at FROM cases"
    )
    op.execute(
        "INSERT INTO case_status_changes (workspace_id, case_id, status, at) "
        "SELECT workspace_id, id, status, last_activity_at FROM cases WHERE status <> 'new'"
    )
    op.add_column(
        "cases",
        sa.Column(
            "snoozed_until", mentiondesk.storage.types.UtcDateTime(timezone=True), nullable=True
        ),
    )
    if op.get_bind().dialect.name == "sqlite":
        # Batch mode would rebuild "cases", and with foreign keys on, dropping the old table
        # deletes (or is refused by) every row that points at it. SQLite can add a column
        # together with its reference in place instead.
        op.execute(
            "ALTER TABLE cases ADD COLUMN merged_into_id INTEGER "
            "CONSTRAINT fk_cases_merged_into_id_cases REFERENCES cases (id)"
        )
    else:
        op.add_column("cases", sa.Column("merged_into_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_cases_merged_into_id_cases"), "cases", "cases", ["merged_into_id"], ["id"]
        )


def downgrade() -> None:
    op.drop_index("ix_sla_breaches_workspace", table_name="sla_breaches")
    op.drop_table("sla_breaches")
    op.drop_index("ix_case_status_changes_case", table_name="case_status_changes")
    op.drop_table("case_status_changes")
    with op.batch_alter_table("cases") as batch:
        if op.get_bind().dialect.name != "sqlite":  # SQLite's reference goes with its column
            batch.drop_constraint(op.f("fk_cases_merged_into_id_cases"), type_="foreignkey")
        batch.drop_column("merged_into_id")
        batch.drop_column("snoozed_until")
