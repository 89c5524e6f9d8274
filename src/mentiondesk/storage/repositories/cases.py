"""Cases, saved with optimistic concurrency so two agents never silently overwrite each other."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from mentiondesk.domain.cases import Case, CaseStatus
from mentiondesk.domain.errors import ConcurrentChange
from mentiondesk.domain.posts import Platform
from mentiondesk.storage import tables as t
from mentiondesk.storage.repositories._insert import insert_returning_id
from mentiondesk.storage.tables_sla import case_status_changes

_SAVE = (
    update(t.cases)
    .where(t.cases.c.id == bindparam("b_id"))
    .where(t.cases.c.version == bindparam("b_version"))
)


def case_from_row(row: Any) -> Case:
    return Case(
        id=row.id,
        workspace_id=row.workspace_id,
        author_id=row.author_id,
        platform=Platform(row.platform),
        thread_key=row.thread_key,
        status=CaseStatus(row.status),
        opened_at=row.opened_at,
        last_activity_at=row.last_activity_at,
        assignee_id=row.assignee_id,
        priority=row.priority,
        first_response_at=row.first_response_at,
        resolved_at=row.resolved_at,
        version=row.version,
        snoozed_until=row.snoozed_until,
        merged_into_id=row.merged_into_id,
    )


class CaseRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self,
        case: Case,
        *,
        needs_reply: bool,
        language: str | None,
        sentiment: str | None,
        tagged: bool,
        intent: str | None = None,
        summary: str,
        mention_kind: str | None = None,
        search_text: str | None = None,
    ) -> int:
        case.id = insert_returning_id(
            self._conn,
            t.cases,
            dict(
                workspace_id=case.workspace_id,
                author_id=case.author_id,
                platform=case.platform.value,
                thread_key=case.thread_key,
                status=case.status.value,
                assignee_id=case.assignee_id,
                priority=case.priority,
                needs_reply=needs_reply,
                language=language,
                sentiment=sentiment,
                intent=intent,
                tagged=tagged,
                summary=summary[:280],
                mention_kind=mention_kind,
                search_text=search_text,
                opened_at=case.opened_at,
                last_activity_at=case.last_activity_at,
                version=case.version,
                snoozed_until=case.snoozed_until,
                merged_into_id=case.merged_into_id,
            ),
        )
        self._conn.execute(
            case_status_changes.insert(),
            dict(
                workspace_id=case.workspace_id,
                case_id=case.id,
                status=case.status.value,
                at=case.opened_at,
            ),
        )
        self._write_history(case)
        return case.id

    def add_many(self, new: Sequence[tuple[Case, dict[str, Any]]]) -> list[int]:
        """``add`` for many (case, denormalised columns) in one statement, plus one for their
        status histories; the new ids in order (also set on the cases)."""
        if not new:
            return []
        rows = [
            dict(
                workspace_id=case.workspace_id,
                author_id=case.author_id,
                platform=case.platform.value,
                thread_key=case.thread_key,
                status=case.status.value,
                assignee_id=case.assignee_id,
                priority=case.priority,
                opened_at=case.opened_at,
                last_activity_at=case.last_activity_at,
                version=case.version,
                snoozed_until=case.snoozed_until,
                merged_into_id=case.merged_into_id,
                **{**columns, "summary": columns["summary"][:280]},
            )
            for case, columns in new
        ]
        result = self._conn.execute(
            insert(t.cases).returning(t.cases.c.id, sort_by_parameter_order=True), rows
        )
        ids = [int(case_id) for case_id in result.scalars()]
        history = []
        for (case, _), case_id in zip(new, ids, strict=True):
            case.id = case_id
            history.append(
                dict(
                    workspace_id=case.workspace_id, case_id=case_id, status="new", at=case.opened_at
                )
            )
            history.extend(
                dict(
                    workspace_id=case.workspace_id, case_id=case_id, status=c.status.value, at=c.at
                )
                for c in case.status_changes
            )
            case.status_changes.clear()
        self._conn.execute(case_status_changes.insert(), history)
        return ids

    def _write_history(self, case: Case) -> None:
        """Store the status changes the case collected since it was read, then forget them."""
        if case.status_changes:
            self._conn.execute(
                case_status_changes.insert(),
                [
                    dict(
                        workspace_id=case.workspace_id,
                        case_id=case.id,
                        status=change.status.value,
                        at=change.at,
                    )
                    for change in case.status_changes
                ],
            )
        case.status_changes.clear()

    def get(self, workspace_id: int, case_id: int) -> Case | None:
        row = self._conn.execute(
            select(t.cases)
            .where(t.cases.c.id == case_id)
            .where(t.cases.c.workspace_id == workspace_id)
        ).first()
        return case_from_row(row) if row else None

    def awaiting_first_answer(
        self, workspace_id: int, opened_before: datetime
    ) -> list[tuple[int, str | None]]:
        """(case id, language) of unanswered cases that need a reply, oldest first."""
        c = t.cases.c
        rows = self._conn.execute(
            select(c.id, c.language)
            .where(c.workspace_id == workspace_id)
            .where(c.status.in_([CaseStatus.NEW.value, CaseStatus.OPEN.value]))
            .where(c.needs_reply.is_(True))
            .where(c.first_response_at.is_(None))
            .where(c.opened_at < opened_before)
            .order_by(c.opened_at, c.id)
        )
        return [(row.id, row.language) for row in rows]

    def for_thread(
        self, workspace_id: int, platform: Platform, thread_key: str, author_id: int
    ) -> Case | None:
        """The latest case of this author in this conversation (merged cases excluded)."""
        row = self._conn.execute(
            select(t.cases)
            .where(t.cases.c.workspace_id == workspace_id)
            .where(t.cases.c.platform == platform.value)
            .where(t.cases.c.thread_key == thread_key)
            .where(t.cases.c.author_id == author_id)
            .where(t.cases.c.status != CaseStatus.MERGED.value)
            .order_by(t.cases.c.id.desc())
            .limit(1)
        ).first()
        return case_from_row(row) if row else None

    def for_threads(
        self, workspace_id: int, keys: Iterable[tuple[Platform, str, int]]
    ) -> dict[tuple[Platform, str, int], Case]:
        """``for_thread`` for many (platform, thread key, author id) at once."""
        wanted = set(keys)
        if not wanted:
            return {}
        rows = self._conn.execute(
            select(t.cases)
            .where(t.cases.c.workspace_id == workspace_id)
            .where(t.cases.c.thread_key.in_(sorted({thread for _, thread, _ in wanted})))
            .where(t.cases.c.status != CaseStatus.MERGED.value)
            .order_by(t.cases.c.id)
        )
        found: dict[tuple[Platform, str, int], Case] = {}
        for row in rows:
            key = (Platform(row.platform), row.thread_key, row.author_id)
            if key in wanted:
                found[key] = case_from_row(row)  # the latest wins
        return found

    def any_for_thread(self, workspace_id: int, platform: Platform, thread_key: str) -> int | None:
        """The latest case in this conversation whoever opened it (the brand's own words
        from outside the desk thread there)."""
        return self._conn.execute(
            select(t.cases.c.id)
            .where(t.cases.c.workspace_id == workspace_id)
            .where(t.cases.c.platform == platform.value)
            .where(t.cases.c.thread_key == thread_key)
            .where(t.cases.c.status != CaseStatus.MERGED.value)
            .order_by(t.cases.c.id.desc())
            .limit(1)
        ).scalar_one_or_none()

    def set_priority(self, workspace_id: int, case_id: int, priority: int) -> None:
        """Re-scoring is no edit of the case: its version stays, so no agent's open form of
        the case turns stale because a label was corrected."""
        self._conn.execute(
            update(t.cases)
            .where(t.cases.c.id == case_id, t.cases.c.workspace_id == workspace_id)
            .values(priority=priority)
        )

    def search_text(self, workspace_id: int, case_id: int) -> str | None:
        c = t.cases.c
        return self._conn.execute(
            select(c.search_text).where(c.workspace_id == workspace_id, c.id == case_id)
        ).scalar_one_or_none()

    def set_search_text(self, workspace_id: int, case_id: int, text: str) -> None:
        c = t.cases.c
        self._conn.execute(
            update(t.cases)
            .where(c.workspace_id == workspace_id, c.id == case_id)
            .values(search_text=text)
        )

    def set_sla_due(self, due: dict[int, datetime | None]) -> None:
        """Store when each case's next SLA clock falls due (``None``: none running); rows
        already right are not rewritten."""
        c = t.cases.c
        for case_id, at in due.items():
            self._conn.execute(
                update(t.cases)
                .where(c.id == case_id, c.sla_due_at.is_distinct_from(at))
                .values(sla_due_at=at)
            )

    def sla_due_ids(self, workspace_id: int) -> list[int]:
        c = t.cases.c
        return list(
            self._conn.execute(
                select(c.id).where(c.workspace_id == workspace_id, c.sla_due_at.is_not(None))
            ).scalars()
        )

    def clear_sla_due_not_needing_reply(self, workspace_id: int) -> None:
        """A case that needs no reply runs no clock, so it is due nowhere."""
        c = t.cases.c
        self._conn.execute(
            update(t.cases)
            .where(c.workspace_id == workspace_id, c.needs_reply.is_(False))
            .where(c.sla_due_at.is_not(None))
            .values(sla_due_at=None)
        )

    def needing_reply(self, workspace_id: int, case_ids: list[int]) -> set[int]:
        """Which of ``case_ids`` need a reply: only those run SLA clocks."""
        if not case_ids:
            return set()
        rows = self._conn.execute(
            select(t.cases.c.id).where(
                t.cases.c.workspace_id == workspace_id,
                t.cases.c.id.in_(case_ids),
                t.cases.c.needs_reply.is_(True),
            )
        )
        return {r.id for r in rows}

    def save(self, case: Case, **denormalised: Any) -> None:
        """Write ``case`` back if nobody changed it since it was read; bump its version."""
        result = self._conn.execute(
            _SAVE,  # one cached statement; what changes travels as parameters
            dict(
                b_id=case.id,
                b_version=case.version,
                status=case.status.value,
                assignee_id=case.assignee_id,
                priority=case.priority,
                last_activity_at=case.last_activity_at,
                first_response_at=case.first_response_at,
                resolved_at=case.resolved_at,
                snoozed_until=case.snoozed_until,
                merged_into_id=case.merged_into_id,
                opened_at=case.opened_at,
                version=case.version + 1,
                **denormalised,
            ),
        )
        if result.rowcount != 1:
            raise ConcurrentChange(
                f"someone changed case {case.id} while you were looking at it; reload and retry"
            )
        case.version += 1
        self._write_history(case)
