"""Channel accounts, their tokens sealed by the ``SecretBox`` and handed out in plain text; the
listener's health and its cursors (one row per channel and stream)."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from mentiondesk.domain.channels import (
    ChannelAccount,
    ChannelHealth,
    ChannelState,
    Subscription,
)
from mentiondesk.domain.posts import Platform
from mentiondesk.storage.repositories._insert import insert_returning_id
from mentiondesk.storage.secret_box import SecretBox
from mentiondesk.storage.tables_channels import channel_accounts as t
from mentiondesk.storage.tables_channels import channel_cursors as c

__all__ = ["ChannelRepository"]


class ChannelRepository:
    def __init__(self, conn: Connection, secret_box: SecretBox | None = None) -> None:
        self._conn = conn
        self._box = secret_box

    def _require_box(self) -> SecretBox:
        if self._box is None:
            raise RuntimeError("channel tokens need a unit of work built with a SecretBox")
        return self._box

    def add(self, account: ChannelAccount, *, now: datetime) -> int:
        return insert_returning_id(
            self._conn,
            t,
            dict(
                workspace_id=account.workspace_id,
                platform=account.platform.value,
                external_id=account.external_id,
                name=account.name,
                token=self._require_box().seal(account.token),
                messaging_id=account.messaging_id,
                state=account.state.value,
                state_reason=account.state_reason,
                subscription=account.subscription.value,
                token_expires_at=account.token_expires_at,
                config=account.config,
                created_at=now,
                updated_at=now,
            ),
        )

    def get(self, workspace_id: int, account_id: int) -> ChannelAccount | None:
        row = self._conn.execute(
            select(t).where(t.c.workspace_id == workspace_id, t.c.id == account_id)
        ).first()
        return self._account(row) if row else None

    def by_external(self, platform: Platform, external_id: str) -> ChannelAccount | None:
        row = self._conn.execute(
            select(t).where(t.c.platform == platform.value, t.c.external_id == external_id)
        ).first()
        return self._account(row) if row else None

    def for_workspace(self, workspace_id: int) -> list[ChannelAccount]:
        rows = self._conn.execute(
            select(t).where(t.c.workspace_id == workspace_id).order_by(t.c.platform, t.c.id)
        )
        return [self._account(r) for r in rows]

    def all(self) -> list[ChannelAccount]:
        return [self._account(r) for r in self._conn.execute(select(t).order_by(t.c.id))]

    def reconciled_at(self, account_id: int) -> datetime | None:
        value = self._conn.execute(
            select(t.c.reconciled_at).where(t.c.id == account_id)
        ).scalar_one_or_none()
        return value if isinstance(value, datetime) else None

    def update(self, account_id: int, *, now: datetime, **values: Any) -> None:
        """Change the named columns; ``token`` is sealed, enums are stored by value."""
        if "token" in values:
            values["token"] = self._require_box().seal(values["token"])
        for key in ("state", "subscription", "platform"):
            if key in values and hasattr(values[key], "value"):
                values[key] = values[key].value
        self._conn.execute(update(t).where(t.c.id == account_id).values(updated_at=now, **values))

    def touch(self, account_id: int, at: datetime) -> None:
        """Record that an event arrived (without moving ``updated_at``, an admin's change)."""
        self._conn.execute(update(t).where(t.c.id == account_id).values(last_event_at=at))

    def record_health(self, account_id: int, **values: Any) -> None:
        """The listener's view of the channel (lag, last error, retry, spend); leaves
        ``updated_at`` alone, which tracks an admin's changes."""
        self._conn.execute(update(t).where(t.c.id == account_id).values(**values))

    def store_secrets(self, account_id: int, secrets: dict[str, str]) -> None:
        """Seal and keep an open channel's secrets (a refreshed session) without counting it
        as an admin's change (``updated_at`` stays)."""
        sealed = self._require_box().seal(json.dumps(secrets, sort_keys=True))
        self._conn.execute(update(t).where(t.c.id == account_id).values(token=sealed))

    def add_spend(self, account_id: int, usd: Decimal, month: str) -> None:
        """Count ``usd`` more against the channel's month (X): the listener and the outbox may
        both spend, in different processes, so each adds what it spent."""
        row = self._conn.execute(
            select(t.c.spent_usd, t.c.spent_month).where(t.c.id == account_id)
        ).first()
        if row is None:
            return
        spent = Decimal(row.spent_usd or "0") if row.spent_month == month else Decimal("0")
        self._conn.execute(
            update(t)
            .where(t.c.id == account_id)
            .values(spent_usd=str(spent + usd), spent_month=month)
        )

    def cursors(self, account_id: int) -> dict[str, str]:
        """Where each of the channel's streams resumes."""
        rows = self._conn.execute(select(c.c.stream, c.c.value).where(c.c.channel_id == account_id))
        return {r.stream: r.value for r in rows}

    def set_cursors(self, account_id: int, values: dict[str, str], *, now: datetime) -> None:
        """Store the streams' cursors (in the caller's transaction, beside what they cover)."""
        known = self.cursors(account_id)
        for stream, value in values.items():
            if stream not in known:
                self._conn.execute(
                    insert(c).values(
                        channel_id=account_id, stream=stream, value=value, updated_at=now
                    )
                )
            elif known[stream] != value:
                self._conn.execute(
                    update(c)
                    .where(c.c.channel_id == account_id, c.c.stream == stream)
                    .values(value=value, updated_at=now)
                )

    def remove(self, account_id: int) -> None:
        self._conn.execute(delete(t).where(t.c.id == account_id))

    def reseal_all(self, new_box: SecretBox) -> int:
        """Open every token with this box and seal it with ``new_box`` (key rotation)."""
        box = self._require_box()
        rows = list(self._conn.execute(select(t.c.id, t.c.token)))
        for r in rows:
            sealed = new_box.seal(box.open(r.token))
            self._conn.execute(update(t).where(t.c.id == r.id).values(token=sealed))
        return len(rows)

    def _account(self, row: Row[Any]) -> ChannelAccount:
        return ChannelAccount(
            id=row.id,
            workspace_id=row.workspace_id,
            platform=Platform(row.platform),
            external_id=row.external_id,
            name=row.name,
            state=ChannelState(row.state),
            subscription=Subscription(row.subscription),
            token=self._require_box().open(row.token),
            messaging_id=row.messaging_id,
            state_reason=row.state_reason or "",
            token_expires_at=row.token_expires_at,
            last_event_at=row.last_event_at,
            created_at=row.created_at,
            updated_at=row.updated_at,
            config=dict(row.config or {}),
            health=ChannelHealth(
                lag_seconds=row.lag_seconds,
                last_error=row.last_error or "",
                last_error_at=row.last_error_at,
                retry_at=row.retry_at,
                spent_usd=row.spent_usd or "0",
                spent_month=row.spent_month,
            ),
        )
