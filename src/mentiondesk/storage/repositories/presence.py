"""Heartbeats of agents on cases: who is viewing or typing (see ``domain/presence.py``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, select, update

from mentiondesk.domain.presence import Presence, PresenceState, next_state
from mentiondesk.storage import tables as t
from mentiondesk.storage import tables_assignment as ta


class PresenceRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def report(
        self, workspace_id: int, case_id: int, user_id: int, state: PresenceState, now: datetime
    ) -> None:
        p = ta.case_presence
        row = self._conn.execute(
            select(p.c.state, p.c.heartbeat_at).where(
                p.c.case_id == case_id, p.c.user_id == user_id
            )
        ).first()
        if row is None:
            self._conn.execute(
                p.insert().values(
                    case_id=case_id,
                    user_id=user_id,
                    workspace_id=workspace_id,
                    state=state.value,
                    heartbeat_at=now,
                )
            )
            return
        stored, at = next_state(PresenceState(row.state), row.heartbeat_at, state, now)
        self._conn.execute(
            update(p)
            .where(p.c.case_id == case_id, p.c.user_id == user_id)
            .values(state=stored.value, heartbeat_at=at)
        )

    def for_case(self, workspace_id: int, case_id: int) -> list[Presence]:
        p = ta.case_presence
        rows = self._conn.execute(
            select(p.c.user_id, p.c.state, p.c.heartbeat_at, t.users.c.name)
            .join(t.users, t.users.c.id == p.c.user_id)
            .where(p.c.workspace_id == workspace_id, p.c.case_id == case_id)
        )
        return [Presence(r.user_id, r.name, PresenceState(r.state), r.heartbeat_at) for r in rows]

    def leave(self, case_id: int, user_id: int) -> None:
        p = ta.case_presence
        self._conn.execute(delete(p).where(p.c.case_id == case_id, p.c.user_id == user_id))
