"""An agent's request that an owner or admin let a blocked reply go out, and its outcome.

Plain data, shared by the approval service (``replies.approvals``) and its storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

__all__ = ["ApprovalRequest", "ApprovalStatus"]


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"  # the reply was recorded and handed to delivery
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class ApprovalRequest:
    """``text`` is the draft as the agent typed it; ``findings`` what blocked it when asked
    (the shells' finding dicts); ``note`` the agent's word to the approver."""

    id: int
    workspace_id: int
    case_id: int
    requested_by: int
    text: str
    visibility: str
    findings: tuple[dict[str, Any], ...]
    note: str
    status: ApprovalStatus
    created_at: datetime
    request_key: str
    decided_by: int | None = None
    decided_at: datetime | None = None
    decision_reason: str = ""
    reply_id: int | None = None

    @property
    def blocking_checks(self) -> list[str]:
        return sorted({str(f["check"]) for f in self.findings if f.get("severity") == "block"})
