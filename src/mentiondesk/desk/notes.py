"""Private notes on cases: for colleagues only, never sent to the customer.

Notes live in their own table, not among replies, so no delivery path can ever pick one up."""

from __future__ import annotations

from datetime import datetime

from mentiondesk.desk.access import Actor
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.customers import Note, clean_note
from mentiondesk.domain.errors import NotFound, PermissionDenied
from mentiondesk.storage.unit_of_work import UnitOfWork


def do_add_case_note(
    uow: UnitOfWork, actor: Actor, case_id: int, text: str, *, now: datetime
) -> int:
    actor.require_case_work()
    text = clean_note(text)
    if uow.cases.get(actor.workspace.id, case_id) is None:
        raise NotFound(f"no case {case_id}")
    note_id = uow.customers.add_case_note(actor.workspace.id, case_id, actor.user.id, text, now)
    uow.audit.append(
        AuditEntry.by(actor, "case.note", f"case:{case_id}", at=now, data={"note_id": note_id})
    )
    uow.commit()
    return note_id


def case_notes(uow: UnitOfWork, actor: Actor, case_id: int) -> list[Note]:
    """Notes are internal to the agency: the brand's viewers do not see them."""
    if not actor.role.can_act_on_cases:
        raise PermissionDenied("private notes are for the agents of this workspace")
    if uow.cases.get(actor.workspace.id, case_id) is None:
        raise NotFound(f"no case {case_id}")
    return uow.customers.case_notes(actor.workspace.id, case_id)
