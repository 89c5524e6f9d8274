"""The feedback report's one read: the complaints of a period, newest first.

A complaint is a post the triage read as a complaint or as negative; hidden posts (spam,
abuse) are left out. Only the fields a topic table and its examples need travel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, or_, select

from mentiondesk.analytics.periods import ReportFilter
from mentiondesk.domain.triage import Intent, Sentiment
from mentiondesk.storage import tables as t

__all__ = ["MAX_COMPLAINTS", "ComplaintRow", "complaints"]

MAX_COMPLAINTS = 20_000
"""The most complaints one period is grouped from (the newest); the report says when more."""


@dataclass(frozen=True, slots=True)
class ComplaintRow:
    post_id: int
    case_id: int | None
    text: str
    url: str | None
    created_at: datetime
    language: str | None
    sentiment: str | None
    platform: str


def complaints(
    conn: Connection,
    workspace_id: int,
    start: datetime,
    end: datetime,
    filters: ReportFilter,
    *,
    limit: int = MAX_COMPLAINTS,
) -> list[ComplaintRow]:
    p = t.posts.c
    query = (
        select(p.id, p.case_id, p.text, p.url, p.created_at, p.language, p.sentiment, p.platform)
        .where(p.workspace_id == workspace_id, p.created_at >= start, p.created_at < end)
        .where(p.hidden.is_(False))
        .where(or_(p.intent == Intent.COMPLAINT.value, p.sentiment == Sentiment.NEGATIVE.value))
        .order_by(p.created_at.desc(), p.id.desc())
        .limit(limit)
    )
    if filters.platform is not None:
        query = query.where(p.platform == filters.platform)
    if filters.language is not None:
        query = query.where(p.language == filters.language)
    return [
        ComplaintRow(
            int(r.id),
            None if r.case_id is None else int(r.case_id),
            str(r.text),
            r.url,
            r.created_at,
            r.language,
            r.sentiment,
            str(r.platform),
        )
        for r in conn.execute(query)
    ]
