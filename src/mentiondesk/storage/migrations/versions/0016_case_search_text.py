"""cases: a folded search text (the opening post, the author's handle and name)

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_BATCH = 2000


def _fold(text: str) -> str:
    """Lower-case without diacritics, as the listening matcher folds post text."""
    lowered = text.lower().replace("ł", "l")
    decomposed = unicodedata.normalize("NFKD", lowered)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=True))
    conn = op.get_bind()
    cases = sa.table(
        "cases",
        sa.column("id", sa.Integer),
        sa.column("author_id", sa.Integer),
        sa.column("summary", sa.String),
        sa.column("search_text", sa.Text),
    )
    authors = sa.table(
        "authors", sa.column("id", sa.Integer), sa.column("handle"), sa.column("name")
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(cases.c.id, cases.c.summary, authors.c.handle, authors.c.name)
            .join(authors, authors.c.id == cases.c.author_id)
            .where(cases.c.id > last)
            .order_by(cases.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        conn.execute(
            sa.update(cases)
            .where(cases.c.id == sa.bindparam("case_id"))
            .values(search_text=sa.bindparam("text")),
            [
                {"case_id": r.id, "text": _fold(f"{r.summary} {r.handle} {r.name or ''}")}
                for r in rows
            ],
        )
        last = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("search_text")
