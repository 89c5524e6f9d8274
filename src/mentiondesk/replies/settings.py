"""Changing a workspace's reply policy and an agent's signature: validated, audited, atomic."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mentiondesk.desk.access import Actor
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.replies.policy import ReplyPolicy
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["MAX_SIGNATURE_CHARS", "do_set_reply_policy", "do_set_signature"]

MAX_SIGNATURE_CHARS = 40


def do_set_reply_policy(
    uow: UnitOfWork, actor: Actor, data: Mapping[str, Any], *, now: datetime
) -> ReplyPolicy:
    """Replace the policy (owners and admins); fields left out keep their defaults."""
    actor.require_settings()
    policy = ReplyPolicy.from_dict(data)
    uow.reply_settings.put(actor.workspace.id, policy.to_dict())
    uow.audit.append(
        AuditEntry.by(
            actor,
            "replies.policy",
            f"workspace:{actor.workspace.id}",
            at=now,
            data=policy.to_dict(),
        )
    )
    uow.commit()
    return policy


def do_set_signature(uow: UnitOfWork, user_id: int, signature: str) -> str:
    """Set a user's own signature ("Ania", "AK"); the workspace policy decides its format."""
    cleaned = " ".join(signature.split())
    if len(cleaned) > MAX_SIGNATURE_CHARS:
        raise InvalidInput("signature", f"is longer than {MAX_SIGNATURE_CHARS} characters")
    if "{" in cleaned or "}" in cleaned:
        raise InvalidInput("signature", "may not contain braces")
    uow.users.set_signature(user_id, cleaned)
    uow.commit()
    return cleaned
