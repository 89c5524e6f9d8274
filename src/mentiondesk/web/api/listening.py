"""API v1 for listening: the brand profile, saved queries, preview, backfill, and the answer
rate per mention kind. Thin: every route calls one service in ``mentiondesk.listening``."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from mentiondesk.desk.listening_profiles import (
    BackfillResult,
    ProfileFields,
    QueryInvalid,
    current_profile,
    do_backfill,
    do_save_profile,
    do_save_query,
    list_queries,
    preview_query,
)
from mentiondesk.desk.listening_report import KindRate, answer_rates
from mentiondesk.domain.posts import Mention
from mentiondesk.domain.profiles import BrandProfile, SavedQuery
from mentiondesk.web.deps import ActorDep, ServicesDep, WriteActorDep

router = APIRouter(prefix="/api/v1/workspaces/{slug}", tags=["listening"])


class ProfileBody(BaseModel):
    names: list[str] = Field(min_length=1)
    aliases: list[str] = []
    handles: dict[str, list[str]] = Field(default={}, description='e.g. {"x": ["@skylot"]}')
    hashtags: list[str] = []
    products: list[str] = []
    competitors: list[str] = []
    context_terms: list[str] = []
    exclude_terms: list[str] = []
    common_words: list[str] = Field(
        default=[], description="Names, aliases or products that are also ordinary words."
    )
    fuzzy: bool = True

    def fields(self) -> ProfileFields:
        return ProfileFields(**self.model_dump())


class ProfilePublic(ProfileBody):
    stored: bool = Field(description="False: derived from the workspace's brand identity.")

    @classmethod
    def of(cls, profile: BrandProfile, stored: bool) -> ProfilePublic:
        return cls(
            names=list(profile.names),
            aliases=list(profile.aliases),
            handles={p: list(hs) for p, hs in profile.handles.items()},
            hashtags=list(profile.hashtags),
            products=list(profile.products),
            competitors=list(profile.competitors),
            context_terms=list(profile.context_terms),
            exclude_terms=list(profile.exclude_terms),
            common_words=list(profile.common_words),
            fuzzy=profile.fuzzy,
            stored=stored,
        )


class QueryBody(BaseModel):
    name: str
    query: str
    enabled: bool = True


class QueryPublic(BaseModel):
    id: int | None
    name: str
    query: str
    enabled: bool

    @classmethod
    def of(cls, q: SavedQuery) -> QueryPublic:
        return cls(id=q.id, name=q.name, query=q.text, enabled=q.enabled)


class PreviewBody(BaseModel):
    query: str
    limit: int = Field(default=20, ge=1, le=200)


class MentionPublic(BaseModel):
    kind: str
    term: str
    start: int
    end: int
    matched_text: str
    source: str
    reason: str

    @classmethod
    def of(cls, m: Mention) -> MentionPublic:
        return cls(
            kind=m.kind.value,
            term=m.term,
            start=m.start,
            end=m.end,
            matched_text=m.matched_text,
            source=m.source,
            reason=m.reason,
        )


class PreviewHitPublic(BaseModel):
    post_id: int
    case_id: int | None
    platform: str
    author_handle: str
    created_at: datetime
    text: str
    mentions: list[MentionPublic]


class PreviewPublic(BaseModel):
    hits: list[PreviewHitPublic]
    checked: int = Field(description="Stored posts the full-text index offered and were read.")
    complete: bool


class BackfillBody(BaseModel):
    query: str | None = Field(default=None, description="A saved query's name; all when null.")


class BackfillPublic(BaseModel):
    query: str
    candidates: int
    matched: int
    new_mentions: int
    routed: int

    @classmethod
    def of(cls, r: BackfillResult) -> BackfillPublic:
        return cls(
            query=r.query,
            candidates=r.candidates,
            matched=r.matched,
            new_mentions=r.new_mentions,
            routed=r.routed,
        )


class KindRatePublic(BaseModel):
    kind: str
    cases: int
    answered: int = Field(description="Cases with at least one reply sent.")
    answer_rate: float | None
    median_first_response_s: float | None

    @classmethod
    def of(cls, r: KindRate) -> KindRatePublic:
        return cls(
            kind=r.kind,
            cases=r.cases,
            answered=r.answered,
            answer_rate=r.answer_rate,
            median_first_response_s=r.median_first_response_s,
        )


def query_error(exc: QueryInvalid) -> JSONResponse:
    """422 naming the field, with the column when the error has one."""
    detail = {"field": exc.field, "reason": exc.reason, "column": exc.column}
    return JSONResponse({"detail": detail}, status_code=422)


@router.get("/listening/profile", response_model=ProfilePublic)
def get_profile(services: ServicesDep, actor: ActorDep, slug: str) -> ProfilePublic:
    with services.uow() as uow:
        view = current_profile(uow, actor)
    return ProfilePublic.of(view.profile, view.stored)


@router.put("/listening/profile", response_model=ProfilePublic)
def put_profile(
    services: ServicesDep, actor: WriteActorDep, slug: str, body: ProfileBody
) -> ProfilePublic:
    """Replace the profile (owner or admin); new posts are matched against it at once."""
    with services.uow() as uow:
        profile = do_save_profile(uow, actor, body.fields(), now=services.clock.now())
    return ProfilePublic.of(profile, True)


@router.get("/listening/queries", response_model=list[QueryPublic])
def get_queries(services: ServicesDep, actor: ActorDep, slug: str) -> list[QueryPublic]:
    with services.uow() as uow:
        return [QueryPublic.of(q) for q in list_queries(uow, actor)]


@router.post(
    "/listening/queries",
    response_model=QueryPublic,
    status_code=201,
    responses={422: {"description": "The query does not parse or would match everything."}},
)
def post_query(
    services: ServicesDep, actor: WriteActorDep, slug: str, body: QueryBody
) -> QueryPublic | JSONResponse:
    """Create or replace the saved query called ``name`` (owner or admin)."""
    try:
        with services.uow() as uow:
            saved = do_save_query(
                uow, actor, body.name, body.query, enabled=body.enabled, now=services.clock.now()
            )
    except QueryInvalid as exc:
        return query_error(exc)
    return QueryPublic.of(saved)


@router.post("/listening/preview", response_model=PreviewPublic)
def post_preview(
    services: ServicesDep, actor: WriteActorDep, slug: str, body: PreviewBody
) -> PreviewPublic | JSONResponse:
    """The newest stored posts the query matches, with why; nothing is saved."""
    try:
        with services.uow() as uow:
            preview = preview_query(uow, actor, body.query, limit=body.limit)
    except QueryInvalid as exc:
        return query_error(exc)
    return PreviewPublic(
        hits=[
            PreviewHitPublic(
                post_id=h.post.id,
                case_id=h.post.case_id,
                platform=h.post.inbound.platform.value,
                author_handle=h.post.inbound.author.handle,
                created_at=h.post.inbound.created_at,
                text=h.post.inbound.text,
                mentions=[MentionPublic.of(m) for m in h.mentions],
            )
            for h in preview.hits
        ],
        checked=preview.checked,
        complete=preview.complete,
    )


@router.post("/listening/backfill", response_model=list[BackfillPublic])
def post_backfill(
    services: ServicesDep, actor: WriteActorDep, slug: str, body: BackfillBody
) -> list[BackfillPublic]:
    """Run a saved query (or every enabled one) over the stored posts (owner or admin)."""
    with services.uow() as uow:
        results = do_backfill(uow, actor, body.query, now=services.clock.now())
    return [BackfillPublic.of(r) for r in results]


@router.get("/reports/mention-kinds", response_model=list[KindRatePublic])
def get_mention_kind_report(
    services: ServicesDep, actor: ActorDep, slug: str
) -> list[KindRatePublic]:
    """Per mention kind: cases, answered cases (a reply sent), answer rate, median time to
    first response in seconds."""
    with services.uow() as uow:
        return [KindRatePublic.of(r) for r in answer_rates(uow, actor)]
