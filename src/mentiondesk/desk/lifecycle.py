"""Snoozing, merging and splitting cases. Each is one transaction, audited, events after commit.

Merging and splitting move posts and replies between cases, so both cases are saved with
optimistic concurrency: an agent acting on a case that a colleague changed meanwhile gets
``ConcurrentChange`` instead of silently undoing the colleague's work.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from mentiondesk.desk.access import Actor
from mentiondesk.desk.case_actions import load_case
from mentiondesk.domain import events
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.cases import Case, CaseStatus
from mentiondesk.domain.errors import InvalidInput, InvalidTransition
from mentiondesk.storage.unit_of_work import UnitOfWork


def do_snooze_case(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    until: datetime | None,
    *,
    now: datetime,
    expected_version: int | None = None,
    reason: str = "",
) -> Case:
    """Hide the case from the active inbox until ``until`` (``None`` wakes it now).

    It comes back by itself when ``until`` passes (the inbox compares at query time) or as
    soon as the customer writes."""
    actor.require_case_work()
    case = load_case(uow, actor, case_id, expected_version)
    case.snooze(until, actor.user.id, now)
    uow.cases.save(case)
    uow.audit.append(
        AuditEntry.by(
            actor,
            "case.snooze",
            f"case:{case.id}",
            at=now,
            data={"until": until.isoformat() if until else None, "reason": reason},
        )
    )
    uow.collect(case.events)
    uow.commit()
    return case


def do_merge_cases(
    uow: UnitOfWork,
    actor: Actor,
    source_id: int,
    target_id: int,
    *,
    now: datetime,
    expected_version: int | None = None,
    target_version: int | None = None,
) -> Case:
    """Merge case ``source_id`` into ``target_id``: its posts and replies join the target's
    thread and it becomes read-only, pointing at the target. Returns the target."""
    actor.require_case_work()
    source = load_case(uow, actor, source_id, expected_version)
    target = load_case(uow, actor, target_id, target_version)
    source.merge_into(target, actor.user.id, now)
    moved_posts = uow.lifecycle.move_posts(source.id, target.id)
    moved_replies = uow.lifecycle.move_replies(source.id, target.id)
    uow.cases.save(source)
    uow.cases.save(target)
    uow.audit.append(
        AuditEntry.by(
            actor,
            "case.merge",
            f"case:{target.id}",
            at=now,
            data={"merged_case_id": source.id, "posts": moved_posts, "replies": moved_replies},
        )
    )
    uow.collect(source.events + target.events)
    uow.commit()
    return target


def do_split_case(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    post_ids: Sequence[int],
    *,
    now: datetime,
    expected_version: int | None = None,
) -> Case:
    """Move the selected posts (and the replies answering them) of a case into a new case.

    The case must keep at least one post: splitting everything off is a rename, not a split."""
    actor.require_case_work()
    case = load_case(uow, actor, case_id, expected_version)
    case.require_splittable()
    posts = uow.posts.for_case(actor.workspace.id, case.id)
    chosen = [p for p in posts if p.id in set(post_ids)]
    if not post_ids or len(chosen) != len(set(post_ids)):
        raise InvalidInput("post_ids", f"choose one or more posts of case {case.id}")
    if len(chosen) == len(posts):
        raise InvalidTransition("a split must leave at least one post in the original case")
    first = chosen[0]
    new = Case(
        id=0,
        workspace_id=case.workspace_id,
        author_id=case.author_id,
        platform=case.platform,
        thread_key=first.inbound.thread_key,
        status=CaseStatus.OPEN,
        opened_at=first.inbound.created_at,
        last_activity_at=max(p.inbound.created_at for p in chosen),
        priority=max((p.triage.priority for p in chosen if p.triage), default=case.priority),
    )
    uow.cases.add(
        new,
        needs_reply=True,
        language=first.triage.language if first.triage else first.inbound.language_hint,
        sentiment=first.triage.sentiment.value if first.triage else None,
        tagged=any(p.inbound.to_brand or any(m.tagged for m in p.mentions) for p in chosen),
        summary=first.inbound.text,
    )
    ids = [p.id for p in chosen]
    uow.lifecycle.move_posts(case.id, new.id, ids)
    uow.lifecycle.move_replies(case.id, new.id, ids)
    uow.cases.save(case)  # bumps the version: the colleague looking at it must reload
    uow.audit.append(
        AuditEntry.by(
            actor,
            "case.split",
            f"case:{case.id}",
            at=now,
            data={"new_case_id": new.id, "post_ids": ids},
        )
    )
    uow.collect(
        [events.CaseSplit(case.id, new.id, case.workspace_id, tuple(ids), actor.user.id, now)]
    )
    uow.commit()
    return new
