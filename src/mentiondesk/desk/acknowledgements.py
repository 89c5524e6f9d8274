"""The out-of-hours acknowledgement: tell a customer who writes while the desk is closed when a
person will answer.

It is recorded as a reply by the system account, so it shows in the thread and goes out through
the channel's connector like any reply, but it is no answer: it neither stops the SLA clocks nor
moves the case to "waiting for customer". One acknowledgement per case per closed spell: a
customer who writes three times on Saturday night hears from the robot once.
"""

from __future__ import annotations

from datetime import datetime

from mentiondesk.desk.published_hours import SUPPORTED_LANGUAGES as ACK_LANGUAGES
from mentiondesk.desk.published_hours import out_of_hours_ack
from mentiondesk.desk.sla_settings import desk_calendar, load_desk_settings
from mentiondesk.domain import events
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.replies import Reply, ReplyVisibility
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.storage.unit_of_work import UnitOfWork


def do_acknowledge_out_of_hours(
    uow: UnitOfWork, workspace: Workspace, case_id: int, post_id: int, *, now: datetime
) -> Reply | None:
    """Record the acknowledgement for ``post_id`` when it is due; ``None`` when not.

    Not due: acknowledgements off, the desk open at ``now``, the case already acknowledged in
    this closed spell or for this post, or the case no longer active. ``now`` is when the post
    arrived, so a late run (a sweep after a crash) decides as the first would have. Recording
    it emits ``ReplyRecorded``; the outbox delivers it after commit."""
    settings = uow.read_once(
        ("desk settings", workspace.id), lambda: load_desk_settings(uow, workspace)
    )
    if not settings.ack_enabled:
        return None
    key = f"ack:{workspace.id}:{post_id}"
    if uow.replies.by_key(workspace.id, key) is not None:
        return None  # this post was acknowledged already
    case = uow.cases.get(workspace.id, case_id)
    if case is None or case.status.value in ("resolved", "merged"):
        return None
    calendar = desk_calendar(settings, now)
    language = _customer_language(uow, workspace, post_id) or settings.channels.get(
        case.platform.value, workspace.languages[0]
    )
    text = out_of_hours_ack(calendar, now, language, settings.texts)
    if text is None:
        return None
    system_id = uow.lifecycle.system_user_id(create=True, now=now)
    assert system_id is not None
    previous = uow.lifecycle.latest_reply_by(case.id, system_id)
    if previous is not None and calendar.business_seconds_between(previous, now) == 0:
        return None  # already told during this closed spell
    reply = Reply(
        id=0,
        workspace_id=workspace.id,
        case_id=case.id,
        user_id=system_id,
        text=text,
        created_at=now,
        visibility=ReplyVisibility.PUBLIC,
        in_reply_to_post_id=post_id,
        idempotency_key=key,
    )
    uow.replies.add(reply)
    uow.collect([events.ReplyRecorded(reply.id, workspace.id, case.id, now)])
    uow.audit.append(
        AuditEntry.by_system(
            workspace.id,
            "case.auto_acknowledge",
            f"case:{case.id}",
            at=now,
            reason="a customer wrote while the desk was closed",
            data={"reply_id": reply.id, "post_id": post_id, "language": language},
        )
    )
    uow.commit()
    return reply


def _customer_language(uow: UnitOfWork, workspace: Workspace, post_id: int) -> str | None:
    """The language the customer wrote in, when the acknowledgement can be written in it;
    otherwise the channel's language decides (``None``)."""
    post = uow.posts.get(workspace.id, post_id)
    language = post.triage.language if post is not None and post.triage is not None else None
    return language if language in ACK_LANGUAGES else None
