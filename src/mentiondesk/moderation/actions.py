"""Agents' moderation of customers' posts: hide (with an accepted reason), unhide, and
acknowledge ("like"). There is deliberately no delete: a hidden post stays in its thread.

Each ``do_*`` is one transaction, audited, idempotent (repeating it changes nothing and
records nothing), and emits ``PostModerated``: the handler table queues the platform action in
the outbox in the same transaction, and the outbox carries it after commit, so the platform is
only touched once the desk agrees."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from mentiondesk.desk.access import Actor
from mentiondesk.desk.priority import do_rescore_case
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.errors import NotFound
from mentiondesk.domain.moderation import (
    PostModerated,
    accepted_hide_reasons,
    clean_community_rules,
    validate_hide_reason,
)
from mentiondesk.domain.outbox import PlatformAction
from mentiondesk.domain.posts import Post
from mentiondesk.domain.replies import DeliveryStatus
from mentiondesk.storage.unit_of_work import UnitOfWork

HIDE, UNHIDE, ACKNOWLEDGE = "post.hide", "post.unhide", "post.acknowledge"


@dataclass(frozen=True, slots=True)
class ModerationOutcome:
    """What a moderation call did; ``changed`` is False when it had already been done."""

    action: str
    post: Post
    changed: bool
    reason: str = ""


def load_post(uow: UnitOfWork, workspace_id: int, post_id: int) -> Post:
    post = uow.posts.get(workspace_id, post_id)
    if post is None:
        raise NotFound(f"no post {post_id}")
    return post


def record(
    uow: UnitOfWork,
    post: Post,
    action: str,
    *,
    reason: str,
    now: datetime,
    by_user_id: int | None,
    by_rule: str | None,
    **data: object,
) -> None:
    """Audit one moderation action and queue its event for after commit."""
    audited = {"case_id": post.case_id, **data}
    subject = f"post:{post.id}"
    uow.audit.append(
        AuditEntry.by_rule(
            post.workspace_id, by_rule, action, subject, at=now, reason=reason, data=audited
        )
        if by_rule is not None
        else AuditEntry.by_user(
            post.workspace_id, by_user_id, action, subject, at=now, reason=reason, data=audited
        )
    )
    uow.collect(
        [PostModerated(post.id, post.workspace_id, action, reason, by_user_id, by_rule, now)]
    )


def hide(
    uow: UnitOfWork,
    post: Post,
    reason: str,
    *,
    now: datetime,
    by_user_id: int | None,
    by_rule: str | None = None,
) -> ModerationOutcome:
    """Hide ``post`` with an already validated ``reason``; shared by agents and rules."""
    if post.hidden and post.hidden_reason == reason:
        return ModerationOutcome(HIDE, post, False, reason)
    previous = post.hidden_reason if post.hidden else None
    uow.moderation.set_hidden(post.id, True, reason)
    post.hidden, post.hidden_reason = True, reason
    if post.case_id is not None:
        do_rescore_case(uow, post.workspace_id, post.case_id, now)
    record(
        uow,
        post,
        HIDE,
        reason=reason,
        now=now,
        by_user_id=by_user_id,
        by_rule=by_rule,
        previous_reason=previous,
    )
    return ModerationOutcome(HIDE, post, True, reason)


def acknowledge(
    uow: UnitOfWork,
    post: Post,
    *,
    now: datetime,
    by_user_id: int | None,
    by_rule: str | None = None,
) -> ModerationOutcome:
    if not uow.moderation.acknowledge(
        post.workspace_id, post.id, by_user_id=by_user_id, by_rule=by_rule, at=now
    ):
        return ModerationOutcome(ACKNOWLEDGE, post, False)
    record(uow, post, ACKNOWLEDGE, reason="", now=now, by_user_id=by_user_id, by_rule=by_rule)
    return ModerationOutcome(ACKNOWLEDGE, post, True)


def do_hide_post(
    uow: UnitOfWork, actor: Actor, post_id: int, reason: str | None, *, now: datetime
) -> ModerationOutcome:
    """Hide a post from the public on its platform. ``reason`` must be spam, abuse or one of
    the workspace's published community rules; anything else is refused with the list."""
    actor.require_case_work()
    post = load_post(uow, actor.workspace.id, post_id)
    canonical = validate_hide_reason(reason, uow.moderation.community_rules(actor.workspace.id))
    outcome = hide(uow, post, canonical, now=now, by_user_id=actor.user.id)
    uow.commit()
    return outcome


def do_unhide_post(
    uow: UnitOfWork, actor: Actor, post_id: int, *, now: datetime, note: str = ""
) -> ModerationOutcome:
    """Show a hidden post again; the text was never touched, so nothing is lost."""
    actor.require_case_work()
    post = load_post(uow, actor.workspace.id, post_id)
    if not post.hidden:
        return ModerationOutcome(UNHIDE, post, False)
    previous = post.hidden_reason
    uow.moderation.set_hidden(post.id, False, None)
    post.hidden, post.hidden_reason = False, None
    if post.case_id is not None:
        do_rescore_case(uow, post.workspace_id, post.case_id, now)
    record(
        uow,
        post,
        UNHIDE,
        reason=note.strip()[:500],
        now=now,
        by_user_id=actor.user.id,
        by_rule=None,
        previous_reason=previous,
    )
    uow.commit()
    return ModerationOutcome(UNHIDE, post, True)


def do_acknowledge_post(
    uow: UnitOfWork, actor: Actor, post_id: int, *, now: datetime
) -> ModerationOutcome:
    """Like the post on its platform: a light "we saw this" that needs no reply."""
    actor.require_case_work()
    post = load_post(uow, actor.workspace.id, post_id)
    outcome = acknowledge(uow, post, now=now, by_user_id=actor.user.id)
    uow.commit()
    return outcome


def community_rules(uow: UnitOfWork, actor: Actor) -> tuple[str, ...]:
    """The rules as published; anyone in the workspace may read them."""
    return tuple(uow.moderation.community_rules(actor.workspace.id))


def hide_reasons(uow: UnitOfWork, workspace_id: int) -> tuple[str, ...]:
    return accepted_hide_reasons(uow.moderation.community_rules(workspace_id))


def do_set_community_rules(
    uow: UnitOfWork, actor: Actor, titles: Iterable[str], *, now: datetime
) -> tuple[str, ...]:
    """Publish the workspace's community rules (owners and admins); each becomes a reason
    that may hide a post."""
    actor.require_settings()
    cleaned = clean_community_rules(titles)
    before = tuple(uow.moderation.community_rules(actor.workspace.id))
    if cleaned == before:
        return cleaned
    uow.moderation.replace_community_rules(actor.workspace.id, cleaned)
    uow.audit.append(
        AuditEntry.by(
            actor,
            "community_rules.update",
            f"workspace:{actor.workspace.id}",
            at=now,
            data={"before": list(before), "after": list(cleaned)},
        )
    )
    uow.commit()
    return cleaned


_PLATFORM_ACTIONS = {
    HIDE: PlatformAction.HIDE,
    UNHIDE: PlatformAction.UNHIDE,
    ACKNOWLEDGE: PlatformAction.LIKE,
}


def platform_state(uow: UnitOfWork, outcome: ModerationOutcome) -> str:
    """What the platform was told about ``outcome``, read after commit (the outbox attempts it
    right then): ``sent``, ``simulated`` (the development channel: not delivered),
    ``unchanged`` (nothing new to tell), ``unsupported`` (the channel cannot moderate),
    ``queued: <why>`` (retrying) or ``failed: <platform's reason>``."""
    if not outcome.changed:
        return "unchanged"
    item = uow.outbox.latest_for_post(outcome.post.id, _PLATFORM_ACTIONS[outcome.action])
    if item is None:
        return "unchanged"
    if item.status in (DeliveryStatus.FAILED, DeliveryStatus.QUEUED) and item.failure_reason:
        return f"{item.status.value}: {item.failure_reason}"
    return item.status.value
