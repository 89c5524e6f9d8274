"""Migration 0003 on a database that already holds cases, posts and replies."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from mentiondesk.storage import tables as t
from mentiondesk.storage.engine import make_engine
from mentiondesk.storage.migrate import upgrade
from mentiondesk.storage.tables_sla import case_status_changes

T0 = datetime(2026, 1, 1, tzinfo=UTC)
T1 = datetime(2026, 1, 2, tzinfo=UTC)


def test_existing_cases_keep_their_posts_and_get_a_status_history(
    empty_database_url: str,
) -> None:
    engine = make_engine(empty_database_url)
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(
                t.workspaces.insert().values(
                    id=1, slug="a", name="A", time_zone="UTC", languages=[], hours={},
                    brand={}, settings={}, created_at=T0,
                )
            )  # fmt: skip
            conn.execute(
                t.authors.insert().values(
                    id=1, workspace_id=1, platform="x", handle="h", name="", first_seen_at=T0
                )
            )
            for case_id, status in ((1, "new"), (2, "waiting")):
                conn.execute(
                    t.cases.insert().values(
                        id=case_id, workspace_id=1, author_id=1, platform="x", thread_key="t",
                        status=status, priority=0, needs_reply=True, tagged=False, summary="",
                        opened_at=T0, last_activity_at=T1, version=1,
                    )
                )  # fmt: skip
            conn.execute(
                t.posts.insert().values(
                    id=1, workspace_id=1, platform="x", platform_post_id="p1", kind="post",
                    author_id=1, text="hi", created_at=T0, received_at=T0, thread_key="t",
                    to_brand=False, tagged=False, mentions=[], meta={}, case_id=2,
                )
            )  # fmt: skip
        upgrade(engine)
        with engine.connect() as conn:
            history = conn.execute(
                select(
                    case_status_changes.c.case_id,
                    case_status_changes.c.status,
                    case_status_changes.c.at,
                ).order_by(case_status_changes.c.case_id, case_status_changes.c.at)
            ).all()
            post_case = conn.execute(select(t.posts.c.case_id)).scalar_one()
    finally:
        engine.dispose()
    assert [tuple(r) for r in history] == [(1, "new", T0), (2, "new", T0), (2, "waiting", T1)]
    assert post_case == 2
