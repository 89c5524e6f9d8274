"""Private hand-off: a short public acknowledgement, and the matter continued in a private
message on the same platform, in the same case.

Used when the customer's post (or the answer) holds personal or order data: the guard's
``sensitive_public`` finding suggests it. The private message is guarded first (as private, so
the order number it needs is allowed) and recorded before the public line that announces it, so
the thread never promises a message that was refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mentiondesk.desk.access import Actor
from mentiondesk.domain.errors import NotFound
from mentiondesk.domain.replies import Reply, ReplyVisibility
from mentiondesk.replies.composer import ReplyBlocked, check_draft, do_send_guarded_reply
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["ACKNOWLEDGEMENTS", "HandOff", "default_acknowledgement", "do_hand_off"]

ACKNOWLEDGEMENTS = {
    "pl": "Dziękujemy! Napisaliśmy do Ciebie prywatną wiadomość, tam dokończymy sprawę.",
    "it": "Grazie! Ti abbiamo scritto in privato: continuiamo lì.",
    "en": "Thanks! We have sent you a private message so we can sort this out there.",
}


@dataclass(frozen=True, slots=True)
class HandOff:
    public: Reply
    private: Reply


def default_acknowledgement(uow: UnitOfWork, actor: Actor, case_id: int) -> str:
    """The public line in the language triage found in the customer's last post."""
    posts = uow.posts.for_case(actor.workspace.id, case_id)
    if not posts and uow.cases.get(actor.workspace.id, case_id) is None:
        raise NotFound(f"no case {case_id}")
    language = posts[-1].triage.language if posts and posts[-1].triage else "en"
    return ACKNOWLEDGEMENTS.get(language, ACKNOWLEDGEMENTS["en"])


def do_hand_off(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    private_text: str,
    *,
    idempotency_key: str,
    now: datetime,
    acknowledgement: str | None = None,
    override_reason: str | None = None,
) -> HandOff:
    """Record the private message, then the public acknowledgement; both go through the
    guard. Resubmitting the same ``idempotency_key`` returns the same two replies."""
    public_text = (acknowledgement or "").strip() or default_acknowledgement(uow, actor, case_id)
    key = idempotency_key[:90]
    already = uow.replies.by_key(actor.workspace.id, f"{key}:private")
    if already is None:
        checked = check_draft(
            uow, actor, case_id, private_text, visibility=ReplyVisibility.PRIVATE, now=now
        )
        if checked.result.blocked and not override_reason:
            raise ReplyBlocked(checked.result.findings)
    private = do_send_guarded_reply(
        uow,
        actor,
        case_id,
        private_text,
        idempotency_key=f"{key}:private",
        now=now,
        visibility=ReplyVisibility.PRIVATE,
        override_reason=override_reason,
    )
    public = do_send_guarded_reply(
        uow,
        actor,
        case_id,
        public_text,
        idempotency_key=f"{key}:public",
        now=now,
        visibility=ReplyVisibility.PUBLIC,
        override_reason=override_reason,
    )
    return HandOff(public=public, private=private)
