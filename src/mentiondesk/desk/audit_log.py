"""The audit log for admins: browse it with filters and pages, export it as CSV or JSONL.

Reading only. The product has no way to edit or remove an entry: the repositories offer
``append`` and queries, nothing else (a test holds them to that)."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from mentiondesk.desk.access import Actor
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.storage.repositories.audit import AuditFilter
from mentiondesk.storage.unit_of_work import UnitOfWork

PER_PAGE = 50
EXPORT_FORMATS = ("csv", "jsonl")
CSV_COLUMNS = (
    "id",
    "at",
    "action",
    "actor_user_id",
    "actor_name",
    "actor_rule",
    "subject",
    "reason",
    "data",
)


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: tuple[AuditEntry, ...]
    actor_names: dict[int, str]
    actions: tuple[str, ...]
    total: int
    page: int
    pages: int


def _day(field: str, value: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(field, "use a date like 2026-03-10 or an ISO 8601 time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def audit_filter(
    *, action: str = "", actor: str = "", subject: str = "", since: str = "", until: str = ""
) -> AuditFilter:
    """Turns the browser's and the API's query strings into a filter.

    ``actor`` is a user id or ``rule:<name>``; ``until`` given as a bare date includes that
    whole day."""
    actor = actor.strip()
    user_id: int | None = None
    rule: str | None = None
    if actor.startswith("rule:"):
        rule = actor.removeprefix("rule:").strip() or None
    elif actor:
        if not actor.isdigit():
            raise InvalidInput("actor", "give a user id or rule:<rule name>")
        user_id = int(actor)
    end = _day("until", until)
    if end is not None and len(until.strip()) == 10:
        end += timedelta(days=1)
    return AuditFilter(
        action=action.strip() or None,
        actor_user_id=user_id,
        actor_rule=rule,
        subject=subject.strip() or None,
        since=_day("since", since),
        until=end,
    )


def actor_by_name(uow: UnitOfWork, actor: Actor, text: str) -> str:
    """The actor filter as a person types it: a member's name or e-mail becomes their id;
    an id, ``rule:<name>`` or nothing passes through unchanged."""
    text = text.strip()
    if not text or text.isdigit() or text.startswith("rule:"):
        return text
    wanted = text.casefold()
    members = uow.users.members(actor.workspace.id)
    found = [u for u, _ in members if wanted in (u.name.casefold(), u.email.casefold())]
    if not found:
        found = [u for u, _ in members if wanted in u.name.casefold()]
    if len(found) != 1:
        reason = "nobody here is called" if not found else "more than one member matches"
        raise InvalidInput("actor", f"{reason} {text!r}; give a name, an e-mail or rule:<name>")
    return str(found[0].id)


def _names(uow: UnitOfWork, workspace_id: int) -> dict[int, str]:
    return {user.id: user.name for user, _ in uow.users.members(workspace_id)}


def audit_page(uow: UnitOfWork, actor: Actor, f: AuditFilter, page: int = 1) -> AuditPage:
    """One page of entries, newest first (owners and admins)."""
    actor.require_settings()
    ws = actor.workspace.id
    total = uow.audit.count(ws, f)
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(1, page), pages)
    entries = uow.audit.page(ws, f, offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
    return AuditPage(
        tuple(entries), _names(uow, ws), tuple(uow.audit.actions(ws)), total, page, pages
    )


def _record(entry: AuditEntry, names: dict[int, str]) -> dict[str, object]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "action": entry.action,
        "actor_user_id": entry.actor_user_id,
        "actor_name": names.get(entry.actor_user_id or 0, ""),
        "actor_rule": entry.actor_rule,
        "subject": entry.subject,
        "reason": entry.reason,
        "data": entry.data,
    }


def export_audit(uow: UnitOfWork, actor: Actor, f: AuditFilter, fmt: str) -> Iterator[str]:
    """The filtered log, oldest first, as CSV (with a header) or JSON Lines, chunk by chunk.
    Consume it while ``uow`` is open."""
    actor.require_settings()
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput("format", f"use one of {', '.join(EXPORT_FORMATS)}")
    names = _names(uow, actor.workspace.id)
    entries = uow.audit.stream(actor.workspace.id, f)
    if fmt == "jsonl":
        for entry in entries:
            yield json.dumps(_record(entry, names), ensure_ascii=False, default=str) + "\n"
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        row = _record(entry, names)
        row["data"] = json.dumps(row["data"], ensure_ascii=False, default=str)
        writer.writerow(["" if row[c] is None else row[c] for c in CSV_COLUMNS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
