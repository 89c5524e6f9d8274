"""Migration 0023 on a database that already holds a tagged case: the tag and the opening
post are found through the new index."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from mentiondesk.storage import tables as t
from mentiondesk.storage.engine import make_engine
from mentiondesk.storage.migrate import upgrade
from mentiondesk.storage.repositories.inbox import _search_conditions

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_existing_cases_are_indexed_and_their_tags_join_the_search_text(
    empty_database_url: str,
) -> None:
    engine = make_engine(empty_database_url)
    try:
        upgrade(engine, "0022")
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
            conn.execute(
                t.cases.insert().values(
                    id=1, workspace_id=1, author_id=1, platform="x", thread_key="t",
                    status="open", priority=0, needs_reply=True, tagged=False,
                    summary="lost bag", search_text="lost bag h", opened_at=T0,
                    last_activity_at=T0, version=1,
                )
            )  # fmt: skip
            conn.execute(
                t.posts.insert().values(
                    id=1, workspace_id=1, platform="x", platform_post_id="p1", kind="post",
                    author_id=1, text="lost bag", created_at=T0, received_at=T0, thread_key="t",
                    to_brand=False, tagged=False, mentions=[], meta={}, case_id=1,
                )
            )  # fmt: skip
            conn.execute(
                text(
                    "INSERT INTO post_tags (post_id, tag, workspace_id, created_at) "
                    "VALUES (1, 'Bagaglio-Perso', 1, :at)"
                ),
                {"at": T0},
            )
        upgrade(engine)
        with engine.connect() as conn:
            found = {
                pattern: conn.execute(
                    t.cases.select().with_only_columns(t.cases.c.id)
                    .where(*_search_conditions(conn, (pattern,)))
                ).scalars().all()
                for pattern in ("lost bag", "bagaglio-perso", "missing")
            }  # fmt: skip
        assert found == {"lost bag": [1], "bagaglio-perso": [1], "missing": []}
    finally:
        engine.dispose()
