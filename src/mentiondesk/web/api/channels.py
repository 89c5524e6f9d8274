"""API v1 for channel accounts: list, connect with a token, pause, resume, forget (the
account and its token; its posts and cases stay), reconcile. Tokens go in and never come out."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from mentiondesk.bootstrap import Services
from mentiondesk.desk.channels import (
    MetaApp,
    do_connect_channel,
    do_pause_channel,
    do_remove_channel,
    do_resume_channel,
    list_channels,
)
from mentiondesk.domain.channels import ChannelAccount
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.posts import Platform
from mentiondesk.web.deps import ActorDep, ServicesDep, WriteActorDep

router = APIRouter(prefix="/api/v1/workspaces/{slug}/channels", tags=["channels"])


class ChannelConnect(BaseModel):
    platform: Platform
    external_id: str = Field(min_length=1, max_length=100, description="Page or IG account id")
    token: str = Field(min_length=1, max_length=2000, description="Page / system-user token")
    messaging_id: str | None = Field(
        default=None, max_length=100, description="Instagram: the linked Facebook Page id"
    )


class ChannelPublic(BaseModel):
    id: int
    platform: str
    external_id: str
    name: str
    state: str
    state_reason: str
    subscription: str
    development: bool
    last_event_at: datetime | None
    token_expires_at: datetime | None
    kind: str = Field(description="facebook, instagram, bluesky, mastodon, reddit, rss or x")
    listened: bool = Field(description="Heard by `mentiondesk listen` rather than webhooks.")
    lag_seconds: float | None = None
    last_error: str = ""
    last_error_at: datetime | None = None
    retry_at: datetime | None = None
    spent_usd: str | None = Field(default=None, description="X: spent this month.")
    monthly_budget_usd: str | None = Field(default=None, description="X: the monthly cap.")

    @classmethod
    def of(cls, account: ChannelAccount, now: datetime) -> ChannelPublic:
        return cls(
            id=account.id,
            platform=account.platform.value,
            external_id=account.external_id,
            name=account.name,
            state=account.shown_state(now).value,
            state_reason=account.state_reason,
            subscription=account.subscription.value,
            development=account.development,
            last_event_at=account.last_event_at,
            token_expires_at=account.token_expires_at,
            kind=account.kind,
            listened=account.listened,
            lag_seconds=account.health.lag_seconds,
            last_error=account.health.last_error,
            last_error_at=account.health.last_error_at,
            retry_at=account.health.retry_at,
            spent_usd=account.health.spent_usd if account.platform is Platform.X else None,
            monthly_budget_usd=account.config.get("monthly_budget"),
        )


class ReconcilePublic(BaseModel):
    accounts: int
    read: int
    ingested: int
    failed: list[str]


def _meta(services: Services) -> MetaApp:
    if services.meta is None:
        raise InvalidInput("meta", "this installation has no Meta app configured")
    return services.meta


@router.get("", response_model=list[ChannelPublic])
def list_(services: ServicesDep, actor: ActorDep, slug: str) -> list[ChannelPublic]:
    now = services.clock.now()
    with services.uow() as uow:
        return [ChannelPublic.of(a, now) for a in list_channels(uow, actor)]


@router.post("", response_model=ChannelPublic, status_code=201)
def connect(
    services: ServicesDep, actor: WriteActorDep, slug: str, body: ChannelConnect
) -> ChannelPublic:
    """Check the token against Graph, subscribe the app to the account's webhooks, store it
    sealed. Connecting a stored account again replaces its token."""
    now = services.clock.now()
    with services.uow() as uow:
        account = do_connect_channel(
            uow,
            actor,
            body.platform,
            body.external_id,
            body.token,
            app=_meta(services),
            now=now,
            messaging_id=body.messaging_id,
        )
    return ChannelPublic.of(account, now)


@router.post("/{account_id}/pause", status_code=204)
def pause(services: ServicesDep, actor: WriteActorDep, slug: str, account_id: int) -> None:
    with services.uow() as uow:
        do_pause_channel(uow, actor, account_id, now=services.clock.now())


@router.post("/{account_id}/resume", status_code=204)
def resume(services: ServicesDep, actor: WriteActorDep, slug: str, account_id: int) -> None:
    with services.uow() as uow:
        do_resume_channel(uow, actor, account_id, now=services.clock.now())


@router.post("/{account_id}/forget", status_code=204)
def forget(services: ServicesDep, actor: WriteActorDep, slug: str, account_id: int) -> None:
    with services.uow() as uow:
        do_remove_channel(uow, actor, account_id, now=services.clock.now())


@router.post("/reconcile", response_model=ReconcilePublic)
def reconcile(services: ServicesDep, actor: WriteActorDep, slug: str) -> ReconcilePublic:
    """Read the workspace's Pages' recent posts and comments and add what is missing."""
    actor.require_settings()
    _meta(services)
    report = services.reconcile_meta(actor.workspace.id)
    return ReconcilePublic(
        accounts=report.accounts,
        read=report.read,
        ingested=report.ingested,
        failed=report.failed or [],
    )
