"""The append-only record of who did what, when and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class AuditEntry:
    workspace_id: int
    at: datetime
    action: str  # e.g. "case.assign", "case.reply", "case.resolve", "post.hide"
    actor_user_id: int | None  # None when a rule or the system acted
    subject: str  # e.g. "case:12", "post:99"
    reason: str = ""
    actor_rule: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
