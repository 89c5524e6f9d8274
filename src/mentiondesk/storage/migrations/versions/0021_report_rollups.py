"""report rollups: per-case facts, case figures and posts and replies per local day

The tables start empty and unbuilt (reports keep reading the raw rows); for each existing
workspace a pending effect asks the ``rebuild_report_rollups`` handler to fill them, which the
effects sweep of a running server (or ``mentiondesk report rebuild``) does.

Revision ID: 0021
Revises: 0017
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from mentiondesk.storage.types import UtcDateTime

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

_BREACHES = ("first_response", "next_response", "resolution")
_DURATIONS = (
    "first_response_s",
    "first_response_business_s",
    "resolution_s",
    "resolution_business_s",
    "answered_first_response_s",
)


def _workspace_fk() -> sa.Column:
    return sa.Column(
        "workspace_id",
        sa.Integer,
        sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
        primary_key=True,
    )


def upgrade() -> None:
    op.create_table(
        "report_case_facts",
        sa.Column(
            "case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "workspace_id",
            sa.Integer,
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("opened_s", sa.Float, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("language", sa.String(8)),
        sa.Column("assignee_id", sa.Integer),
        sa.Column("mention_kind", sa.String(16)),
        sa.Column("tagged", sa.Boolean, nullable=False),
        sa.Column("answered", sa.Boolean, nullable=False),
        sa.Column("first_response_s", sa.Float),
        sa.Column("first_response_business_s", sa.Float),
        sa.Column("resolution_s", sa.Float),
        sa.Column("resolution_business_s", sa.Float),
        *(sa.Column(f"breached_{m}", sa.Boolean, nullable=False) for m in _BREACHES),
    )
    op.create_index(
        "ix_report_case_facts_opened", "report_case_facts", ["workspace_id", "opened_s"]
    )
    op.create_index("ix_report_case_facts_day", "report_case_facts", ["workspace_id", "day"])
    op.create_index(
        "ix_report_case_facts_backlog",
        "report_case_facts",
        ["workspace_id", "status", "opened_s"],
    )
    op.create_table(
        "report_case_days",
        _workspace_fk(),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("grp", sa.String(40), primary_key=True),
        sa.Column("cases", sa.Integer, nullable=False),
        sa.Column("resolved", sa.Integer, nullable=False),
        sa.Column("answered", sa.Integer, nullable=False),
        *(sa.Column(f"breached_{m}", sa.Integer, nullable=False) for m in _BREACHES),
        *(sa.Column(name, sa.LargeBinary, nullable=False) for name in _DURATIONS),
    )
    op.create_table(
        "report_post_days",
        _workspace_fk(),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("platform", sa.String(32), primary_key=True),
        sa.Column("language", sa.String(8), primary_key=True),
        sa.Column("sentiment", sa.String(16), primary_key=True),
        sa.Column("posts", sa.Integer, nullable=False),
    )
    op.create_table(
        "report_reply_days",
        _workspace_fk(),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("user_id", sa.Integer, primary_key=True),
        sa.Column("replies", sa.Integer, nullable=False),
    )
    op.create_table(
        "report_rollup_state",
        _workspace_fk(),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("calendar", sa.String(64), nullable=False),
        sa.Column("built_at", UtcDateTime()),
    )
    _ask_for_rebuilds()


def _ask_for_rebuilds() -> None:
    """One pending effect per workspace, as the dispatcher writes them down."""
    conn = op.get_bind()
    now = datetime.now(UTC)
    effects = sa.table(
        "pending_effects",
        sa.column("workspace_id", sa.Integer),
        sa.column("handler", sa.String),
        sa.column("event", sa.String),
        sa.column("payload", sa.JSON),
        sa.column("dedupe_key", sa.String),
        sa.column("status", sa.String),
        sa.column("attempts", sa.Integer),
        sa.column("next_attempt_at", UtcDateTime()),
        sa.column("created_at", UtcDateTime()),
    )
    rows = []
    for (workspace_id,) in conn.execute(sa.text("SELECT id FROM workspaces")):
        payload = {"workspace_id": workspace_id, "at": {"$datetime": now.isoformat()}}
        key = json.dumps(["rebuild_report_rollups", "DeskSettingsChanged", payload], sort_keys=True)
        rows.append(
            {
                "workspace_id": workspace_id,
                "handler": "rebuild_report_rollups",
                "event": "DeskSettingsChanged",
                "payload": payload,
                "dedupe_key": hashlib.sha256(key.encode()).hexdigest(),
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
        )
    if rows:
        conn.execute(sa.insert(effects), rows)


def downgrade() -> None:
    op.drop_table("report_rollup_state")
    op.drop_table("report_reply_days")
    op.drop_table("report_post_days")
    op.drop_table("report_case_days")
    op.drop_index("ix_report_case_facts_backlog", table_name="report_case_facts")
    op.drop_index("ix_report_case_facts_day", table_name="report_case_facts")
    op.drop_index("ix_report_case_facts_opened", table_name="report_case_facts")
    op.drop_table("report_case_facts")
