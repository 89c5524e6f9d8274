"""Indexes the reports read through (migration 0013), and the rollups they read (0021).

A report of raw rows counts posts by hour and sentiment and reads the cases opened in the
period; the indexes let both be range scans of one workspace's rows. The rollups, kept by the
event handlers (``analytics/rollups.py``), hold the same figures per local day so a 90-day
report reads a few thousand rows instead of every case (docs/benchmarks-reports.md)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
)

from mentiondesk.storage import tables as t
from mentiondesk.storage.tables import metadata
from mentiondesk.storage.types import UtcDateTime

posts_report = Index(
    "ix_posts_report",
    t.posts.c.workspace_id,
    t.posts.c.created_at,
    t.posts.c.sentiment,
    t.posts.c.platform,
    t.posts.c.language,
)
cases_opened = Index("ix_cases_opened", t.cases.c.workspace_id, t.cases.c.opened_at)
replies_report = Index("ix_replies_report", t.replies.c.workspace_id, t.replies.c.created_at)


# -- rollups (migration 0021): what a report reads instead of every case ------------------------

report_case_facts = Table(
    "report_case_facts",
    metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("day", Date, nullable=False),  # local date of opening in the rollup's time zone
    Column("opened_s", Float, nullable=False),  # POSIX seconds
    Column("status", String(16), nullable=False),
    Column("platform", String(32), nullable=False),
    Column("language", String(8)),
    Column("assignee_id", Integer),
    Column("mention_kind", String(16)),
    Column("tagged", Boolean, nullable=False),
    Column("answered", Boolean, nullable=False),  # a reply to it was sent
    Column("first_response_s", Float),
    Column("first_response_business_s", Float),
    Column("resolution_s", Float),  # only while resolved
    Column("resolution_business_s", Float),
    Column("breached_first_response", Boolean, nullable=False),
    Column("breached_next_response", Boolean, nullable=False),
    Column("breached_resolution", Boolean, nullable=False),
    Index("ix_report_case_facts_opened", "workspace_id", "opened_s"),
    Index("ix_report_case_facts_day", "workspace_id", "day"),
    Index("ix_report_case_facts_backlog", "workspace_id", "status", "opened_s"),
)
"""One row per case with every figure a report takes from it; the filter columns mirror the
case's own."""

report_case_days = Table(
    "report_case_days",
    metadata,
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("grp", String(40), primary_key=True),  # "all", "tagged", "untagged", "kind:…", "agent:…"
    Column("cases", Integer, nullable=False),
    Column("resolved", Integer, nullable=False),
    Column("answered", Integer, nullable=False),
    Column("breached_first_response", Integer, nullable=False),
    Column("breached_next_response", Integer, nullable=False),
    Column("breached_resolution", Integer, nullable=False),
    # Durations of the group's cases, float64 little-endian (percentiles stay exact).
    Column("first_response_s", LargeBinary, nullable=False),
    Column("first_response_business_s", LargeBinary, nullable=False),
    Column("resolution_s", LargeBinary, nullable=False),
    Column("resolution_business_s", LargeBinary, nullable=False),
    Column("answered_first_response_s", LargeBinary, nullable=False),
)
"""The unfiltered report's case figures per local day of opening and group of cases."""

report_post_days = Table(
    "report_post_days",
    metadata,
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("platform", String(32), primary_key=True),
    Column("language", String(8), primary_key=True),  # "" when unknown
    Column("sentiment", String(16), primary_key=True),  # "" when unlabelled
    Column("posts", Integer, nullable=False),
)
"""Posts per local day of creation, channel, language and sentiment."""

report_reply_days = Table(
    "report_reply_days",
    metadata,
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("user_id", Integer, primary_key=True),
    Column("replies", Integer, nullable=False),
)
"""Sent replies per local day and author, on cases not merged away."""

report_rollup_state = Table(
    "report_rollup_state",
    metadata,
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True),
    Column("time_zone", String(64), nullable=False),  # the zone the days above are local to
    Column("calendar", String(64), nullable=False),  # digest of the hours and holidays used
    Column("built_at", UtcDateTime()),  # None: being (re)built, reports read the raw rows
)
"""Whether a workspace's rollups are whole, and for which zone and business calendar."""
