"""The customer view: one person's cases across platforms and across the agency's workspaces
the agent belongs to, with notes, tags and free fields (a CRM id, a loyalty number…).

Visibility follows membership: a case of another workspace is listed only when the agent is a
member of that workspace, so the view never leaks another brand's conversations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mentiondesk.desk.access import Actor
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.customers import (
    AuthorIdentity,
    CustomerCase,
    CustomerProfile,
    Note,
    clean_fields,
    clean_note,
    clean_tags,
)
from mentiondesk.domain.errors import InvalidInput, NotFound
from mentiondesk.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class CustomerView:
    author: AuthorIdentity
    identities: tuple[AuthorIdentity, ...]  # linked as the same person, this one included
    suggestions: tuple[AuthorIdentity, ...]  # identical handle on another platform
    cases: tuple[CustomerCase, ...]  # in this workspace
    elsewhere: tuple[CustomerCase, ...]  # in the agent's other workspaces
    profile: CustomerProfile
    notes: tuple[Note, ...]
    can_edit: bool


def _author(uow: UnitOfWork, actor: Actor, author_id: int) -> AuthorIdentity:
    author = uow.customers.author(actor.workspace.id, author_id)
    if author is None:
        raise NotFound(f"no customer {author_id}")
    return author


def customer_view(uow: UnitOfWork, actor: Actor, author_id: int) -> CustomerView:
    author = _author(uow, actor, author_id)
    identities = uow.customers.same_person(actor.workspace.id, author_id)
    other_workspaces = [
        ws.id for ws, _ in uow.workspaces.for_user(actor.user.id) if ws.id != actor.workspace.id
    ]
    twins = uow.customers.same_identities_in(other_workspaces, identities)
    here = uow.customers.cases_of([a.id for a in identities])
    elsewhere = uow.customers.cases_of([a.id for a in twins]) if twins else []
    return CustomerView(
        author=author,
        identities=tuple(identities),
        suggestions=tuple(uow.customers.same_handle_elsewhere(actor.workspace.id, identities)),
        cases=tuple(here),
        elsewhere=tuple(elsewhere),
        profile=uow.customers.profile(author_id),
        notes=tuple(uow.customers.customer_notes(actor.workspace.id, [a.id for a in identities])),
        can_edit=actor.role.can_act_on_cases,
    )


def do_link_same_person(
    uow: UnitOfWork, actor: Actor, author_id: int, other_id: int, *, now: datetime
) -> bool:
    """Mark two authors of this workspace as one person; their cases show together."""
    actor.require_case_work()
    if author_id == other_id:
        raise InvalidInput("other_author_id", "is the same author")
    _author(uow, actor, author_id)
    _author(uow, actor, other_id)
    created = uow.customers.link(actor.workspace.id, author_id, other_id, actor.user.id, now)
    uow.audit.append(
        AuditEntry.by(
            actor,
            "customer.link",
            f"author:{author_id}",
            at=now,
            data={"other_author_id": other_id},
        )
    )
    uow.commit()
    return created


def do_unlink_same_person(
    uow: UnitOfWork, actor: Actor, author_id: int, other_id: int, *, now: datetime
) -> bool:
    actor.require_case_work()
    _author(uow, actor, author_id)
    removed = uow.customers.unlink(actor.workspace.id, author_id, other_id)
    uow.audit.append(
        AuditEntry.by(
            actor,
            "customer.unlink",
            f"author:{author_id}",
            at=now,
            data={"other_author_id": other_id},
        )
    )
    uow.commit()
    return removed


def do_save_customer_profile(
    uow: UnitOfWork,
    actor: Actor,
    author_id: int,
    *,
    tags: list[str],
    fields: dict[str, str],
    now: datetime,
) -> CustomerProfile:
    actor.require_case_work()
    _author(uow, actor, author_id)
    profile = CustomerProfile(clean_tags(tags), clean_fields(fields))
    uow.customers.save_profile(actor.workspace.id, author_id, profile)
    uow.audit.append(
        AuditEntry.by(
            actor,
            "customer.profile",
            f"author:{author_id}",
            at=now,
            data={"tags": list(profile.tags), "fields": sorted(profile.fields)},
        )
    )
    uow.commit()
    return profile


def do_add_customer_note(
    uow: UnitOfWork, actor: Actor, author_id: int, text: str, *, now: datetime
) -> int:
    actor.require_case_work()
    text = clean_note(text)
    _author(uow, actor, author_id)
    note_id = uow.customers.add_customer_note(
        actor.workspace.id, author_id, actor.user.id, text, now
    )
    uow.audit.append(
        AuditEntry.by(
            actor, "customer.note", f"author:{author_id}", at=now, data={"note_id": note_id}
        )
    )
    uow.commit()
    return note_id
