"""API v1 for integrations: API tokens (people only: a token cannot make tokens) and
outgoing event-webhook subscriptions with their latest deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from mentiondesk.desk.api_tokens import do_create_token, do_revoke_token, tokens_for
from mentiondesk.desk.event_webhooks import (
    do_add_webhook,
    do_remove_webhook,
    do_send_test_event,
    do_set_webhook_paused,
    webhook_views,
)
from mentiondesk.domain.integrations import ApiToken, WebhookSubscription
from mentiondesk.domain.outbox import OutboxItem
from mentiondesk.web.deps import ActorDep, ServicesDep, WriteActorDep

router = APIRouter(prefix="/api/v1/workspaces/{slug}", tags=["integrations"])


class TokenCreate(BaseModel):
    name: str = Field(max_length=200)
    scopes: list[str] = Field(max_length=3)
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class TokenPublic(BaseModel):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    state: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, t: ApiToken, now: datetime) -> TokenPublic:
        return cls(
            id=t.id,
            name=t.name,
            prefix=t.prefix,
            scopes=[s.value for s in t.scopes],
            state=t.state(now),
            created_at=t.created_at,
            expires_at=t.expires_at,
            last_used_at=t.last_used_at,
            revoked_at=t.revoked_at,
        )


class TokenCreated(TokenPublic):
    token: str = Field(description="The secret: shown this once, never again.")


class WebhookCreate(BaseModel):
    url: str = Field(max_length=2000)
    events: list[str] = Field(max_length=20)
    description: str = Field(default="", max_length=2000)


class WebhookUpdate(BaseModel):
    paused: bool


class DeliveryPublic(BaseModel):
    id: int
    event: str
    status: str
    attempts: int
    created_at: datetime | None
    done_at: datetime | None
    next_attempt_at: datetime | None
    response: str | None
    failure_reason: str | None

    @classmethod
    def of(cls, item: OutboxItem) -> DeliveryPublic:
        return cls(
            id=item.id,
            event=str(item.payload.get("event", "")),
            status=item.status.value,
            attempts=item.attempts,
            created_at=item.created_at,
            done_at=item.done_at,
            next_attempt_at=item.next_attempt_at,
            response=item.platform_ref,
            failure_reason=item.failure_reason,
        )


class WebhookPublic(BaseModel):
    id: int
    url: str
    events: list[str]
    description: str
    paused: bool
    created_at: datetime
    deliveries: list[DeliveryPublic] = []

    @classmethod
    def of(cls, s: WebhookSubscription, deliveries: Sequence[OutboxItem] = ()) -> WebhookPublic:
        return cls(
            id=s.id,
            url=s.url,
            events=list(s.events),
            description=s.description,
            paused=s.paused,
            created_at=s.created_at,
            deliveries=[DeliveryPublic.of(d) for d in deliveries],
        )


class WebhookCreated(WebhookPublic):
    secret: str = Field(description="Signs every call; shown this once, never again.")


@router.get("/tokens", response_model=list[TokenPublic])
def list_tokens(services: ServicesDep, actor: ActorDep, slug: str) -> list[TokenPublic]:
    now = services.clock.now()
    with services.uow() as uow:
        return [TokenPublic.of(t, now) for t in tokens_for(uow, actor)]


@router.post("/tokens", response_model=TokenCreated, status_code=201)
def create_token(
    services: ServicesDep, actor: WriteActorDep, slug: str, body: TokenCreate
) -> TokenCreated:
    now = services.clock.now()
    with services.uow() as uow:
        made = do_create_token(
            uow, actor, body.name, body.scopes, now=now, expires_in_days=body.expires_in_days
        )
    return TokenCreated(**TokenPublic.of(made.token, now).model_dump(), token=made.secret)


@router.delete("/tokens/{ref}", response_model=TokenPublic)
def revoke_token(services: ServicesDep, actor: WriteActorDep, slug: str, ref: str) -> TokenPublic:
    """Revoke by id or by the prefix the list shows."""
    now = services.clock.now()
    with services.uow() as uow:
        return TokenPublic.of(do_revoke_token(uow, actor, ref[:100], now=now), now)


@router.get("/webhooks", response_model=list[WebhookPublic])
def list_webhooks(services: ServicesDep, actor: ActorDep, slug: str) -> list[WebhookPublic]:
    """Each subscription with its ten latest deliveries, newest first."""
    with services.uow() as uow:
        return [WebhookPublic.of(v.subscription, v.deliveries) for v in webhook_views(uow, actor)]


@router.post("/webhooks", response_model=WebhookCreated, status_code=201)
def add_webhook(
    services: ServicesDep, actor: WriteActorDep, slug: str, body: WebhookCreate
) -> WebhookCreated:
    with services.uow() as uow:
        added = do_add_webhook(
            uow,
            actor,
            body.url,
            body.events,
            now=services.clock.now(),
            description=body.description,
        )
    return WebhookCreated(**WebhookPublic.of(added.subscription).model_dump(), secret=added.secret)


@router.patch("/webhooks/{subscription_id}", response_model=WebhookPublic)
def update_webhook(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    subscription_id: int,
    body: WebhookUpdate,
) -> WebhookPublic:
    """Pause (``{"paused": true}``) or resume a subscription."""
    with services.uow() as uow:
        updated = do_set_webhook_paused(
            uow, actor, subscription_id, body.paused, now=services.clock.now()
        )
    return WebhookPublic.of(updated)


@router.delete("/webhooks/{subscription_id}", status_code=204)
def remove_webhook(
    services: ServicesDep, actor: WriteActorDep, slug: str, subscription_id: int
) -> Response:
    with services.uow() as uow:
        do_remove_webhook(uow, actor, subscription_id, now=services.clock.now())
    return Response(status_code=204)


@router.post("/webhooks/{subscription_id}/test", response_model=DeliveryPublic)
def test_webhook(
    services: ServicesDep, actor: WriteActorDep, slug: str, subscription_id: int
) -> DeliveryPublic:
    """Send a ``webhook.test`` event now; the answer is how that first attempt went."""
    with services.uow() as uow:
        return DeliveryPublic.of(
            do_send_test_event(uow, actor, subscription_id, now=services.clock.now())
        )
