"""Data-subject erasure (GDPR art. 17): the only way personal data leaves a workspace.

Owners and admins record who asked, on what legal ground and who approved; the author's
texts are replaced by a dated notice and their name and handle by a pseudonym, while every
row, timestamp and label stays so that counts and metrics do not move. Audited."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mentiondesk.desk.access import Actor
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.errors import InvalidInput, NotFound
from mentiondesk.domain.moderation import AuthorErased, erased_text
from mentiondesk.domain.posts import Platform
from mentiondesk.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class ErasureReceipt:
    request_id: int
    pseudonym: str
    posts_redacted: int
    completed_at: datetime


def _text(field: str, value: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(field, "is required")
    if len(value) > limit or any(ord(c) < 32 and c not in "\n\t" for c in value):
        raise InvalidInput(field, f"must be at most {limit} printable characters")
    return value


def do_erase_author(
    uow: UnitOfWork,
    actor: Actor,
    *,
    platform: str,
    handle: str,
    requested_by: str,
    legal_reason: str,
    now: datetime,
    received_at: datetime | None = None,
) -> ErasureReceipt:
    """Record the request and redact the author's personal data in this workspace."""
    actor.require_settings()
    try:
        platform_value = Platform(platform).value
    except ValueError:
        raise InvalidInput("platform", f"unknown platform {platform!r}") from None
    requested_by = _text("requested_by", requested_by, 320)
    legal_reason = _text("legal_reason", legal_reason, 2000)
    handle = _text("handle", handle, 200)
    ws = actor.workspace.id
    author = None
    for candidate in dict.fromkeys((handle, handle.lstrip("@"), "@" + handle.lstrip("@"))):
        author = uow.erasure.find_author(ws, platform_value, candidate)
        if author is not None:
            break
    if author is None:
        raise NotFound(f"no author {handle} on {platform_value} in {actor.workspace.name}")
    pseudonym = f"erased-{secrets.token_hex(6)}"
    redacted = uow.erasure.redact_author(
        ws, author.id, pseudonym=pseudonym, replacement=erased_text(now.date())
    )
    request_id = uow.erasure.add_request(
        workspace_id=ws,
        platform=platform_value,
        subject_handle=author.handle,
        pseudonym=pseudonym,
        requested_by=requested_by,
        legal_reason=legal_reason,
        approved_by=actor.user.id,
        received_at=received_at or now,
        completed_at=now,
        posts_redacted=redacted,
    )
    uow.audit.append(
        AuditEntry.by(
            actor,
            "erasure.request",
            f"author:{author.id}",
            at=now,
            reason=legal_reason,
            data={
                "request_id": request_id,
                "requested_by": requested_by,
                "platform": platform_value,
                "pseudonym": pseudonym,
                "posts_redacted": redacted,
            },
        )
    )
    uow.collect([AuthorErased(request_id, ws, redacted, now)])
    uow.commit()
    return ErasureReceipt(request_id, pseudonym, redacted, now)


def erasure_requests(uow: UnitOfWork, actor: Actor) -> list[Any]:
    actor.require_settings()
    return list(uow.erasure.requests(actor.workspace.id))
