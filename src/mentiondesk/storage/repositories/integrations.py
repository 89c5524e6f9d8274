"""API tokens and webhook subscriptions: rows ↔ ``domain.integrations`` values.

A subscription's secret is sealed by the ``SecretBox`` and opened only to sign a call."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Row, delete, select, update

from mentiondesk.domain.integrations import ApiToken, TokenScope, WebhookSubscription
from mentiondesk.domain.outbox import OutboxItem, PlatformAction
from mentiondesk.storage.repositories._insert import insert_returning_id
from mentiondesk.storage.repositories.outbox import _item
from mentiondesk.storage.tables_effects import outbox
from mentiondesk.storage.tables_integrations import api_tokens, webhook_subscriptions

if TYPE_CHECKING:
    from mentiondesk.storage.secret_box import SecretBox


def _token(row: Row[Any]) -> ApiToken:
    return ApiToken(
        id=row.id,
        workspace_id=row.workspace_id,
        name=row.name,
        prefix=row.prefix,
        scopes=tuple(TokenScope(s) for s in row.scopes),
        user_id=row.user_id,
        created_at=row.created_at,
        created_by=row.created_by,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


def _subscription(row: Row[Any]) -> WebhookSubscription:
    return WebhookSubscription(
        id=row.id,
        workspace_id=row.workspace_id,
        url=row.url,
        events=tuple(row.events),
        created_at=row.created_at,
        paused=bool(row.paused),
        description=row.description,
    )


def delivery_key_prefix(subscription_id: int) -> str:
    """Every outbox row of a subscription has a dedupe key starting so."""
    return f"hook:{subscription_id}:"


class ApiTokenRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, token: ApiToken, token_hash: str) -> int:
        return insert_returning_id(
            self._conn,
            api_tokens,
            {
                "workspace_id": token.workspace_id,
                "name": token.name,
                "prefix": token.prefix,
                "token_hash": token_hash,
                "scopes": [s.value for s in token.scopes],
                "user_id": token.user_id,
                "created_by": token.created_by,
                "created_at": token.created_at,
                "expires_at": token.expires_at,
            },
        )

    def by_hash(self, token_hash: str) -> ApiToken | None:
        row = self._conn.execute(
            select(api_tokens).where(api_tokens.c.token_hash == token_hash)
        ).first()
        return _token(row) if row else None

    def get(self, workspace_id: int, token_id: int) -> ApiToken | None:
        row = self._conn.execute(
            select(api_tokens).where(
                api_tokens.c.workspace_id == workspace_id, api_tokens.c.id == token_id
            )
        ).first()
        return _token(row) if row else None

    def in_workspace(self, workspace_id: int) -> list[ApiToken]:
        rows = self._conn.execute(
            select(api_tokens)
            .where(api_tokens.c.workspace_id == workspace_id)
            .order_by(api_tokens.c.created_at.desc(), api_tokens.c.id.desc())
        )
        return [_token(r) for r in rows]

    def revoke(self, token_id: int, at: datetime) -> bool:
        done = self._conn.execute(
            update(api_tokens)
            .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return done.rowcount == 1

    def touch(self, token_id: int, at: datetime) -> None:
        self._conn.execute(
            update(api_tokens).where(api_tokens.c.id == token_id).values(last_used_at=at)
        )


class WebhookSubscriptionRepository:
    def __init__(self, conn: Connection, secret_box: SecretBox | None = None) -> None:
        self._conn = conn
        self._box = secret_box

    def _require_box(self) -> SecretBox:
        if self._box is None:
            raise RuntimeError("webhook secrets need the SecretBox (built by bootstrap)")
        return self._box

    def add(self, subscription: WebhookSubscription, secret: str, created_by: int | None) -> int:
        return insert_returning_id(
            self._conn,
            webhook_subscriptions,
            {
                "workspace_id": subscription.workspace_id,
                "url": subscription.url,
                "events": list(subscription.events),
                "secret": self._require_box().seal(secret),
                "description": subscription.description,
                "paused": subscription.paused,
                "created_by": created_by,
                "created_at": subscription.created_at,
            },
        )

    def get(self, workspace_id: int, subscription_id: int) -> WebhookSubscription | None:
        row = self._conn.execute(
            select(webhook_subscriptions).where(
                webhook_subscriptions.c.workspace_id == workspace_id,
                webhook_subscriptions.c.id == subscription_id,
            )
        ).first()
        return _subscription(row) if row else None

    def in_workspace(self, workspace_id: int) -> list[WebhookSubscription]:
        rows = self._conn.execute(
            select(webhook_subscriptions)
            .where(webhook_subscriptions.c.workspace_id == workspace_id)
            .order_by(webhook_subscriptions.c.id)
        )
        return [_subscription(r) for r in rows]

    def listening(self, workspace_id: int, event: str) -> list[WebhookSubscription]:
        """The active subscriptions of the workspace that hear ``event``."""
        return [s for s in self.in_workspace(workspace_id) if not s.paused and event in s.events]

    def secret(self, subscription_id: int) -> str | None:
        sealed = self._conn.execute(
            select(webhook_subscriptions.c.secret).where(
                webhook_subscriptions.c.id == subscription_id
            )
        ).scalar_one_or_none()
        return None if sealed is None else self._require_box().open(sealed)

    def set_paused(self, subscription_id: int, paused: bool) -> None:
        self._conn.execute(
            update(webhook_subscriptions)
            .where(webhook_subscriptions.c.id == subscription_id)
            .values(paused=paused)
        )

    def remove(self, subscription_id: int) -> None:
        self._conn.execute(
            delete(webhook_subscriptions).where(webhook_subscriptions.c.id == subscription_id)
        )

    def deliveries(
        self, workspace_id: int, subscription_id: int, limit: int = 10
    ) -> list[OutboxItem]:
        """The subscription's latest calls, newest first, as the outbox holds them."""
        rows = self._conn.execute(
            select(outbox)
            .where(outbox.c.workspace_id == workspace_id)
            .where(outbox.c.action == PlatformAction.NOTIFY_WEBHOOK.value)
            .where(outbox.c.dedupe_key.startswith(delivery_key_prefix(subscription_id)))
            .order_by(outbox.c.id.desc())
            .limit(limit)
        )
        return [_item(r) for r in rows]

    def reseal_all(self, new_box: SecretBox) -> int:
        """Open every secret with this box and seal it with ``new_box`` (key rotation)."""
        box = self._require_box()
        rows = self._conn.execute(
            select(webhook_subscriptions.c.id, webhook_subscriptions.c.secret)
        ).all()
        for r in rows:
            self._conn.execute(
                update(webhook_subscriptions)
                .where(webhook_subscriptions.c.id == r.id)
                .values(secret=new_box.seal(box.open(r.secret)))
            )
        return len(rows)
