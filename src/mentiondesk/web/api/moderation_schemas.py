"""Request and response shapes of the moderation, rules, erasure and audit API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from mentiondesk.domain.moderation import (
    DryRunReport,
    ModerationRule,
    RuleActions,
    RuleConditions,
)


class HideRequest(BaseModel):
    reason: str | None = Field(
        default=None, description='"spam", "abuse" or one of the workspace\'s community rules.'
    )


class UnhideRequest(BaseModel):
    note: str = ""


class PostModerationPublic(BaseModel):
    post_id: int
    action: str
    hidden: bool
    hidden_reason: str | None
    changed: bool = Field(description="False when the post was already in that state.")
    delivery: str = Field(
        description="What the platform was told: sent; simulated (the development channel, "
        "not delivered); unchanged; unsupported; queued: <why> (retrying); failed: <reason>."
    )


class CommunityRulesPublic(BaseModel):
    rules: list[str]
    accepted_hide_reasons: list[str]


class CommunityRulesUpdate(BaseModel):
    rules: list[str]


class ConditionsIn(BaseModel):
    spam: bool | None = None
    harmful: bool | None = None
    intents: list[str] = []
    sentiments: list[str] = []
    languages: list[str] = []
    keywords_any: list[str] = []
    keywords_all: list[str] = []
    has_link: bool | None = None
    author_handles: list[str] = []
    min_followers: int | None = None
    max_followers: int | None = None


class ActionsIn(BaseModel):
    hide_reason: str | None = None
    tag: str | None = None
    assign_to: int | None = None
    acknowledge: bool = False


class RuleIn(BaseModel):
    name: str
    enabled: bool = True
    conditions: ConditionsIn
    actions: ActionsIn

    def domain(self) -> tuple[RuleConditions, RuleActions]:
        return (
            RuleConditions.from_dict(self.conditions.model_dump()),
            RuleActions.from_dict(self.actions.model_dump()),
        )


class RulePublic(BaseModel):
    id: int
    name: str
    enabled: bool
    conditions: dict[str, Any]
    actions: dict[str, Any]

    @classmethod
    def of(cls, rule: ModerationRule) -> RulePublic:
        return cls(
            id=rule.id,
            name=rule.name,
            enabled=rule.enabled,
            conditions=rule.conditions.to_dict(),
            actions=rule.actions.to_dict(),
        )


class DryRunPublic(BaseModel):
    rule_name: str
    since: datetime
    scanned: int
    matched: int
    would: dict[str, int]
    sample: list[dict[str, Any]]

    @classmethod
    def of(cls, report: DryRunReport) -> DryRunPublic:
        return cls(
            rule_name=report.rule_name,
            since=report.since,
            scanned=report.scanned,
            matched=report.matched,
            would=report.would,
            sample=report.sample,
        )


class ErasureCreate(BaseModel):
    platform: str
    handle: str = Field(description="The author's handle on that platform.")
    requested_by: str = Field(description="Who asked: the data subject or their representative.")
    legal_reason: str = Field(description="The legal ground, e.g. GDPR art. 17 and how it came.")
    received_at: datetime | None = None
    confirmation: str | None = Field(
        default=None,
        description=(
            "The author's handle, typed again: erases at once, and only where you are the "
            "workspace's sole owner or admin. Elsewhere the request waits for another "
            "owner or admin to approve it."
        ),
    )


class ErasurePreviewPublic(BaseModel):
    platform: str
    handle: str
    posts: int
    cases: int
    replies: int
    notes: int


class ErasurePublic(BaseModel):
    request_id: int
    status: str = Field(default="completed", description="pending or completed")
    pseudonym: str | None = None
    posts_redacted: int = 0
    completed_at: datetime | None = None
    preview: ErasurePreviewPublic | None = None


class ErasureApproval(BaseModel):
    confirmation: str | None = Field(
        default=None,
        description="Needed only when approving your own request as the sole owner or admin.",
    )


class ErasureRejection(BaseModel):
    reason: str


class AuditEntryPublic(BaseModel):
    id: int | None
    at: datetime
    action: str
    actor_user_id: int | None
    actor_name: str
    actor_rule: str | None
    subject: str
    reason: str
    data: dict[str, Any]


class AuditPagePublic(BaseModel):
    items: list[AuditEntryPublic]
    total: int
    page: int
    pages: int
