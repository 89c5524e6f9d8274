"""one outbox for every platform action, and pending effects

Creates ``outbox`` and ``pending_effects``, and moves what was queued or done before into the
outbox: every reply's delivery state, and every opening/closing post. Replies and posts the
development connector took (its ids start with ``dev-``) were never delivered; they become
``simulated``. Moderation had no stored delivery state to move (its refusals stay in the audit
log).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mentiondesk.storage.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_ts = mentiondesk.storage.types.UtcDateTime


def upgrade() -> None:
    outbox = op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("reply_id", sa.Integer(), nullable=True),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("hours_post_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", _ts(timezone=True), nullable=True),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("platform_ref", sa.String(length=200), nullable=True),
        sa.Column("created_at", _ts(timezone=True), nullable=False),
        sa.Column("done_at", _ts(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["hours_post_id"], ["hours_posts.id"], name=op.f("fk_outbox_hours_post_id_hours_posts")
        ),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], name=op.f("fk_outbox_post_id_posts")),
        sa.ForeignKeyConstraint(
            ["reply_id"], ["replies.id"], name=op.f("fk_outbox_reply_id_replies")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_outbox_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("workspace_id", "dedupe_key", name="uq_outbox_dedupe"),
    )
    op.create_index("ix_outbox_due", "outbox", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_reply", "outbox", ["reply_id"])
    op.create_index("ix_outbox_post", "outbox", ["post_id"])
    op.create_table(
        "pending_effects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=True),
        sa.Column("handler", sa.String(length=100), nullable=False),
        sa.Column("event", sa.String(length=100), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", _ts(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", _ts(timezone=True), nullable=False),
        sa.Column("done_at", _ts(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_pending_effects_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_effects")),
        sa.UniqueConstraint("dedupe_key", name="uq_pending_effects_dedupe"),
    )
    op.create_index("ix_pending_effects_due", "pending_effects", ["status", "next_attempt_at"])
    _move_replies(outbox)
    _move_hours_posts(outbox)


def _move_replies(outbox: sa.Table) -> None:
    conn = op.get_bind()
    replies = sa.table(
        "replies",
        sa.column("id"),
        sa.column("workspace_id"),
        sa.column("case_id"),
        sa.column("text"),
        sa.column("visibility"),
        sa.column("in_reply_to_post_id"),
        sa.column("status"),
        sa.column("platform_reply_id"),
        sa.column("failure_reason"),
        sa.column("idempotency_key"),
        sa.column("created_at", _ts()),
        sa.column("sent_at", _ts()),
        sa.column("attempts"),
        sa.column("next_attempt_at", _ts()),
    )
    cases = sa.table("cases", sa.column("id"), sa.column("platform"), sa.column("author_id"))
    authors = sa.table("authors", sa.column("id"), sa.column("handle"))
    posts = sa.table("posts", sa.column("id"), sa.column("platform_post_id"))
    rows = conn.execute(
        sa.select(replies, cases.c.platform, authors.c.handle, posts.c.platform_post_id)
        .join(cases, cases.c.id == replies.c.case_id)
        .outerjoin(authors, authors.c.id == cases.c.author_id)
        .outerjoin(posts, posts.c.id == replies.c.in_reply_to_post_id)
        .order_by(replies.c.id)
    ).all()
    moved = []
    for r in rows:
        status = r.status
        if status == "sent" and (r.platform_reply_id or "").startswith("dev-"):
            status = "simulated"
            conn.execute(replies.update().where(replies.c.id == r.id).values(status="simulated"))
        moved.append(
            {
                "workspace_id": r.workspace_id,
                "action": "reply.public" if r.visibility == "public" else "reply.private",
                "channel": r.platform,
                "dedupe_key": f"reply:{r.id}",
                "idempotency_key": r.idempotency_key,
                "reply_id": r.id,
                "post_id": r.in_reply_to_post_id,
                "payload": {
                    "text": r.text,
                    "in_reply_to": r.platform_post_id,
                    "recipient_handle": r.handle or "",
                },
                "status": status,
                "attempts": r.attempts or 0,
                "next_attempt_at": r.next_attempt_at,
                "failure_reason": r.failure_reason,
                "platform_ref": r.platform_reply_id,
                "created_at": r.created_at,
                "done_at": r.sent_at,
            }
        )
    if moved:
        op.bulk_insert(outbox, moved)


def _move_hours_posts(outbox: sa.Table) -> None:
    conn = op.get_bind()
    hours = sa.table(
        "hours_posts",
        sa.column("id"),
        sa.column("workspace_id"),
        sa.column("channel"),
        sa.column("kind"),
        sa.column("due_at", _ts()),
        sa.column("text"),
        sa.column("status"),
        sa.column("platform_post_id"),
        sa.column("failure_reason"),
    )
    moved = []
    for h in conn.execute(sa.select(hours).order_by(hours.c.id)).all():
        if h.status == "publishing":  # claimed, outcome unknown: the outbox tries it again
            status, shown = "queued", "queued"
        elif h.status == "published" and (h.platform_post_id or "").startswith("dev-"):
            status, shown = "simulated", "simulated"
        elif h.status == "published":
            status, shown = "sent", "published"
        else:
            status, shown = "failed", "failed"
        if shown != h.status:
            conn.execute(hours.update().where(hours.c.id == h.id).values(status=shown))
        key = f"hours-{h.workspace_id}-{h.id}"
        moved.append(
            {
                "workspace_id": h.workspace_id,
                "action": "post.publish",
                "channel": h.channel,
                "dedupe_key": key,
                "idempotency_key": key,
                "hours_post_id": h.id,
                "payload": {"text": h.text, "kind": h.kind, "due_at": h.due_at.isoformat()},
                "status": status,
                "attempts": 0 if status == "queued" else 1,
                "next_attempt_at": None,
                "failure_reason": h.failure_reason,
                "platform_ref": h.platform_post_id,
                "created_at": h.due_at,
                "done_at": None if status == "queued" else h.due_at,
            }
        )
    if moved:
        op.bulk_insert(outbox, moved)


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE replies SET status = 'sent' WHERE status = 'simulated'"))
    conn.execute(sa.text("UPDATE hours_posts SET status = 'published' WHERE status = 'simulated'"))
    conn.execute(sa.text("UPDATE hours_posts SET status = 'publishing' WHERE status = 'queued'"))
    op.drop_index("ix_pending_effects_due", table_name="pending_effects")
    op.drop_table("pending_effects")
    op.drop_index("ix_outbox_post", table_name="outbox")
    op.drop_index("ix_outbox_reply", table_name="outbox")
    op.drop_index("ix_outbox_due", table_name="outbox")
    op.drop_table("outbox")
