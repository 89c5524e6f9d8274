"""assignment, shifts, presence, customer view; inbox indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 03:20:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from mentiondesk.storage.types import UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _fk(column: str, target: str, *, cascade: bool = True, **kw: Any) -> sa.Column:
    ondelete = "CASCADE" if cascade else None
    return sa.Column(column, sa.Integer(), sa.ForeignKey(target, ondelete=ondelete), **kw)


def upgrade() -> None:
    op.create_table(
        "agent_profiles",
        _fk("workspace_id", "workspaces.id", primary_key=True),
        _fk("user_id", "users.id", primary_key=True),
        sa.Column("teams", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("shifts", sa.JSON(), nullable=False),
        sa.Column("available", sa.Boolean(), nullable=False),
        sa.Column("last_assigned_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("workspace_id", "user_id", name=op.f("pk_agent_profiles")),
    )
    op.create_table(
        "assignment_settings",
        _fk("workspace_id", "workspaces.id", primary_key=True),
        sa.Column("auto_assign", sa.Boolean(), nullable=False),
        sa.Column("team_by_language", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_assignment_settings")),
    )
    op.create_table(
        "case_presence",
        _fk("case_id", "cases.id", primary_key=True),
        _fk("user_id", "users.id", primary_key=True),
        _fk("workspace_id", "workspaces.id", nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("heartbeat_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "user_id", name=op.f("pk_case_presence")),
    )
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        _fk("workspace_id", "workspaces.id", nullable=False),
        _fk("case_id", "cases.id", nullable=False),
        _fk("user_id", "users.id", cascade=False, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notes")),
    )
    op.create_index("ix_case_notes_case", "case_notes", ["case_id", "created_at"])
    op.create_table(
        "author_links",
        sa.Column("id", sa.Integer(), nullable=False),
        _fk("workspace_id", "workspaces.id", nullable=False),
        _fk("author_id", "authors.id", nullable=False),
        _fk("other_author_id", "authors.id", nullable=False),
        _fk("created_by", "users.id", cascade=False, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_author_links")),
        sa.UniqueConstraint("author_id", "other_author_id", name="uq_author_links_pair"),
    )
    op.create_index("ix_author_links_other", "author_links", ["other_author_id"])
    op.create_table(
        "customer_profiles",
        _fk("author_id", "authors.id", primary_key=True),
        _fk("workspace_id", "workspaces.id", nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("author_id", name=op.f("pk_customer_profiles")),
    )
    op.create_table(
        "customer_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        _fk("workspace_id", "workspaces.id", nullable=False),
        _fk("author_id", "authors.id", nullable=False),
        _fk("user_id", "users.id", cascade=False, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_notes")),
    )
    op.create_index("ix_customer_notes_author", "customer_notes", ["author_id", "created_at"])
    _create_inbox_indexes()


ACTIVE = "status IN ('new', 'open', 'waiting')"
FILTERS = "language, assignee_id, needs_reply, platform, tagged"
INBOX_INDEXES = {
    "ix_cases_active_urgent": (
        f"workspace_id, priority DESC, last_activity_at DESC, id DESC, {FILTERS}",
        ACTIVE,
    ),
    "ix_cases_active_recent": (f"workspace_id, last_activity_at, id, {FILTERS}", ACTIVE),
    "ix_cases_active_assignee": (
        "workspace_id, assignee_id, priority DESC, last_activity_at DESC, id DESC",
        f"{ACTIVE} AND assignee_id IS NOT NULL",
    ),
}


def _create_inbox_indexes() -> None:
    """Partial indexes that serve the inbox's orders over active cases (see
    docs/benchmarks-inbox.md); raw SQL keeps the predicate text identical on both databases."""
    for name, (columns, where) in INBOX_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON cases ({columns}) WHERE {where}")


def downgrade() -> None:
    for name in INBOX_INDEXES:
        op.drop_index(name, table_name="cases")
    for index, table in [
        ("ix_customer_notes_author", "customer_notes"),
        ("ix_author_links_other", "author_links"),
        ("ix_case_notes_case", "case_notes"),
    ]:
        op.drop_index(index, table_name=table)
    for table in [
        "customer_notes",
        "customer_profiles",
        "author_links",
        "case_notes",
        "case_presence",
        "assignment_settings",
        "agent_profiles",
    ]:
        op.drop_table(table)
