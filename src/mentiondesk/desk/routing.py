"""Routing: store a post and attach it to the right case, exactly once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from mentiondesk.desk.follow_ups import follow_up_case
from mentiondesk.desk.search import search_text
from mentiondesk.desk.sla_settings import load_desk_settings
from mentiondesk.domain import events
from mentiondesk.domain.cases import Case, CaseStatus
from mentiondesk.domain.posts import InboundPost, Mention, MentionKind, Platform, Post
from mentiondesk.domain.triage import TriageResult
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.storage.repositories.posts import NewPost
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
    ).id
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
        ).id
        uow.posts.attach_to_case(post_id, case_id)
    uow.collect([events.PostReceived(post_id, workspace.id, case_id, now)])
    uow.commit()
    return RouteOutcome(post_id, case_id, True)


@dataclass(frozen=True, slots=True)
class Routable:
    """One post of a batch, normalised, matched and triaged."""

    post: InboundPost
    mentions: tuple[Mention, ...]
    triage: TriageResult | None
    meta: dict[str, Any]


def do_route_posts(
    uow: UnitOfWork, workspace: Workspace, batch: Sequence[Routable], *, now: datetime
) -> list[RouteOutcome]:
    """Route a batch in one transaction, with the outcomes and events of ``do_route_post``
    called on each post in turn: stored posts and repeats within the batch change nothing;
    authors, posts and case links are written in bulk; the desk settings, the conversations'
    cases and the stored posts are read once for the batch, not once per post.

    A concurrent writer (the same post stored meanwhile, a case saved by an agent) makes it
    raise; nothing is written then and the caller routes the posts one by one."""
    keys = [(r.post.platform, r.post.platform_post_id) for r in batch]
    stored = uow.posts.stored_ids(workspace.id, keys)
    first_of: dict[tuple[Platform, str], int] = {}
    for index, key in enumerate(keys):
        if key not in stored:
            first_of.setdefault(key, index)
    fresh = list(first_of.values())
    author_ids = uow.authors.upsert_many(
        workspace.id, [batch[i].post.author for i in fresh], now=now
    )
    post_ids = uow.posts.add_many(
        workspace.id,
        [
            NewPost(author_id, batch[i].post, batch[i].mentions, batch[i].triage, batch[i].meta)
            for i, author_id in zip(fresh, author_ids, strict=True)
        ],
        received_at=now,
    )
    cases = uow.cases.for_threads(
        workspace.id,
        [
            (batch[i].post.platform, batch[i].post.thread_key, author_id)
            for i, author_id in zip(fresh, author_ids, strict=True)
        ],
    )
    by_id = {case.id: case for case in cases.values()}
    window = load_desk_settings(uow, workspace).follow_up_window
    candidates = _follow_up_candidates(uow, workspace, batch, fresh, author_ids, cases, window)
    # Cases opened by this batch get a provisional negative id until they are inserted
    # together at the end; cases that existed are saved once each, however many posts joined.
    opened: dict[int, tuple[Case, dict[str, Any]]] = {}
    changed: dict[int, tuple[Case, dict[str, Any]]] = {}
    happened: list[events.Event] = []
    routed: dict[int, tuple[int, int | None]] = {}
    for index, author_id, post_id in zip(fresh, author_ids, post_ids, strict=True):
        item = batch[index]
        post, mentions = item.post, item.mentions
        case = cases.get((post.platform, post.thread_key, author_id))
        if case is None and concerns_brand(post, mentions) and window > 0:
            since = post.created_at - timedelta(seconds=window)
            case = _latest_active(
                [by_id.get(c.id, c) for c in candidates.get(author_id, ())], post, since
            )
        case_id: int | None = None
        if case is not None:
            columns = _customer_wrote(case, post, post_id, item.triage)
            pending = opened.get(case.id) or changed.setdefault(case.id, (case, {}))
            pending[1].update(columns)
            happened.extend(case.events)
            case.events.clear()
        elif concerns_brand(post, mentions):
            case, columns = _new_case(workspace, post, author_id, mentions, item.triage)
            case.id = -1 - len(opened)
            opened[case.id] = (case, columns)
            happened.append(events.CaseOpened(case.id, workspace.id, post_id, post.created_at))
        if case is not None:
            by_id[case.id] = cases[(case.platform, case.thread_key, case.author_id)] = case
            if case not in candidates.setdefault(author_id, []):
                candidates[author_id].append(case)
            case_id = case.id
        happened.append(events.PostReceived(post_id, workspace.id, case_id, now))
        routed[index] = (post_id, case_id)
    real = dict(zip(opened, uow.cases.add_many(list(opened.values())), strict=True))
    for case, columns in changed.values():
        uow.cases.save(case, **columns)
    uow.posts.attach_many_to_cases(
        [(post_id, real.get(case_id, case_id)) for post_id, case_id in routed.values() if case_id]
    )
    uow.collect(_with_ids(happened, real))
    uow.commit()
    return _outcomes(keys, stored, first_of, routed, real)


def _outcomes(
    keys: list[tuple[Platform, str]],
    stored: dict[tuple[Platform, str], tuple[int, int | None]],
    first_of: dict[tuple[Platform, str], int],
    routed: dict[int, tuple[int, int | None]],
    real: dict[int, int],
) -> list[RouteOutcome]:
    """Per input, in order: created for the first of each new post, duplicate otherwise."""
    outcomes = []
    for index, key in enumerate(keys):
        if key in stored:
            post_id, case_id = stored[key]
        else:
            post_id, case_id = routed[first_of[key]]
            case_id = real.get(case_id, case_id) if case_id is not None else None
        outcomes.append(RouteOutcome(post_id, case_id, first_of.get(key) == index))
    return outcomes


def _with_ids(happened: list[events.Event], real: dict[int, int]) -> list[events.Event]:
    """The batch's events with the provisional ids of the cases it opened made real."""
    out = []
    for event in happened:
        case_id = getattr(event, "case_id", None)
        out.append(replace(event, case_id=real[case_id]) if case_id in real else event)  # type: ignore[call-arg]
    return out


def _follow_up_candidates(
    uow: UnitOfWork,
    workspace: Workspace,
    batch: Sequence[Routable],
    fresh: Sequence[int],
    author_ids: Sequence[int],
    cases: dict[tuple[Platform, str, int], Case],
    window: float,
) -> dict[int, list[Case]]:
    """The active cases, by author, that posts of the batch without a case in their own
    conversation may follow up (``follow_up_case``), read in one query."""
    authors: set[int] = set()
    earliest = None
    for index, author_id in zip(fresh, author_ids, strict=True):
        post = batch[index].post
        if (post.platform, post.thread_key, author_id) in cases:
            continue
        if concerns_brand(post, batch[index].mentions):
            authors.add(author_id)
            earliest = post.created_at if earliest is None else min(earliest, post.created_at)
    if window <= 0 or earliest is None:
        return {}
    found: dict[int, list[Case]] = {}
    since = earliest - timedelta(seconds=window)
    for case in uow.lifecycle.active_cases_of_authors(workspace.id, authors, since):
        found.setdefault(case.author_id, []).append(case)
    return found


def _latest_active(candidates: Sequence[Case], post: InboundPost, since: datetime) -> Case | None:
    """What ``open_case_of_author`` would answer now, chosen among ``candidates`` as they
    stand in this transaction: the latest active case on the post's platform since then."""
    active = [
        c
        for c in candidates
        if c.platform is post.platform and c.status in _ACTIVE and c.last_activity_at >= since
    ]
    # a case opened earlier in this batch (provisional id -1, -2, …) is newer than any stored
    return max(
        active, key=lambda c: (c.last_activity_at, c.id if c.id > 0 else 2**62 - c.id), default=None
    )


_ACTIVE = (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.WAITING)


def _attach_to_case(
    uow: UnitOfWork,
    workspace: Workspace,
    post: InboundPost,
    post_id: int,
    author_id: int,
    mentions: tuple[Mention, ...],
    triage: TriageResult | None,
    case: Case | None,
) -> Case:
    if case is not None:
        uow.cases.save(case, **_customer_wrote(case, post, post_id, triage))
        uow.collect(case.events)
        case.events.clear()
        return case
    case, columns = _new_case(workspace, post, author_id, mentions, triage)
    case_id = uow.cases.add(case, **columns)
    uow.collect([events.CaseOpened(case_id, workspace.id, post_id, post.created_at)])
    return case


def _customer_wrote(
    case: Case, post: InboundPost, post_id: int, triage: TriageResult | None
) -> dict[str, Any]:
    """Add the post to ``case``; the denormalised columns to save with it."""
    case.customer_wrote(post_id, post.created_at)
    case.priority = max(case.priority, triage.priority if triage else 0)
    return {"needs_reply": True} if triage is not None and triage.needs_reply else {}


def _new_case(
    workspace: Workspace,
    post: InboundPost,
    author_id: int,
    mentions: tuple[Mention, ...],
    triage: TriageResult | None,
) -> tuple[Case, dict[str, Any]]:
    """The case ``post`` opens (not stored yet) and its denormalised columns."""
    case = Case(
        id=0,
        workspace_id=workspace.id,
        author_id=author_id,
        platform=post.platform,
        thread_key=post.thread_key,
        status=CaseStatus.NEW,
        opened_at=post.created_at,
        last_activity_at=post.created_at,
        priority=triage.priority if triage else 0,
    )
    kind = strongest_kind(mentions)
    return case, {
        "needs_reply": triage.needs_reply if triage else True,
        "language": triage.language if triage else post.language_hint,
        "sentiment": triage.sentiment.value if triage else None,
        "intent": triage.intent.value if triage else None,
        "tagged": post.to_brand or any(m.tagged for m in mentions),
        "summary": post.text,
        "mention_kind": kind.value if kind else None,
        "search_text": search_text(post.text, post.author.handle, post.author.name),
    }
