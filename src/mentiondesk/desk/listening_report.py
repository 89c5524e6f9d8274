"""How well each kind of mention gets answered.

Indirect mentions (the brand named without a tag) are the ones a desk tends to miss, so the
report splits cases by how they opened: per kind, how many cases, how many got a reply that
was actually sent, and the median time from opening to the first response.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from mentiondesk.desk.access import Actor
from mentiondesk.domain.posts import MentionKind
from mentiondesk.storage.unit_of_work import UnitOfWork

UNKNOWN = "unknown"  # cases opened before kinds were recorded, or without any mention


@dataclass(frozen=True, slots=True)
class KindRate:
    kind: str
    cases: int
    answered: int
    median_first_response_s: float | None

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.cases if self.cases else None


def answer_rates(uow: UnitOfWork, actor: Actor) -> list[KindRate]:
    """One row per mention kind (every kind listed, even with no cases), plus ``unknown``
    when some cases have no kind."""
    rows = uow.listening_posts.response_rows(actor.workspace.id)
    kinds = [k.value for k in MentionKind]
    if any(r.mention_kind is None for r in rows):
        kinds.append(UNKNOWN)
    report = []
    for kind in kinds:
        mine = [r for r in rows if (r.mention_kind or UNKNOWN) == kind]
        answered = [r for r in mine if r.answered]
        waits = [
            (r.first_response_at - r.opened_at).total_seconds()
            for r in answered
            if r.first_response_at is not None
        ]
        report.append(KindRate(kind, len(mine), len(answered), median(waits) if waits else None))
    return report
