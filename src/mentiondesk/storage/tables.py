"""The relational schema. Alembic migrations are the source of truth for existing databases;
this module describes the current shape for queries and for new migrations."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from mentiondesk.storage.types import UtcDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


def _ts(name: str, nullable: bool = True) -> Column:
    return Column(name, UtcDateTime(), nullable=nullable)


workspaces = Table(
    "workspaces",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("time_zone", String(64), nullable=False),
    Column("languages", JSON, nullable=False),
    Column("hours", JSON, nullable=False),
    Column("holiday_country", String(8)),
    Column("brand", JSON, nullable=False),
    Column("order_pattern", String(200)),
    Column("settings", JSON, nullable=False),
    _ts("created_at", nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("signature", String(100), nullable=False, default=""),
    Column("is_active", Boolean, nullable=False, default=True),
    _ts("created_at", nullable=False),
)

memberships = Table(
    "memberships",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(16), nullable=False),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    _ts("created_at", nullable=False),
    _ts("expires_at", nullable=False),
    # shown on the account page so that a user recognises (and revokes) their sessions
    Column("user_agent", String(300)),
    Column("ip_address", String(64)),
    _ts("last_seen_at"),
    Index("ix_web_sessions_user", "user_id"),
)

inbound_sources = Table(
    "inbound_sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(64), nullable=False, unique=True),
    Column("secret", String(512), nullable=False),  # sealed by SecretBox ("fernet:…")
    _ts("created_at", nullable=False),
)

authors = Table(
    "authors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("platform", String(16), nullable=False),
    Column("handle", String(200), nullable=False),
    Column("name", String(200), nullable=False, default=""),
    Column("followers", Integer),
    _ts("first_seen_at", nullable=False),
    UniqueConstraint("workspace_id", "platform", "handle", name="uq_authors_identity"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("author_id", ForeignKey("authors.id"), nullable=False),
    Column("platform", String(16), nullable=False),
    Column("thread_key", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("assignee_id", ForeignKey("users.id")),
    Column("priority", Integer, nullable=False, default=0),
    Column("needs_reply", Boolean, nullable=False, default=True),
    Column("language", String(8)),
    Column("sentiment", String(16)),
    Column("intent", String(16)),
    Column("tagged", Boolean, nullable=False, default=False),
    Column("summary", String(280), nullable=False, default=""),
    Column("mention_kind", String(16)),  # the strongest mention of the opening post
    Column("search_text", Text),  # folded opening post, author handle and name: inbox search
    _ts("opened_at", nullable=False),
    _ts("last_activity_at", nullable=False),
    _ts("first_response_at"),
    _ts("resolved_at"),
    Column("version", Integer, nullable=False, default=1),
    # SLA and case lifecycle
    _ts("snoozed_until"),
    Column("merged_into_id", ForeignKey("cases.id")),
    # the earliest instant a running SLA clock reaches its target ("breaching in 1 h")
    _ts("sla_due_at"),
    Index("ix_cases_inbox", "workspace_id", "status", "last_activity_at"),
    Index("ix_cases_priority", "workspace_id", "status", "priority"),
    Index("ix_cases_thread", "workspace_id", "platform", "thread_key", "author_id"),
    Index("ix_cases_author", "author_id"),
    Index("ix_cases_sla_due", "workspace_id", "sla_due_at"),
)

posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("platform", String(16), nullable=False),
    Column("platform_post_id", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("author_id", ForeignKey("authors.id"), nullable=False),
    Column("text", Text, nullable=False),
    _ts("created_at", nullable=False),
    _ts("received_at", nullable=False),
    Column("conversation_id", String(200)),
    Column("in_reply_to", String(200)),
    Column("thread_key", String(200), nullable=False),
    Column("url", String(2000)),
    Column("language_hint", String(8)),
    Column("country", String(8)),
    Column("to_brand", Boolean, nullable=False, default=False),
    Column("tagged", Boolean, nullable=False, default=False),
    Column("mentions", JSON, nullable=False),
    Column("triage", JSON),
    Column("language", String(8)),
    Column("sentiment", String(16)),
    Column("intent", String(16)),
    Column("priority", Integer),
    Column("case_id", ForeignKey("cases.id")),
    Column("hidden", Boolean, nullable=False, default=False),
    Column("hidden_reason", String(200)),
    Column("meta", JSON, nullable=False),
    UniqueConstraint("workspace_id", "platform", "platform_post_id", name="uq_posts_identity"),
    Index("ix_posts_case", "case_id", "created_at"),
    Index("ix_posts_author", "author_id", "created_at"),
)

replies = Table(
    "replies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("case_id", ForeignKey("cases.id"), nullable=False),
    Column("user_id", ForeignKey("users.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("visibility", String(16), nullable=False),
    Column("in_reply_to_post_id", ForeignKey("posts.id")),
    Column("status", String(16), nullable=False),
    Column("platform_reply_id", String(200)),
    Column("failure_reason", Text),
    Column("idempotency_key", String(100), nullable=False),
    _ts("created_at", nullable=False),
    _ts("sent_at"),
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    _ts("next_attempt_at"),
    Index("ix_replies_case", "case_id", "created_at"),
    Index("ix_replies_outbox", "status", "next_attempt_at"),
    UniqueConstraint("workspace_id", "idempotency_key", name="uq_replies_idempotency"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    _ts("at", nullable=False),
    Column("action", String(64), nullable=False),
    Column("actor_user_id", ForeignKey("users.id")),
    Column("actor_rule", String(200)),
    Column("subject", String(100), nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("data", JSON, nullable=False),
    Index("ix_audit_workspace_at", "workspace_id", "at"),
)

rejected_inputs = Table(
    "rejected_inputs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE")),
    Column("source", String(200), nullable=False),
    _ts("received_at", nullable=False),
    Column("field", String(100), nullable=False),
    Column("reason", Text, nullable=False),
    Column("payload", Text, nullable=False),
    # "rejected" (the input was refused, with the field at fault) or "dead-letter" (it was
    # valid, but a later stage failed unexpectedly): either way, the input is not lost.
    Column("kind", String(16), nullable=False, server_default="rejected"),
    Column("raw_sha256", String(64)),
    Index("uq_rejected_inputs_raw", "workspace_id", "source", "raw_sha256", unique=True),
)
