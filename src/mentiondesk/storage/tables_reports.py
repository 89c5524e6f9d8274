"""Indexes the reports read through (migration 0013).

A 90-day report counts posts by hour and sentiment and reads the cases opened in the period;
these indexes let both be range scans of one workspace's rows (the posts one answers the
unfiltered count from the index alone)."""

from __future__ import annotations

from sqlalchemy import Index

from mentiondesk.storage import tables as t

posts_report = Index(
    "ix_posts_report",
    t.posts.c.workspace_id,
    t.posts.c.created_at,
    t.posts.c.sentiment,
    t.posts.c.platform,
    t.posts.c.language,
)
cases_opened = Index("ix_cases_opened", t.cases.c.workspace_id, t.cases.c.opened_at)
replies_report = Index("ix_replies_report", t.replies.c.workspace_id, t.replies.c.created_at)
