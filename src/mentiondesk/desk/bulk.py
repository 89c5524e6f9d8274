"""One action on many selected cases: assign to me, unassign, resolve, snooze.

Each case is its own transaction through the same ``do_*`` function a single case uses, so a
case a colleague changed a moment ago fails alone and says why, and the rest go through; the
outcome lists both, and the page shows both. Nothing is skipped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mentiondesk.desk.access import Actor
from mentiondesk.desk.case_actions import do_assign_case, do_resolve_case
from mentiondesk.desk.lifecycle import do_snooze_case
from mentiondesk.domain.errors import DomainError, InvalidInput
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["BULK_ACTIONS", "MAX_SELECTED", "BulkOutcome", "check_selection", "do_bulk_action"]

BULK_ACTIONS = {
    "assign_me": "Assign to me",
    "unassign": "Unassign",
    "resolve": "Resolve",
    "snooze": "Snooze 4 hours",
}
SNOOZE = timedelta(hours=4)
MAX_SELECTED = 200


@dataclass(frozen=True, slots=True)
class BulkOutcome:
    action: str
    done: tuple[int, ...]
    failed: tuple[tuple[int, str], ...] = field(default=())
    label: str = ""  # what the summary calls the action; the built-in label when empty

    @property
    def summary(self) -> str:
        label = self.label or BULK_ACTIONS[self.action]
        text = f"{label}: {len(self.done)} case{'' if len(self.done) == 1 else 's'} done"
        if self.failed:
            reasons = "; ".join(f"#{case_id}: {reason}" for case_id, reason in self.failed)
            text += f", {len(self.failed)} not done ({reasons})"
        return text + "."


def check_selection(case_ids: list[int]) -> None:
    """At least one case and at most ``MAX_SELECTED``."""
    if not case_ids:
        raise InvalidInput("case_ids", "select at least one case")
    if len(case_ids) > MAX_SELECTED:
        raise InvalidInput("case_ids", f"select at most {MAX_SELECTED} cases at once")


def do_bulk_action(
    uow: UnitOfWork, actor: Actor, action: str, case_ids: list[int], *, now: datetime
) -> BulkOutcome:
    """Apply ``action`` to each selected case in turn; failures are collected, not raised."""
    actor.require_case_work()
    if action not in BULK_ACTIONS:
        raise InvalidInput("action", f"must be one of {', '.join(BULK_ACTIONS)}")
    check_selection(case_ids)
    done: list[int] = []
    failed: list[tuple[int, str]] = []
    for case_id in dict.fromkeys(case_ids):
        try:
            if action == "assign_me":
                do_assign_case(uow, actor, case_id, actor.user.id, now=now)
            elif action == "unassign":
                do_assign_case(uow, actor, case_id, None, now=now)
            elif action == "resolve":
                do_resolve_case(uow, actor, case_id, now=now)
            else:
                do_snooze_case(uow, actor, case_id, now + SNOOZE, now=now)
        except DomainError as exc:
            uow.rollback()
            failed.append((case_id, str(exc)))
        else:
            done.append(case_id)
    return BulkOutcome(action, tuple(done), tuple(failed))
