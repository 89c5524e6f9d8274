"""The append-only record of who did what, when and why.

Every entry names one kind of actor, and each kind has its constructor: a person acting through
a service (``AuditEntry.by``, or ``by_user`` where only the user id is at hand), a named rule
(``by_rule``: an auto-moderation rule, round-robin assignment) or the desk itself
(``by_system``: SLA breaches, acknowledgements, platform failures). The command line acts
without a user row; it is recorded under the rule ``"command line"``, so no entry points at a
user that does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

COMMAND_LINE_USER_ID = 0
"""The user id of the command line's stand-in user; never a row in ``users``."""
COMMAND_LINE = "command line"
SYSTEM = "system"


class Identified(Protocol):
    @property
    def id(self) -> int: ...


class Acting(Protocol):
    """What ``AuditEntry.by`` reads of the acting person: ``desk.access.Actor`` fits."""

    @property
    def user(self) -> Identified: ...

    @property
    def workspace(self) -> Identified: ...

    @property
    def audit_rule(self) -> str | None: ...


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

    @classmethod
    def by(
        cls,
        actor: Acting,
        action: str,
        subject: str,
        *,
        at: datetime,
        reason: str = "",
        data: Mapping[str, Any] | None = None,
    ) -> AuditEntry:
        """What ``actor`` did in their workspace (under its rule's name when it is no person)."""
        if actor.audit_rule:
            return cls.by_rule(
                actor.workspace.id,
                actor.audit_rule,
                action,
                subject,
                at=at,
                reason=reason,
                data=data,
            )
        return cls.by_user(
            actor.workspace.id, actor.user.id, action, subject, at=at, reason=reason, data=data
        )

    @classmethod
    def by_user(
        cls,
        workspace_id: int,
        user_id: int | None,
        action: str,
        subject: str,
        *,
        at: datetime,
        reason: str = "",
        data: Mapping[str, Any] | None = None,
    ) -> AuditEntry:
        """What a user did; ``None`` (or the stand-in id) is the command line."""
        if user_id is None or user_id == COMMAND_LINE_USER_ID:
            return cls.by_rule(
                workspace_id, COMMAND_LINE, action, subject, at=at, reason=reason, data=data
            )
        return cls(workspace_id, at, action, user_id, subject, reason, None, dict(data or {}))

    @classmethod
    def by_rule(
        cls,
        workspace_id: int,
        rule: str,
        action: str,
        subject: str,
        *,
        at: datetime,
        reason: str = "",
        data: Mapping[str, Any] | None = None,
    ) -> AuditEntry:
        """What the rule named ``rule`` did on its own."""
        return cls(workspace_id, at, action, None, subject, reason, rule, dict(data or {}))

    @classmethod
    def by_system(
        cls,
        workspace_id: int,
        action: str,
        subject: str,
        *,
        at: datetime,
        reason: str = "",
        data: Mapping[str, Any] | None = None,
    ) -> AuditEntry:
        """What the desk did by itself (a clock ran out, a platform refused)."""
        return cls.by_rule(workspace_id, SYSTEM, action, subject, at=at, reason=reason, data=data)
