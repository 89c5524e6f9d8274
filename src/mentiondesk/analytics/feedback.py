"""The feedback report for the product team: what customers complain about, and what grows.

Complaints of the period and of the comparison period are grouped together (``topics``), so
a keyphrase group is the same group on both sides; each topic then gets its count now and
before, its share of the period's complaints, its sentiment, the languages it was written in
and a few example posts linked to their cases. A topic is *new* when it had no complaint
before and has at least :data:`NEW_AT_LEAST` now, *rising* when it grew by half or more to at
least :data:`RISING_AT_LEAST`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from mentiondesk.analytics.feedback_queries import MAX_COMPLAINTS, ComplaintRow, complaints
from mentiondesk.analytics.figures import Table
from mentiondesk.analytics.periods import Compare, Period, ReportFilter, comparison_period
from mentiondesk.analytics.topics import OTHER, OTHER_PREFIX, assign_topics, topic_label
from mentiondesk.desk.access import Actor
from mentiondesk.desk.sla_settings import load_desk_settings
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["NEW_AT_LEAST", "RISING_AT_LEAST", "FeedbackReport", "TopicRow", "feedback_report"]

NEW_AT_LEAST = 2
RISING_AT_LEAST = 3
RISING_FACTOR = 1.5
EXAMPLES = 3
DETAILED = 12
EXAMPLE_CHARS = 280


@dataclass(frozen=True, slots=True)
class ExamplePost:
    post_id: int
    case_id: int | None
    text: str
    url: str | None
    created_at: datetime
    language: str | None

    def to_json(self, slug: str) -> dict[str, Any]:
        return {
            "post_id": self.post_id,
            "case_id": self.case_id,
            "case_url": None if self.case_id is None else f"/w/{slug}/cases/{self.case_id}",
            "text": self.text,
            "url": self.url,
            "created_at": self.created_at.isoformat(),
            "language": self.language,
        }


@dataclass(frozen=True, slots=True)
class TopicRow:
    topic: str
    label: str
    posts: int
    previous_posts: int | None
    share: float
    negative: int
    neutral: int
    positive: int
    languages: dict[str, int]
    examples: list[ExamplePost] = field(default_factory=list)

    @property
    def trend(self) -> str:
        """new, rising, falling or steady (``None`` comparison: steady)."""
        before = self.previous_posts
        if before is None:
            return "steady"
        if before == 0:
            return "new" if self.posts >= NEW_AT_LEAST else "steady"
        if self.posts >= RISING_AT_LEAST and self.posts >= before * RISING_FACTOR:
            return "rising"
        if before >= RISING_AT_LEAST and before >= self.posts * RISING_FACTOR:
            return "falling"
        return "steady"

    @property
    def change(self) -> float | None:
        """Relative change against the comparison period (None when there was nothing)."""
        if not self.previous_posts:
            return None
        return (self.posts - self.previous_posts) / self.previous_posts

    @property
    def is_lexicon_topic(self) -> bool:
        return not self.topic.startswith(OTHER)


@dataclass(slots=True)
class FeedbackReport:
    workspace_slug: str
    workspace_name: str
    period: Period
    comparison: Period | None
    filters: ReportFilter
    generated_at: datetime
    complaints: int
    previous_complaints: int | None
    topics: list[TopicRow]
    truncated: bool = False

    @property
    def flagged(self) -> list[TopicRow]:
        """New and rising topics, biggest first."""
        return [t for t in self.topics if t.trend in ("new", "rising")]

    @property
    def detailed(self) -> list[TopicRow]:
        """The topics the page shows with their examples: the biggest and every flagged one."""
        flagged = {t.topic for t in self.flagged[:DETAILED]}
        return [t for i, t in enumerate(self.topics) if i < DETAILED or t.topic in flagged]

    def tables(self) -> list[Table]:
        topics = Table(
            "topics",
            "Complaint topics",
            (
                "topic", "label", "posts", "previous_posts", "share", "change", "trend",
                "negative", "neutral", "positive", "languages",
            ),
            [
                (
                    t.topic, t.label, t.posts, t.previous_posts, t.share, t.change, t.trend,
                    t.negative, t.neutral, t.positive,
                    " ".join(f"{k}:{v}" for k, v in sorted(t.languages.items())),
                )
                for t in self.topics
            ],
        )  # fmt: skip
        examples = Table(
            "examples",
            "Example posts per topic",
            ("topic", "post_id", "case_id", "created_at", "language", "case_url", "text"),
            [
                (
                    t.topic,
                    e.post_id,
                    e.case_id,
                    e.created_at.isoformat(),
                    e.language,
                    e.to_json(self.workspace_slug)["case_url"],
                    e.text,
                )
                for t in self.topics
                for e in t.examples
            ],
        )
        return [topics, examples]

    def to_json(self) -> dict[str, Any]:
        def period(p: Period | None) -> dict[str, Any] | None:
            if p is None:
                return None
            return {"from": p.first.isoformat(), "to": p.last.isoformat(), "time_zone": p.time_zone}

        return {
            "workspace": self.workspace_slug,
            "period": period(self.period),
            "comparison": period(self.comparison),
            "filters": self.filters.as_dict(),
            "generated_at": self.generated_at.isoformat(),
            "complaints": self.complaints,
            "previous_complaints": self.previous_complaints,
            "truncated": self.truncated,
            "topics": [
                {
                    "topic": t.topic,
                    "label": t.label,
                    "posts": t.posts,
                    "previous_posts": t.previous_posts,
                    "share": t.share,
                    "change": t.change,
                    "trend": t.trend,
                    "sentiment": {
                        "negative": t.negative,
                        "neutral": t.neutral,
                        "positive": t.positive,
                    },
                    "languages": t.languages,
                    "examples": [e.to_json(self.workspace_slug) for e in t.examples],
                }
                for t in self.topics
            ],
        }


def _label(topic: str) -> str:
    if topic.startswith(OTHER_PREFIX):
        return f"Other: “{topic[len(OTHER_PREFIX) :]}”"
    return "Other" if topic == OTHER else topic_label(topic)


def _examples(rows: list[ComplaintRow]) -> list[ExamplePost]:
    """The newest posts, those with a case first (a product person can open the thread)."""
    ordered = sorted(rows, key=lambda r: (r.case_id is None, -r.created_at.timestamp()))
    return [
        ExamplePost(
            r.post_id,
            r.case_id,
            r.text if len(r.text) <= EXAMPLE_CHARS else r.text[: EXAMPLE_CHARS - 1] + "…",
            r.url,
            r.created_at,
            r.language,
        )
        for r in ordered[:EXAMPLES]
    ]


def group_topics(
    now: list[ComplaintRow],
    before: list[ComplaintRow] | None,
    brand: Iterable[str] = (),
) -> list[TopicRow]:
    """Topic rows for ``now`` (biggest first, plain "other" last), counted against ``before``;
    ``brand``: the brand's names and handles, never a keyphrase."""
    everything = now + (before or [])
    matches = assign_topics(
        [r.text for r in everything], [r.language for r in everything], ignore=brand
    )
    mine: dict[str, list[ComplaintRow]] = {}
    earlier: Counter[str] = Counter()
    for i, match in enumerate(matches):
        if i < len(now):
            mine.setdefault(match.topic, []).append(now[i])
        else:
            earlier[match.topic] += 1
    total = len(now)
    rows = []
    for topic, posts in mine.items():
        sentiments = Counter(r.sentiment for r in posts)
        rows.append(
            TopicRow(
                topic=topic,
                label=_label(topic),
                posts=len(posts),
                previous_posts=None if before is None else earlier.get(topic, 0),
                share=len(posts) / total,
                negative=sentiments.get("negative", 0),
                neutral=sentiments.get("neutral", 0),
                positive=sentiments.get("positive", 0),
                languages=dict(Counter(r.language or "?" for r in posts).most_common()),
                examples=_examples(posts),
            )
        )
    return sorted(rows, key=lambda r: (r.topic == OTHER, -r.posts, r.topic))


def _brand_words(workspace: Workspace) -> list[str]:
    brand = workspace.brand
    handles = [h.lstrip("@") for hs in brand.handles.values() for h in hs]
    return [*brand.names, *handles, workspace.name, workspace.slug]


def feedback_report(
    uow: UnitOfWork,
    actor: Actor,
    first: date,
    last: date,
    *,
    now: datetime,
    compare: Compare = Compare.PREVIOUS,
    filters: ReportFilter | None = None,
) -> FeedbackReport:
    """The complaint topics of local days ``first``..``last``; any member may read it."""
    filters = filters or ReportFilter()
    workspace = actor.workspace
    settings = load_desk_settings(uow, workspace)
    period = Period(first, last, settings.time_zone)
    previous = comparison_period(period, compare)
    conn = uow.connection
    current = complaints(conn, workspace.id, period.start, period.end, filters)
    before = (
        None
        if previous is None
        else complaints(conn, workspace.id, previous.start, previous.end, filters)
    )
    return FeedbackReport(
        workspace_slug=workspace.slug,
        workspace_name=workspace.name,
        period=period,
        comparison=previous,
        filters=filters,
        generated_at=now,
        complaints=len(current),
        previous_complaints=None if before is None else len(before),
        # Nothing at all to compare with (a new workspace, a gap in listening): no topic is
        # "new", there is just no history.
        topics=group_topics(current, before or None, _brand_words(workspace)),
        truncated=len(current) >= MAX_COMPLAINTS,
    )
