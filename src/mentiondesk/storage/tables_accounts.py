"""Account security: failed sign-ins per account and per client address."""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table

from mentiondesk.storage.tables import metadata
from mentiondesk.storage.types import UtcDateTime

login_throttles = Table(
    "login_throttles",
    metadata,
    Column("key", String(400), primary_key=True),  # "account:<e-mail>" or "address:<ip>"
    Column("failures", Integer, nullable=False),
    Column("last_failure_at", UtcDateTime()),
    Column("locked_until", UtcDateTime()),
)
