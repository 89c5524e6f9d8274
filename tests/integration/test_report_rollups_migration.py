"""Migration 0021 on a database that already holds cases, posts and replies: reports read the
raw rows until the effects sweep has rebuilt the rollups, and the figures do not move."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pytest import approx

from mentiondesk.analytics.rollups import is_built
from mentiondesk.analytics.service import workspace_report
from mentiondesk.bootstrap import bootstrap
from mentiondesk.config import Settings
from mentiondesk.desk.access import operator_actor
from mentiondesk.desk.sla_settings import load_desk_settings
from mentiondesk.domain.ports import FixedClock
from mentiondesk.storage import tables as t
from mentiondesk.storage.engine import make_engine
from mentiondesk.storage.migrate import upgrade

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def _load_before_0021(url: str) -> None:
    engine = make_engine(url)
    try:
        upgrade(engine, "0017")
        with engine.begin() as conn:
            conn.execute(
                t.workspaces.insert().values(
                    id=1, slug="acme", name="Acme", time_zone="Europe/Warsaw",
                    languages=["pl"], hours={}, brand={}, settings={}, created_at=T0,
                )
            )  # fmt: skip
            conn.execute(
                t.users.insert().values(
                    id=1, email="ania@acme.test", name="Ania", password_hash="x", signature="",
                    is_active=True, created_at=T0,
                )
            )  # fmt: skip
            conn.execute(
                t.authors.insert().values(
                    id=1, workspace_id=1, platform="x", handle="h", name="", first_seen_at=T0
                )
            )
            for i in range(1, 7):
                opened = T0 + timedelta(hours=5 * i)
                resolved = i % 2 == 0
                conn.execute(
                    t.cases.insert().values(
                        id=i, workspace_id=1, author_id=1, platform="x", thread_key=f"t{i}",
                        status="resolved" if resolved else "open", priority=0,
                        needs_reply=not resolved, tagged=i % 3 == 0, summary="",
                        mention_kind="direct", opened_at=opened, last_activity_at=opened,
                        first_response_at=opened + timedelta(minutes=20 * i),
                        resolved_at=opened + timedelta(hours=3 * i) if resolved else None,
                        version=1,
                    )
                )  # fmt: skip
                conn.execute(
                    t.posts.insert().values(
                        id=i, workspace_id=1, platform="x", platform_post_id=f"p{i}",
                        kind="post", author_id=1, text="hi", created_at=opened,
                        received_at=opened, thread_key=f"t{i}", to_brand=True, tagged=False,
                        mentions=[], meta={}, case_id=i, sentiment="negative", language="pl",
                    )
                )  # fmt: skip
                conn.execute(
                    t.replies.insert().values(
                        workspace_id=1, case_id=i, user_id=1, text="Sorry!",
                        visibility="public", status="sent" if i < 5 else "failed",
                        idempotency_key=f"k{i}", created_at=opened + timedelta(minutes=20 * i),
                    )
                )  # fmt: skip
        upgrade(engine)
    finally:
        engine.dispose()


def test_existing_workspaces_are_rebuilt_by_the_sweep_and_their_figures_stay(
    empty_database_url: str, tmp_path: Path
) -> None:
    _load_before_0021(empty_database_url)
    clock = FixedClock(datetime.now(UTC) + timedelta(minutes=2))  # the rebuilds are due
    services = bootstrap(Settings(data_dir=tmp_path, database_url=empty_database_url), clock=clock)
    try:

        def report_and_built() -> tuple[dict[str, object], bool]:
            with services.uow() as uow:
                actor = operator_actor(uow, "acme")
                built = is_built(uow.connection, 1, load_desk_settings(uow, actor.workspace))
                report = workspace_report(
                    uow, actor, date(2026, 3, 1), date(2026, 3, 10), now=T0 + timedelta(days=9)
                )
            body = report.to_json()
            body.pop("generated_at")
            return body, built

        raw, built = report_and_built()
        assert not built  # until the sweep ran, reports read the raw rows
        assert services.sweep_effects() >= 1
        rolled, built = report_and_built()
    finally:
        services.close()
    assert built
    assert rolled["summary"] == raw["summary"] == {
        "posts": 6, "previous_posts": 0, "cases": 6, "previous_cases": 0, "backlog": 3,
    }  # fmt: skip
    for got, want in zip(rolled["answers"], raw["answers"], strict=True):  # type: ignore[call-overload]
        assert (got["group"], got["cases"], got["answered"]) == (
            want["group"],
            want["cases"],
            want["answered"],
        )
        assert got["median_first_response_s"] == approx(want["median_first_response_s"], abs=0.01)
    # tagged: cases 3 and 6, one reply sent (3); untagged: 1, 2, 4, 5, three sent (1, 2, 4)
    assert [a["answered"] for a in rolled["answers"][:2]] == [1, 3]  # type: ignore[index]
    for got, want in zip(rolled["times"], raw["times"], strict=True):  # type: ignore[call-overload]
        assert got["cases"] == want["cases"]
        assert got["median_s"] == approx(want["median_s"], abs=0.01)
