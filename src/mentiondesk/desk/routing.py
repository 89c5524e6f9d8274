"""Routing: store a post and attach it to the right case, exactly once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mentiondesk.desk.follow_ups import follow_up_case
from mentiondesk.desk.search import search_text
from mentiondesk.domain import events
from mentiondesk.domain.cases import Case, CaseStatus
from mentiondesk.domain.posts import InboundPost, Mention, MentionKind, Post
from mentiondesk.domain.triage import TriageResult
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class RouteOutcome:
    post_id: int
    case_id: int | None
    created: bool


def concerns_brand(post: InboundPost, mentions: tuple[Mention, ...]) -> bool:
    """A post becomes work when it names the brand or was addressed to the brand's page."""
    return bool(mentions) or post.to_brand


_KIND_ORDER = (MentionKind.DIRECT, MentionKind.INDIRECT, MentionKind.FUZZY, MentionKind.QUERY)


def strongest_kind(mentions: tuple[Mention, ...]) -> MentionKind | None:
    """The kind a case is filed under: a tag beats a plain name, which beats a misspelling,
    which beats a query hit."""
    kinds = {m.kind for m in mentions}
    return next((k for k in _KIND_ORDER if k in kinds), None)


def route_stored_post(
    uow: UnitOfWork, workspace: Workspace, post: Post, mentions: tuple[Mention, ...]
) -> int:
    """Give a stored post that gained ``mentions`` (a backfill) the case a new post with
    them would get; the caller commits."""
    case = uow.cases.for_thread(
        workspace.id, post.inbound.platform, post.inbound.thread_key, post.author_id
    )
    case_id = _attach_to_case(
        uow, workspace, post.inbound, post.id, post.author_id, mentions, post.triage, case
    )
    uow.posts.attach_to_case(post.id, case_id)
    return case_id


def do_route_post(
    uow: UnitOfWork,
    workspace: Workspace,
    post: InboundPost,
    *,
    mentions: tuple[Mention, ...],
    triage: TriageResult | None,
    meta: dict[str, Any],
    now: datetime,
) -> RouteOutcome:
    """Store ``post``; open a case for it or add it to its author's case in that conversation.

    Re-delivery of a stored post (same platform and platform post id) changes nothing."""
    author_id = uow.authors.upsert(workspace.id, post.author, now=now)
    post_id = uow.posts.add(
        workspace.id, author_id, post, mentions=mentions, triage=triage, received_at=now, meta=meta
    )
    if post_id is None:
        existing = uow.posts.get(
            workspace.id, uow.posts.find_id(workspace.id, post.platform, post.platform_post_id) or 0
        )
        uow.rollback()
        return RouteOutcome(
            existing.id if existing else 0, existing.case_id if existing else None, False
        )

    case_id: int | None = None
    existing_case = uow.cases.for_thread(workspace.id, post.platform, post.thread_key, author_id)
    if existing_case is None and concerns_brand(post, mentions):
        existing_case = follow_up_case(uow, workspace, post, author_id)
    if existing_case is not None or concerns_brand(post, mentions):
        # A follow-up in a conversation that already has the author's case belongs to it even
        # when it does not repeat the brand's name ("still waiting…").
        case_id = _attach_to_case(
            uow, workspace, post, post_id, author_id, mentions, triage, existing_case
        )
        uow.posts.attach_to_case(post_id, case_id)
    uow.collect([events.PostReceived(post_id, workspace.id, case_id, now)])
    uow.commit()
    return RouteOutcome(post_id, case_id, True)


def _attach_to_case(
    uow: UnitOfWork,
    workspace: Workspace,
    post: InboundPost,
    post_id: int,
    author_id: int,
    mentions: tuple[Mention, ...],
    triage: TriageResult | None,
    case: Case | None,
) -> int:
    priority = triage.priority if triage else 0
    if case is not None:
        case.customer_wrote(post_id, post.created_at)
        case.priority = max(case.priority, priority)
        extra: dict[str, Any] = {}
        if triage is not None and triage.needs_reply:
            extra["needs_reply"] = True
        uow.cases.save(case, **extra)
        uow.collect(case.events)
        return case.id
    case = Case(
        id=0,
        workspace_id=workspace.id,
        author_id=author_id,
        platform=post.platform,
        thread_key=post.thread_key,
        status=CaseStatus.NEW,
        opened_at=post.created_at,
        last_activity_at=post.created_at,
        priority=priority,
    )
    case_id = uow.cases.add(
        case,
        needs_reply=triage.needs_reply if triage else True,
        language=triage.language if triage else post.language_hint,
        sentiment=triage.sentiment.value if triage else None,
        intent=triage.intent.value if triage else None,
        tagged=post.to_brand or any(m.tagged for m in mentions),
        summary=post.text,
        mention_kind=kind.value if (kind := strongest_kind(mentions)) else None,
        search_text=search_text(post.text, post.author.handle, post.author.name),
    )
    uow.collect([events.CaseOpened(case_id, workspace.id, post_id, post.created_at)])
    return case_id
