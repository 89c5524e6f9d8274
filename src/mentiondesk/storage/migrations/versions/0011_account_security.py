"""account security: session details, sign-in throttling, sealed source secrets, two-person
erasure

Revision ID: 0011
Revises: 0010

Existing webhook secrets are sealed with the key the app was started with (``upgrade`` hands
the ``SecretBox`` in); when the migration runs without one, they stay readable and the app
seals them on its next start.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mentiondesk.storage.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _seal_plain_secrets() -> None:
    config = op.get_context().config
    box = config.attributes.get("secret_box") if config is not None else None
    if box is None:
        return
    sources = sa.table(
        "inbound_sources", sa.column("id", sa.Integer), sa.column("secret", sa.String)
    )
    conn = op.get_bind()
    for row in conn.execute(sa.select(sources.c.id, sources.c.secret)).all():
        if not box.is_sealed(row.secret):
            conn.execute(
                sa.update(sources).where(sources.c.id == row.id).values(secret=box.seal(row.secret))
            )


def upgrade() -> None:
    utc = mentiondesk.storage.types.UtcDateTime(timezone=True)
    with op.batch_alter_table("web_sessions") as batch:
        batch.add_column(sa.Column("user_agent", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("ip_address", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("last_seen_at", utc, nullable=True))
        batch.create_index("ix_web_sessions_user", ["user_id"])
    op.create_table(
        "login_throttles",
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", utc, nullable=True),
        sa.Column("locked_until", utc, nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttles")),
    )
    with op.batch_alter_table("inbound_sources") as batch:
        batch.alter_column(
            "secret",
            existing_type=sa.String(length=128),
            type_=sa.String(length=512),
            existing_nullable=False,
        )
    _seal_plain_secrets()
    with op.batch_alter_table("erasure_requests") as batch:
        batch.alter_column("approved_by", existing_type=sa.Integer(), nullable=True)
        batch.alter_column("completed_at", existing_type=utc, nullable=True)
        batch.add_column(
            sa.Column("status", sa.String(length=16), nullable=False, server_default="completed")
        )
        batch.add_column(sa.Column("requester_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("author_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("approval", sa.String(length=32), nullable=True))
        batch.create_foreign_key(
            op.f("fk_erasure_requests_requester_id_users"), "users", ["requester_id"], ["id"]
        )
        batch.create_foreign_key(
            op.f("fk_erasure_requests_author_id_authors"), "authors", ["author_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("erasure_requests") as batch:
        batch.drop_constraint(op.f("fk_erasure_requests_author_id_authors"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_erasure_requests_requester_id_users"), type_="foreignkey")
        batch.drop_column("approval")
        batch.drop_column("author_id")
        batch.drop_column("requester_id")
        batch.drop_column("status")
    op.drop_table("login_throttles")
    with op.batch_alter_table("web_sessions") as batch:
        batch.drop_index("ix_web_sessions_user")
        batch.drop_column("last_seen_at")
        batch.drop_column("ip_address")
        batch.drop_column("user_agent")
