"""Failed sign-ins per key ("account:<e-mail>", "address:<ip>"), kept in the database so that
every worker process counts the same failures."""

from __future__ import annotations

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.exc import IntegrityError

from mentiondesk.domain.throttle import ThrottleState
from mentiondesk.storage import tables_accounts as ta


class ThrottleRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, key: str) -> ThrottleState:
        row = self._conn.execute(
            select(ta.login_throttles).where(ta.login_throttles.c.key == key)
        ).first()
        if row is None:
            return ThrottleState()
        return ThrottleState(row.failures, row.last_failure_at, row.locked_until)

    def save(self, key: str, state: ThrottleState) -> None:
        values = {
            "failures": state.failures,
            "last_failure_at": state.last_failure_at,
            "locked_until": state.locked_until,
        }
        updated = self._conn.execute(
            update(ta.login_throttles).where(ta.login_throttles.c.key == key).values(**values)
        ).rowcount
        if updated:
            return
        savepoint = self._conn.begin_nested()
        try:
            self._conn.execute(ta.login_throttles.insert().values(key=key, **values))
            savepoint.commit()
        except IntegrityError:  # another worker inserted it first: count on its row
            savepoint.rollback()
            self._conn.execute(
                update(ta.login_throttles).where(ta.login_throttles.c.key == key).values(**values)
            )

    def clear(self, key: str) -> None:
        self._conn.execute(delete(ta.login_throttles).where(ta.login_throttles.c.key == key))
