"""Opportunities: posts worth a reply that nobody asked the desk for.

Three kinds, a post may be several:

- ``thank_you``: a positive post that did not tag the brand (praise the brand overheard);
- ``recommendation``: someone who did not tag the brand asking which product or service to
  choose (``analytics.recommendation``); a tagged "any suggestions?" is a support question
  to the brand, which the inbox already shows;
- ``reach``: an author with at least ``min_followers`` followers, whatever they wrote.

Hidden posts are left out; a post whose case already has a sent reply is marked answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, exists, or_, select

from mentiondesk.analytics.figures import Table
from mentiondesk.analytics.periods import Period, ReportFilter
from mentiondesk.analytics.recommendation import asks_for_recommendation
from mentiondesk.desk.access import Actor
from mentiondesk.desk.sla_settings import load_desk_settings
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.replies import DeliveryStatus
from mentiondesk.domain.triage import Intent, Sentiment
from mentiondesk.storage import tables as t
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = [
    "DEFAULT_MIN_FOLLOWERS",
    "Opportunity",
    "OpportunityKind",
    "OpportunityReport",
    "opportunity_report",
    "parse_kind",
    "parse_min_followers",
]

DEFAULT_MIN_FOLLOWERS = 10_000
MAX_ROWS = 5_000  # the newest candidates one report reads
SHOWN = 200  # the most posts a report lists


class OpportunityKind(StrEnum):
    THANK_YOU = "thank_you"
    RECOMMENDATION = "recommendation"
    REACH = "reach"


LABELS = {
    OpportunityKind.THANK_YOU: "Worth a thank-you",
    OpportunityKind.RECOMMENDATION: "Asking for a recommendation",
    OpportunityKind.REACH: "Large reach",
}


def parse_kind(value: str | None) -> OpportunityKind | None:
    if value is None or not value.strip():
        return None
    try:
        return OpportunityKind(value.strip())
    except ValueError:
        choices = ", ".join(k.value for k in OpportunityKind)
        raise InvalidInput("kind", f"expected one of {choices}, got {value!r}") from None


def parse_min_followers(value: str | int | None) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return DEFAULT_MIN_FOLLOWERS
    try:
        number = int(value)
    except ValueError:
        raise InvalidInput("min_followers", f"expected a whole number, got {value!r}") from None
    if not 0 < number <= 1_000_000_000:
        raise InvalidInput("min_followers", "expected a number from 1 to 1,000,000,000")
    return number


@dataclass(frozen=True, slots=True)
class Opportunity:
    post_id: int
    case_id: int | None
    kinds: tuple[OpportunityKind, ...]
    text: str
    url: str | None
    platform: str
    created_at: datetime
    language: str | None
    author: str
    followers: int | None
    answered: bool

    def to_json(self, slug: str) -> dict[str, Any]:
        return {
            "post_id": self.post_id,
            "case_id": self.case_id,
            "case_url": None if self.case_id is None else f"/w/{slug}/cases/{self.case_id}",
            "kinds": [k.value for k in self.kinds],
            "text": self.text,
            "url": self.url,
            "platform": self.platform,
            "created_at": self.created_at.isoformat(),
            "language": self.language,
            "author": self.author,
            "followers": self.followers,
            "answered": self.answered,
        }


@dataclass(slots=True)
class OpportunityReport:
    workspace_slug: str
    period: Period
    kind: OpportunityKind | None
    min_followers: int
    counts: dict[str, int]  # per kind, before the kind filter
    items: list[Opportunity]
    generated_at: datetime

    def tables(self) -> list[Table]:
        return [
            Table(
                "opportunities",
                "Opportunities",
                (
                    "post_id",
                    "case_id",
                    "kinds",
                    "created_at",
                    "platform",
                    "language",
                    "author",
                    "followers",
                    "answered",
                    "text",
                ),
                [
                    (
                        o.post_id,
                        o.case_id,
                        " ".join(k.value for k in o.kinds),
                        o.created_at.isoformat(),
                        o.platform,
                        o.language,
                        o.author,
                        o.followers,
                        o.answered,
                        o.text,
                    )
                    for o in self.items
                ],
            )
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "workspace": self.workspace_slug,
            "period": {
                "from": self.period.first.isoformat(),
                "to": self.period.last.isoformat(),
                "time_zone": self.period.time_zone,
            },
            "kind": None if self.kind is None else self.kind.value,
            "min_followers": self.min_followers,
            "counts": self.counts,
            "generated_at": self.generated_at.isoformat(),
            "items": [o.to_json(self.workspace_slug) for o in self.items],
        }


def _candidates(
    uow: UnitOfWork,
    workspace_id: int,
    period: Period,
    filters: ReportFilter,
    min_followers: int,
) -> list[Any]:
    p, a = t.posts.c, t.authors.c
    answered = exists().where(
        and_(
            t.replies.c.case_id == p.case_id,
            t.replies.c.status == DeliveryStatus.SENT.value,
        )
    )
    query = (
        select(
            p.id, p.case_id, p.text, p.url, p.platform, p.created_at, p.language, p.sentiment,
            p.intent, p.tagged, a.handle, a.followers, answered.label("answered"),
        )
        .join(t.authors, a.id == p.author_id)
        .where(p.workspace_id == workspace_id, p.hidden.is_(False))
        .where(p.created_at >= period.start, p.created_at < period.end)
        .where(
            or_(
                and_(p.tagged.is_(False), p.sentiment == Sentiment.POSITIVE.value),
                and_(
                    p.tagged.is_(False),
                    or_(p.sentiment.is_(None), p.sentiment != Sentiment.NEGATIVE.value),
                    or_(p.intent.is_(None), p.intent != Intent.COMPLAINT.value),
                ),
                a.followers >= min_followers,
            )
        )
        .order_by(p.created_at.desc(), p.id.desc())
        .limit(MAX_ROWS)
    )  # fmt: skip
    if filters.platform is not None:
        query = query.where(p.platform == filters.platform)
    if filters.language is not None:
        query = query.where(p.language == filters.language)
    return list(uow.connection.execute(query))


def _kinds(row: Any, min_followers: int) -> tuple[OpportunityKind, ...]:
    kinds = []
    untagged = not row.tagged
    if untagged and row.sentiment == Sentiment.POSITIVE.value:
        kinds.append(OpportunityKind.THANK_YOU)
    if (
        untagged
        and row.sentiment != Sentiment.NEGATIVE.value
        and asks_for_recommendation(row.text, row.language)
    ):
        kinds.append(OpportunityKind.RECOMMENDATION)
    if row.followers is not None and row.followers >= min_followers:
        kinds.append(OpportunityKind.REACH)
    return tuple(kinds)


def opportunity_report(
    uow: UnitOfWork,
    actor: Actor,
    first: date,
    last: date,
    *,
    now: datetime,
    kind: OpportunityKind | None = None,
    min_followers: int = DEFAULT_MIN_FOLLOWERS,
    filters: ReportFilter | None = None,
) -> OpportunityReport:
    """Opportunities among the posts of local days ``first``..``last``, newest first."""
    filters = filters or ReportFilter()
    workspace = actor.workspace
    period = Period(first, last, load_desk_settings(uow, workspace).time_zone)
    counts = dict.fromkeys((k.value for k in OpportunityKind), 0)
    items: list[Opportunity] = []
    for row in _candidates(uow, workspace.id, period, filters, min_followers):
        kinds = _kinds(row, min_followers)
        for k in kinds:
            counts[k.value] += 1
        if not kinds or (kind is not None and kind not in kinds) or len(items) >= SHOWN:
            continue
        items.append(
            Opportunity(
                int(row.id),
                None if row.case_id is None else int(row.case_id),
                kinds,
                str(row.text),
                row.url,
                str(row.platform),
                row.created_at,
                row.language,
                str(row.handle),
                None if row.followers is None else int(row.followers),
                bool(row.answered),
            )
        )
    return OpportunityReport(workspace.slug, period, kind, min_followers, counts, items, now)
