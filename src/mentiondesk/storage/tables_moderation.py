"""Tables of moderation without deletion: community rules, auto-moderation rules, tags,
acknowledgements and data-subject erasure requests. The posts table's ``hidden`` and
``hidden_reason`` columns hold whether a post is hidden."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
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

community_rules = Table(
    "community_rules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    UniqueConstraint("workspace_id", "title", name="uq_community_rules_title"),
)

moderation_rules = Table(
    "moderation_rules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("conditions", JSON, nullable=False),
    Column("actions", JSON, nullable=False),
    Column("created_by", ForeignKey("users.id")),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    UniqueConstraint("workspace_id", "name", name="uq_moderation_rules_name"),
)

post_tags = Table(
    "post_tags",
    metadata,
    Column("post_id", ForeignKey("posts.id"), primary_key=True),
    Column("tag", String(64), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_post_tags_workspace_tag", "workspace_id", "tag"),
)

post_acknowledgements = Table(
    "post_acknowledgements",
    metadata,
    Column("post_id", ForeignKey("posts.id"), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("by_user_id", ForeignKey("users.id")),
    Column("by_rule", String(200)),
    Column("at", UtcDateTime(), nullable=False),
)

erasure_requests = Table(
    "erasure_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
    Column("platform", String(16), nullable=False),
    Column("subject_handle", String(200), nullable=False),
    Column("pseudonym", String(64), nullable=False),  # empty until the erasure is done
    Column("requested_by", String(320), nullable=False),
    Column("legal_reason", Text, nullable=False),
    Column("approved_by", ForeignKey("users.id")),  # None while pending
    Column("received_at", UtcDateTime(), nullable=False),
    Column("completed_at", UtcDateTime()),
    Column("posts_redacted", Integer, nullable=False),
    # pending -> completed | rejected; who asked inside the desk, and how it was approved
    Column("status", String(16), nullable=False, server_default="completed"),
    Column("requester_id", ForeignKey("users.id")),
    Column("author_id", ForeignKey("authors.id")),
    Column("approval", String(32)),  # "second approver" or "typed confirmation"
)
