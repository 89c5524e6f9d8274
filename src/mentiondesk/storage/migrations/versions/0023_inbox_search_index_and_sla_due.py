"""cases: an index over the search text, and the instant the next SLA clock falls due

Search matches substrings of the folded text (stems of inflected words, quoted phrases), so the
index is one of trigrams: an external-content FTS5 table with the ``trigram`` tokenizer on
SQLite (kept in step by triggers), ``pg_trgm`` GIN on PostgreSQL (used by ``LIKE '%…%'``).
Tags already on a case's posts join its search text (new ones are added as they are put on).
``sla_due_at`` is filled by the SLA sweep and whenever a case's clocks change.

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from mentiondesk.storage.types import UtcDateTime

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

_SQLITE_UP = (
    "CREATE VIRTUAL TABLE cases_fts USING fts5(search_text, content='cases', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN "
    "INSERT INTO cases_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN "
    "INSERT INTO cases_fts(cases_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER cases_fts_update AFTER UPDATE OF search_text ON cases BEGIN "
    "INSERT INTO cases_fts(cases_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO cases_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO cases_fts(cases_fts) VALUES ('rebuild')",
)
_SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS cases_fts_update",
    "DROP TRIGGER IF EXISTS cases_fts_delete",
    "DROP TRIGGER IF EXISTS cases_fts_insert",
    "DROP TABLE IF EXISTS cases_fts",
)
_POSTGRES_UP = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_cases_search_trgm ON cases USING gin (search_text gin_trgm_ops)",
)
_POSTGRES_DOWN = ("DROP INDEX IF EXISTS ix_cases_search_trgm",)


def _fold(text: str) -> str:
    """Lower-case without diacritics, as the listening matcher folds post text."""
    lowered = text.lower().replace("ł", "l")
    decomposed = unicodedata.normalize("NFKD", lowered)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _tags_into_search_text() -> None:
    conn = op.get_bind()
    tagged = conn.execute(
        sa.text(
            "SELECT DISTINCT posts.case_id, post_tags.tag FROM post_tags "
            "JOIN posts ON posts.id = post_tags.post_id WHERE posts.case_id IS NOT NULL"
        )
    ).all()
    tags: dict[int, list[str]] = defaultdict(list)
    for case_id, tag in tagged:
        tags[case_id].append(_fold(tag))
    for case_id, folded in tags.items():
        text = conn.execute(
            sa.text("SELECT search_text FROM cases WHERE id = :id"), {"id": case_id}
        ).scalar_one_or_none()
        words = (text or "").split()
        extra = [t for t in sorted(set(folded)) if t and t not in words]
        if extra:
            conn.execute(
                sa.text("UPDATE cases SET search_text = :text WHERE id = :id"),
                {"id": case_id, "text": " ".join([text or "", *extra]).strip()},
            )


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sla_due_at", UtcDateTime(), nullable=True))
        batch_op.create_index("ix_cases_sla_due", ["workspace_id", "sla_due_at"])
    _tags_into_search_text()
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": _SQLITE_UP, "postgresql": _POSTGRES_UP}.get(dialect, ()):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": _SQLITE_DOWN, "postgresql": _POSTGRES_DOWN}.get(dialect, ()):
        op.execute(statement)
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_sla_due")
        batch_op.drop_column("sla_due_at")
