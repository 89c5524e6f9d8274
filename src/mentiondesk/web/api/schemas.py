"""Request and response shapes of the JSON API, one family per entity."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from mentiondesk.desk.inbox import CaseView
from mentiondesk.domain.inbox import InboxPage, InboxRow
from mentiondesk.domain.posts import Post
from mentiondesk.domain.replies import Reply, ReplyVisibility
from mentiondesk.web.api.errors import DbInt


class WorkspacePublic(BaseModel):
    slug: str
    name: str
    role: str
    time_zone: str
    languages: list[str]


class CaseSummary(BaseModel):
    id: int
    status: str
    platform: str
    author_handle: str
    author_name: str
    language: str | None
    sentiment: str | None
    intent: str | None
    tagged: bool = Field(description="The brand was @-tagged or addressed directly.")
    needs_reply: bool
    priority: int
    summary: str
    assignee_id: int | None
    assignee_name: str | None
    opened_at: datetime
    last_activity_at: datetime
    version: int

    @classmethod
    def of(cls, row: InboxRow) -> CaseSummary:
        return cls(
            id=row.case_id,
            status=row.status.value,
            platform=row.platform,
            author_handle=row.author_handle,
            author_name=row.author_name,
            language=row.language,
            sentiment=row.sentiment,
            intent=row.intent,
            tagged=row.tagged,
            needs_reply=row.needs_reply,
            priority=row.priority,
            summary=row.summary,
            assignee_id=row.assignee_id,
            assignee_name=row.assignee_name,
            opened_at=row.opened_at,
            last_activity_at=row.last_activity_at,
            version=row.version,
        )


class CasePage(BaseModel):
    items: list[CaseSummary]
    total: int
    total_capped: bool = Field(
        False, description="true when counting stopped at ``total``: there are more cases"
    )
    page: int
    pages: int

    @classmethod
    def of(cls, page: InboxPage) -> CasePage:
        return cls(
            items=[CaseSummary.of(r) for r in page.rows],
            total=page.total,
            total_capped=page.total_capped,
            page=page.page,
            pages=page.pages,
        )


class PostPublic(BaseModel):
    id: int
    platform: str
    platform_post_id: str
    kind: str
    text: str
    created_at: datetime
    author_handle: str
    author_name: str
    tagged: bool
    mentions: list[dict[str, Any]]
    triage: dict[str, Any] | None
    hidden: bool
    why: dict[str, list[str]] | None = Field(
        default=None,
        description="Per label, why triage reads the post so: the post's own words the model "
        "leaned on and any rule that fired (case detail only).",
    )

    @classmethod
    def of(cls, post: Post, why: dict[str, list[str]] | None = None) -> PostPublic:
        p = post.inbound
        return cls(
            id=post.id,
            platform=p.platform.value,
            platform_post_id=p.platform_post_id,
            kind=p.kind.value,
            text=p.text,
            created_at=p.created_at,
            author_handle=p.author.handle,
            author_name=p.author.name,
            tagged=post.tagged,
            mentions=[m.to_dict() for m in post.mentions],
            triage=post.triage.to_dict() if post.triage else None,
            hidden=post.hidden,
            why=why,
        )


class ReplyPublic(BaseModel):
    id: int
    case_id: int
    user_id: int
    text: str
    visibility: str
    status: str = Field(
        description="queued; sent (the platform has it); simulated (the development channel "
        "recorded it and delivered nothing); or failed (see failure_reason)."
    )
    delivered: bool = Field(description="True only when a platform took the reply (sent).")
    delivery: str = Field(
        description='The state in words, e.g. "not delivered — development channel".'
    )
    platform_reply_id: str | None
    failure_reason: str | None
    created_at: datetime

    @classmethod
    def of(cls, reply: Reply) -> ReplyPublic:
        return cls(
            id=reply.id,
            case_id=reply.case_id,
            user_id=reply.user_id,
            text=reply.text,
            visibility=reply.visibility.value,
            status=reply.status.value,
            delivered=reply.status.delivered,
            delivery=reply.status.label,
            platform_reply_id=reply.platform_reply_id,
            failure_reason=reply.failure_reason,
            created_at=reply.created_at,
        )


class CaseDetail(BaseModel):
    id: int
    status: str
    version: int
    assignee_id: int | None
    opened_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    resolution_seconds: float | None
    posts: list[PostPublic]
    replies: list[ReplyPublic]
    earlier_cases: list[CaseSummary]

    @classmethod
    def of(cls, view: CaseView, why: dict[int, dict[str, list[str]]] | None = None) -> CaseDetail:
        c = view.case
        return cls(
            id=c.id,
            status=c.status.value,
            version=c.version,
            assignee_id=c.assignee_id,
            opened_at=c.opened_at,
            first_response_at=c.first_response_at,
            resolved_at=c.resolved_at,
            resolution_seconds=c.resolution_seconds,
            posts=[
                PostPublic.of(e.post, (why or {}).get(e.post.id))
                for e in view.thread
                if e.post is not None
            ],
            replies=[ReplyPublic.of(e.reply) for e in view.thread if e.reply is not None],
            earlier_cases=[CaseSummary.of(r) for r in view.earlier_cases],
        )


class ReplyCreate(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)
    idempotency_key: str = Field(
        min_length=1, max_length=100, description="Resending with the same key never sends twice."
    )
    visibility: ReplyVisibility = ReplyVisibility.PUBLIC
    expected_version: DbInt | None = Field(
        default=None, description="The case version you saw; a newer one answers 409."
    )
    override_reason: str | None = Field(
        default=None,
        max_length=500,
        description="Send despite blocking guard findings (owners and admins; audited).",
    )


class AssignRequest(BaseModel):
    assignee_id: DbInt | None
    expected_version: DbInt | None = None


class TransitionRequest(BaseModel):
    expected_version: DbInt | None = None


class CaseAssignment(BaseModel):
    """The case after an assignment: who has it now, and the version to send next."""

    id: int
    status: str
    assignee_id: int | None
    version: int


class CaseTransition(BaseModel):
    """The case after resolving or reopening it."""

    id: int
    status: str
    version: int
    resolved_at: datetime | None
    resolution_seconds: float | None


class IngestResultPublic(BaseModel):
    """What became of one inbound post. A refused one also carries ``detail`` (the field and
    the reason), like every other error the API answers."""

    status: str = Field(description="created, duplicate, rejected, or queued (journal mode)")
    post_id: int | None = None
    case_id: int | None = None
    field: str | None = None
    reason: str | None = None
    rejected_id: int | None = None
    journal_id: int | None = Field(
        default=None, description="In journal mode: the stored body, processed behind."
    )
    detail: dict[str, str | None] | None = Field(
        default=None, description="For a refused post: the field at fault and the reason."
    )
