"""Tables of what a change causes after it commits: the outbox of platform actions and the
pending effects of the desk's own follow-ups.

Both are written in the same transaction as the change that causes them, so neither can be lost
when the process dies right after the commit; workers claim them afterwards."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from mentiondesk.storage.tables import metadata
from mentiondesk.storage.types import UtcDateTime

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    # reply.public, reply.private, message.direct, post.hide, post.unhide, post.like, post.publish
    Column("action", String(24), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("dedupe_key", String(200), nullable=False),
    Column("idempotency_key", String(200), nullable=False),  # what the channel is given
    Column("reply_id", ForeignKey("replies.id")),
    Column("post_id", ForeignKey("posts.id")),
    Column("hours_post_id", ForeignKey("hours_posts.id")),
    Column("payload", JSON, nullable=False),
    Column("status", String(16), nullable=False),  # queued, sent, simulated, failed, unsupported
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("next_attempt_at", UtcDateTime()),
    Column("failure_reason", Text),
    Column("platform_ref", String(200)),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("done_at", UtcDateTime()),
    UniqueConstraint("workspace_id", "dedupe_key", name="uq_outbox_dedupe"),
    Index("ix_outbox_due", "status", "next_attempt_at"),
    Index("ix_outbox_reply", "reply_id"),
    Index("ix_outbox_post", "post_id"),
)

pending_effects = Table(
    "pending_effects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE")),
    Column("handler", String(100), nullable=False),
    Column("event", String(100), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("dedupe_key", String(64), nullable=False),  # sha256 of handler + event
    Column("status", String(16), nullable=False),  # pending, done, failed
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("next_attempt_at", UtcDateTime(), nullable=False),
    Column("last_error", Text),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("done_at", UtcDateTime()),
    UniqueConstraint("dedupe_key", name="uq_pending_effects_dedupe"),
    Index("ix_pending_effects_due", "status", "next_attempt_at"),
)
