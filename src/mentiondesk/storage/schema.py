"""The whole schema: every table module imported once, so ``metadata`` knows them all.

Alembic's environment and anything that compares the database with the schema import
``metadata`` and ``include_object`` from here, never from a single table module."""

from __future__ import annotations

from typing import Any

from mentiondesk.storage import (
    tables_accounts,
    tables_alerts,
    tables_approvals,
    tables_assignment,
    tables_channels,
    tables_effects,
    tables_hours,
    tables_inbound,
    tables_inbox_views,
    tables_integrations,
    tables_listening,
    tables_moderation,
    tables_replies,
    tables_reports,
    tables_schedules,
    tables_sla,
    tables_triage,
)
from mentiondesk.storage.tables import metadata

__all__ = [
    "include_object",
    "metadata",
    "tables_accounts",
    "tables_alerts",
    "tables_approvals",
    "tables_assignment",
    "tables_channels",
    "tables_effects",
    "tables_hours",
    "tables_inbound",
    "tables_inbox_views",
    "tables_integrations",
    "tables_listening",
    "tables_moderation",
    "tables_replies",
    "tables_reports",
    "tables_schedules",
    "tables_sla",
    "tables_triage",
]

# Full-text search objects are dialect-specific (FTS5 tables on SQLite, a generated tsvector
# column and GIN indexes on PostgreSQL); migrations create them by hand, so schema comparison
# must not report them as strays.
FULL_TEXT_TABLE_PREFIXES = ("posts_fts", "cases_fts")
FULL_TEXT_OBJECTS = {
    ("column", "search"),
    ("index", "ix_posts_search"),
    ("index", "ix_cases_search_trgm"),
}


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    if type_ == "table" and name and name.startswith(FULL_TEXT_TABLE_PREFIXES):
        return False
    return (type_, name) not in FULL_TEXT_OBJECTS
