"""Listening services: keep a workspace's brand profile and saved queries, preview a query on
stored posts, and backfill a query over them. Shells (web, API, CLI) call only these.

Writes need an owner or admin; reading and previewing are open to every member. Each write
commits and publishes ``ListeningChanged`` so the matcher's cached copy is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from mentiondesk.desk.access import Actor
from mentiondesk.desk.routing import route_stored_post
from mentiondesk.domain.audit import COMMAND_LINE_USER_ID, AuditEntry
from mentiondesk.domain.errors import InvalidInput, NotFound
from mentiondesk.domain.posts import Mention, Platform, Post
from mentiondesk.domain.profiles import BrandProfile, ListeningChanged, SavedQuery
from mentiondesk.listening.backfill import to_fts5_match, to_tsquery
from mentiondesk.listening.matching import identity_profile
from mentiondesk.listening.queries import (
    CompiledQuery,
    QueryRejectedError,
    QuerySyntaxError,
    compile_query,
)
from mentiondesk.storage.unit_of_work import UnitOfWork

BATCH = 200
Progress = Callable[[int, int], None]  # (posts checked, candidates in all)


class QueryInvalid(InvalidInput):
    """A query that does not parse or may not run. ``column`` (1-based) points at the
    culprit when there is one; ``pointer`` is the query with a caret under it."""

    def __init__(self, field: str, reason: str, column: int | None, pointer: str | None) -> None:
        super().__init__(field, reason)
        self.column = column
        self.pointer = pointer


def check_query(text: str, field: str = "query") -> CompiledQuery:
    """Compile ``text`` or raise ``QueryInvalid`` naming ``field`` and the column."""
    try:
        return compile_query(text)
    except QuerySyntaxError as exc:
        reason = f"{exc.message} at column {exc.column}"
        raise QueryInvalid(field, reason, exc.column, exc.pointer()) from exc
    except QueryRejectedError as exc:
        column = exc.position + 1 if exc.position is not None else None
        pointer = f"{text}\n{' ' * exc.position}^" if exc.position is not None else None
        raise QueryInvalid(field, str(exc), column, pointer) from exc


# -- profiles --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProfileFields:
    """A profile as a person types it; ``handles`` maps platform to handles."""

    names: Sequence[str]
    aliases: Sequence[str] = ()
    handles: Mapping[str, Sequence[str]] | None = None
    hashtags: Sequence[str] = ()
    products: Sequence[str] = ()
    competitors: Sequence[str] = ()
    context_terms: Sequence[str] = ()
    exclude_terms: Sequence[str] = ()
    common_words: Sequence[str] = ()
    fuzzy: bool = True


def _clean(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))


def parse_handles(entries: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """``platform:@handle`` entries (as the form and the CLI take them) grouped by platform."""
    handles: dict[str, list[str]] = {}
    for entry in _clean(entries):
        platform, sep, handle = entry.partition(":")
        if not sep or not handle.strip():
            raise InvalidInput("handles", f"'{entry}' is not platform:@handle, e.g. x:@skylot")
        handles.setdefault(platform.strip().lower(), []).append(handle.strip())
    return {p: tuple(hs) for p, hs in handles.items()}


def build_profile(workspace_key: str, fields: ProfileFields) -> BrandProfile:
    handles = {p.lower(): _clean(hs) for p, hs in (fields.handles or {}).items()}
    unknown = sorted(p for p in handles if p not in Platform._value2member_map_)
    if unknown:
        raise InvalidInput("handles", f"unknown platform '{unknown[0]}'")
    names = _clean(fields.names)
    if not names:
        raise InvalidInput("names", "a brand profile needs at least one name")
    listed = {n.casefold() for n in (*names, *_clean(fields.aliases), *_clean(fields.products))}
    stray = [w for w in _clean(fields.common_words) if w.casefold() not in listed]
    if stray:
        raise InvalidInput(
            "common_words", f"'{stray[0]}' is not one of the names, aliases or products"
        )
    return BrandProfile(
        key=workspace_key,
        names=names,
        aliases=_clean(fields.aliases),
        handles={p: hs for p, hs in handles.items() if hs},
        hashtags=tuple(h.lstrip("#") for h in _clean(fields.hashtags)),
        products=_clean(fields.products),
        competitors=_clean(fields.competitors),
        context_terms=_clean(fields.context_terms),
        exclude_terms=_clean(fields.exclude_terms),
        common_words=_clean(fields.common_words),
        fuzzy=fields.fuzzy,
    )


@dataclass(frozen=True, slots=True)
class ProfileView:
    profile: BrandProfile
    stored: bool  # False: derived from the workspace's brand identity


def current_profile(uow: UnitOfWork, actor: Actor) -> ProfileView:
    stored = uow.profiles.get(actor.workspace.id)
    if stored is not None:
        return ProfileView(stored, True)
    return ProfileView(identity_profile(actor.workspace), False)


def do_save_profile(
    uow: UnitOfWork, actor: Actor, fields: ProfileFields, *, now: datetime
) -> BrandProfile:
    actor.require_settings()
    profile = build_profile(actor.workspace.slug, fields)
    user_id = None if actor.user.id == COMMAND_LINE_USER_ID else actor.user.id
    uow.profiles.save(actor.workspace.id, profile, user_id=user_id, now=now)
    uow.audit.append(AuditEntry.by(actor, "listening.profile", "profile", at=now))
    uow.collect([ListeningChanged(actor.workspace.id)])
    uow.commit()
    return profile


# -- saved queries ---------------------------------------------------------------------------


def list_queries(uow: UnitOfWork, actor: Actor) -> list[SavedQuery]:
    return uow.queries.list(actor.workspace.id)


def get_query(uow: UnitOfWork, actor: Actor, name: str) -> SavedQuery:
    query = uow.queries.by_name(actor.workspace.id, name)
    if query is None:
        raise NotFound(f"no saved query '{name}'")
    return query


def do_save_query(
    uow: UnitOfWork, actor: Actor, name: str, text: str, *, enabled: bool = True, now: datetime
) -> SavedQuery:
    """Create or change the workspace's query called ``name``; it runs on new posts at once."""
    actor.require_settings()
    name = name.strip()
    if not name or len(name) > 100 or not name.isprintable():
        raise InvalidInput("name", "give the query a name of 1 to 100 printable characters")
    check_query(text)
    saved = uow.queries.save(actor.workspace.id, name, text, enabled=enabled, now=now)
    uow.audit.append(
        AuditEntry.by(
            actor,
            "listening.query",
            f"query:{saved.id}",
            at=now,
            data={"name": name, "text": text, "enabled": enabled},
        )
    )
    uow.collect([ListeningChanged(actor.workspace.id)])
    uow.commit()
    return saved


# -- preview and backfill --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PreviewHit:
    post: Post
    mentions: tuple[Mention, ...]


@dataclass(frozen=True, slots=True)
class QueryPreview:
    hits: tuple[PreviewHit, ...]
    checked: int  # stored posts the index offered and the evaluator read
    complete: bool  # False when the scan stopped at its limit


def _candidates(
    uow: UnitOfWork, actor: Actor, compiled: CompiledQuery, *, limit: int, newest_first: bool
) -> list[int]:
    return uow.listening_posts.candidate_ids(
        actor.workspace.id,
        fts5=to_fts5_match(compiled.ast),
        tsquery=to_tsquery(compiled.ast),
        limit=limit,
        newest_first=newest_first,
    )


def preview_query(
    uow: UnitOfWork, actor: Actor, text: str, *, limit: int = 20, scan: int = 5000
) -> QueryPreview:
    """The newest stored posts ``text`` matches, with why; nothing is saved."""
    compiled = check_query(text)
    ids = _candidates(uow, actor, compiled, limit=scan, newest_first=True)
    hits: list[PreviewHit] = []
    checked = 0
    for start in range(0, len(ids), BATCH):
        for post in uow.listening_posts.get_many(actor.workspace.id, ids[start : start + BATCH]):
            checked += 1
            found = compiled.match(post.inbound, source="preview")
            if found:
                hits.append(PreviewHit(post, tuple(found)))
                if len(hits) >= limit:
                    return QueryPreview(tuple(hits), checked, False)
    return QueryPreview(tuple(hits), checked, len(ids) < scan)


@dataclass(frozen=True, slots=True)
class BackfillResult:
    query: str
    candidates: int  # posts the full-text index offered
    matched: int  # confirmed by the evaluator
    new_mentions: int  # posts that gained a mention from this run
    routed: int  # of those, posts that had no case and now have one


def _key(m: Mention) -> tuple[str, str, int, int]:
    return (m.kind.value, m.source, m.start, m.end)


def backfill_query(
    uow: UnitOfWork,
    actor: Actor,
    query: SavedQuery,
    *,
    now: datetime,
    progress: Progress | None = None,
) -> BackfillResult:
    """Run a saved query over the stored posts. A post it matches gets its ``query``
    mentions appended once (a second run adds nothing) and, if it had no case, is routed
    to one as if it had just arrived. Commits every ``BATCH`` posts."""
    actor.require_settings()
    compiled = check_query(query.text)
    ids = _candidates(uow, actor, compiled, limit=10_000_000, newest_first=False)
    matched = new = routed = 0
    for start in range(0, len(ids), BATCH):
        for post in uow.listening_posts.get_many(actor.workspace.id, ids[start : start + BATCH]):
            found = compiled.match(post.inbound, source=query.name)
            if not found:
                continue
            matched += 1
            known = {_key(m) for m in post.mentions}
            added = tuple(m for m in found if _key(m) not in known)
            if not added:
                continue
            mentions = post.mentions + added
            uow.listening_posts.set_mentions(post.id, mentions)
            new += 1
            if post.case_id is None:
                route_stored_post(uow, actor.workspace, post, mentions)
                routed += 1
        uow.commit()
        if progress is not None:
            progress(min(start + BATCH, len(ids)), len(ids))
    result = BackfillResult(query.name, len(ids), matched, new, routed)
    uow.audit.append(
        AuditEntry.by(
            actor,
            "listening.backfill",
            f"query:{query.id}",
            at=now,
            data={"candidates": len(ids), "matched": matched, "new": new, "routed": routed},
        )
    )
    uow.commit()
    return result


def do_backfill(
    uow: UnitOfWork,
    actor: Actor,
    name: str | None,
    *,
    now: datetime,
    progress: Progress | None = None,
) -> list[BackfillResult]:
    """Backfill one saved query, or every enabled one when ``name`` is None."""
    actor.require_settings()
    queries = (
        [get_query(uow, actor, name)]
        if name is not None
        else uow.queries.list(actor.workspace.id, enabled_only=True)
    )
    return [backfill_query(uow, actor, q, now=now, progress=progress) for q in queries]


__all__ = [
    "BackfillResult",
    "ProfileFields",
    "QueryInvalid",
    "QueryPreview",
    "backfill_query",
    "build_profile",
    "check_query",
    "current_profile",
    "do_backfill",
    "do_save_profile",
    "do_save_query",
    "get_query",
    "list_queries",
    "parse_handles",
    "preview_query",
]
