"""Alerts and their notes: rows ↔ ``AlertRecord``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Row, func, select, update

from mentiondesk.domain.alerts import AlertRecord, AlertState
from mentiondesk.storage import tables as t
from mentiondesk.storage.repositories._insert import insert_ignoring_conflict, insert_returning_id
from mentiondesk.storage.tables_alerts import alert_notes, alerts

ROTA_KEY = "oncall"


def _record(row: Row[Any]) -> AlertRecord:
    return AlertRecord(
        id=row.id,
        workspace_id=row.workspace_id,
        kind=row.kind,
        channel=row.channel,
        title=row.title,
        started_at=row.started_at,
        raised_at=row.raised_at,
        state=AlertState(row.state),
        posts=tuple(row.posts),
        case_id=row.case_id,
        level=row.level,
        notified=tuple(row.notified),
        detail=dict(row.detail),
        acknowledged_at=row.acknowledged_at,
        acknowledged_by=row.acknowledged_by,
        resolved_at=row.resolved_at,
    )


# A post the crisis detector counts: negative, or a complaint (whatever its tone).
_NEGATIVE = (t.posts.c.sentiment == "negative") | (t.posts.c.intent == "complaint")


class PostSignal(NamedTuple):
    """What the crisis detector reads of a stored post."""

    id: int
    channel: str
    at: datetime
    thread: str | None
    is_reply: bool
    negative: bool  # negative sentiment or a complaint


class AlertRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, alert: AlertRecord, dedupe_key: str) -> int | None:
        """Store a new alert; None when one with ``dedupe_key`` exists already."""
        return insert_ignoring_conflict(
            self._conn,
            alerts,
            {
                "workspace_id": alert.workspace_id,
                "kind": alert.kind,
                "channel": alert.channel,
                "title": alert.title[:300],
                "started_at": alert.started_at,
                "raised_at": alert.raised_at,
                "state": alert.state.value,
                "posts": list(alert.posts),
                "case_id": alert.case_id,
                "level": alert.level,
                "notified": list(alert.notified),
                "detail": alert.detail,
                "dedupe_key": dedupe_key,
            },
        )

    def get(self, workspace_id: int, alert_id: int) -> AlertRecord | None:
        row = self._conn.execute(
            select(alerts).where(alerts.c.workspace_id == workspace_id, alerts.c.id == alert_id)
        ).first()
        return _record(row) if row else None

    def in_workspace(
        self, workspace_id: int, states: Sequence[AlertState] = (), limit: int = 200
    ) -> list[AlertRecord]:
        query = select(alerts).where(alerts.c.workspace_id == workspace_id)
        if states:
            query = query.where(alerts.c.state.in_([s.value for s in states]))
        rows = self._conn.execute(query.order_by(alerts.c.raised_at.desc(), alerts.c.id.desc()))
        return [_record(r) for r in rows.fetchmany(limit)]

    def count_open(self, workspace_id: int) -> int:
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(alerts)
                .where(
                    alerts.c.workspace_id == workspace_id,
                    alerts.c.state == AlertState.OPEN.value,
                )
            ).scalar_one()
        )

    def open_everywhere(self) -> list[AlertRecord]:
        """Every unacknowledged alert of every workspace (the escalation sweep)."""
        rows = self._conn.execute(
            select(alerts).where(alerts.c.state == AlertState.OPEN.value).order_by(alerts.c.id)
        )
        return [_record(r) for r in rows]

    def set_state(
        self,
        alert_id: int,
        state: AlertState,
        *,
        expected: Sequence[AlertState],
        at: datetime,
        user_id: int | None,
    ) -> bool:
        """Move an alert on if it is still in one of ``expected`` (two people acknowledging
        at once: one wins)."""
        values: dict[str, Any] = {"state": state.value}
        if state is AlertState.ACKNOWLEDGED:
            values |= {"acknowledged_at": at, "acknowledged_by": user_id}
        if state is AlertState.RESOLVED:
            values |= {"resolved_at": at}
        result = self._conn.execute(
            update(alerts)
            .where(alerts.c.id == alert_id, alerts.c.state.in_([s.value for s in expected]))
            .values(**values)
        )
        return result.rowcount == 1

    def escalate(self, alert_id: int, from_level: int, to_level: int, notified: list[int]) -> bool:
        """Record a step of escalation once (a sweep racing another moves it only once)."""
        result = self._conn.execute(
            update(alerts)
            .where(
                alerts.c.id == alert_id,
                alerts.c.level == from_level,
                alerts.c.state == AlertState.OPEN.value,
            )
            .values(level=to_level, notified=notified)
        )
        return result.rowcount == 1

    def add_note(
        self, alert_id: int, user_id: int | None, author: str, text: str, at: datetime
    ) -> int:
        return insert_returning_id(
            self._conn,
            alert_notes,
            {
                "alert_id": alert_id,
                "user_id": user_id,
                "author": author,
                "text": text,
                "created_at": at,
            },
        )

    def notes(self, alert_id: int) -> list[dict[str, Any]]:
        rows = self._conn.execute(
            select(alert_notes.c.author, alert_notes.c.text, alert_notes.c.created_at)
            .where(alert_notes.c.alert_id == alert_id)
            .order_by(alert_notes.c.created_at, alert_notes.c.id)
        )
        return [{"author": r.author, "text": r.text, "at": r.created_at} for r in rows]

    # -- the rota, kept in the workspace's settings ---------------------------------------------
    def rota(self, workspace_id: int) -> dict[str, Any] | None:
        stored = self._conn.execute(
            select(t.workspaces.c.settings).where(t.workspaces.c.id == workspace_id)
        ).scalar_one_or_none()
        value = (stored or {}).get(ROTA_KEY)
        return dict(value) if isinstance(value, dict) else None

    def put_rota(self, workspace_id: int, data: dict[str, Any]) -> None:
        stored = self._conn.execute(
            select(t.workspaces.c.settings).where(t.workspaces.c.id == workspace_id)
        ).scalar_one()
        self._conn.execute(
            update(t.workspaces)
            .where(t.workspaces.c.id == workspace_id)
            .values(settings={**(stored or {}), ROTA_KEY: data})
        )

    # -- what the crisis detector learns from ---------------------------------------------------
    def post_signals(self, workspace_id: int, post_ids: Sequence[int]) -> list[PostSignal]:
        """What the crisis detector reads of each of the workspace's posts ``post_ids``."""
        p = t.posts
        found: list[PostSignal] = []
        for start in range(0, len(post_ids), 500):
            rows = self._conn.execute(
                select(
                    p.c.id,
                    p.c.platform,
                    p.c.created_at,
                    p.c.thread_key,
                    p.c.in_reply_to,
                    _NEGATIVE.label("negative"),
                ).where(
                    p.c.workspace_id == workspace_id,
                    p.c.id.in_(list(post_ids[start : start + 500])),
                )
            )
            found.extend(
                PostSignal(
                    r.id,
                    r.platform,
                    r.created_at,
                    r.thread_key,
                    r.in_reply_to is not None,
                    bool(r.negative),  # NULL labels: not negative
                )
                for r in rows
            )
        return found

    def negative_posts(
        self, workspace_id: int, since: datetime, until: datetime
    ) -> list[tuple[int, str, datetime, str | None, bool]]:
        """Negative posts and complaints in [since, until), oldest first: id, channel, time,
        thread, whether it answers another post."""
        p = t.posts
        rows = self._conn.execute(
            select(p.c.id, p.c.platform, p.c.created_at, p.c.thread_key, p.c.in_reply_to)
            .where(
                p.c.workspace_id == workspace_id,
                p.c.created_at >= since,
                p.c.created_at < until,
                _NEGATIVE,
            )
            .order_by(p.c.created_at, p.c.id)
        )
        return [
            (r.id, r.platform, r.created_at, r.thread_key, r.in_reply_to is not None) for r in rows
        ]
