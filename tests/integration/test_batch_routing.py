"""Routing a batch in one transaction gives every post the outcome, case and events it gets
when the same posts are routed one by one, and a batch seen again changes nothing."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select

from mentiondesk.bootstrap import Services
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.storage import tables as t
from mentiondesk.storage.unit_of_work import UnitOfWork
from tests.conftest import ServicesFactory
from tests.factories import create_workspace, raw_post


def _stream(prefix: str) -> list[dict[str, Any]]:
    """Conversations that make routing choose: replies in a thread, a follow-up outside it,
    a post not about the brand, one repeated within the batch, a DM, a reach update."""
    at = "2026-03-10T08:{:02d}:00+00:00"
    posts = [
        raw_post(platform_post_id=f"{prefix}1", created_at=at.format(0)),
        raw_post(
            platform_post_id=f"{prefix}2",
            text="still waiting",
            conversation_id=f"{prefix}1",
            in_reply_to=f"{prefix}1",
            created_at=at.format(1),
        ),
        raw_post(
            platform_post_id=f"{prefix}3",
            text="@acme hello?? no answer about my parcel",
            created_at=at.format(2),
            author_followers=5000,
        ),
        raw_post(
            platform_post_id=f"{prefix}4",
            text="lovely weather today",
            author_handle="bob",
            author_name="Bob",
            created_at=at.format(3),
        ),
        raw_post(
            platform_post_id=f"{prefix}5",
            text="@acme where is my refund",
            author_handle="cara",
            author_name=None,
            created_at=at.format(4),
        ),
        raw_post(
            platform_post_id=f"{prefix}6",
            platform="instagram",
            kind="dm",
            text="hi, order 4411 is late",
            author_handle="cara",
            conversation_id="dm-cara",
            to_brand=True,
            created_at=at.format(5),
        ),
    ]
    posts.append(dict(posts[2]))  # the same platform post twice in one batch
    posts.append(
        raw_post(
            platform_post_id=f"{prefix}7",
            text="@acme and the second parcel too",
            author_handle="cara",
            author_name="Cara Nowak",
            created_at=at.format(6),
        )
    )
    return posts


def _picture(services: Services, workspace: Workspace, prefix: str) -> dict[str, Any]:
    """What a person sees, with database ids replaced by the order things appeared in and
    the workspace's own name (the mention's source) left out."""
    with services.engine.connect() as conn:
        posts = conn.execute(
            select(t.posts).where(t.posts.c.workspace_id == workspace.id).order_by(t.posts.c.id)
        ).all()
        cases = {
            row.id: row
            for row in conn.execute(select(t.cases).where(t.cases.c.workspace_id == workspace.id))
        }
        authors = {
            row.id: row
            for row in conn.execute(
                select(t.authors).where(t.authors.c.workspace_id == workspace.id)
            )
        }
    case_order: dict[int, int] = {}
    picture = []
    for post in posts:
        case = cases.get(post.case_id) if post.case_id else None
        if case is not None:
            case_order.setdefault(case.id, len(case_order))
        author = authors[post.author_id]
        picture.append(
            (
                post.platform_post_id.removeprefix(prefix),
                [{k: v for k, v in m.items() if k != "source"} for m in post.mentions],
                # the spam model scores a batch's repeats together, as the batch contract does
                {k: v for k, v in post.triage.items() if k != "spam_score"},
                (author.handle, author.name, author.followers),
                None
                if case is None
                else (
                    case_order[case.id],
                    case.status,
                    case.priority,
                    case.needs_reply,
                    case.tagged,
                    case.mention_kind,
                    case.summary,
                    case.last_activity_at,
                ),
            )
        )
    return {"posts": picture, "cases": len(cases), "authors": len(authors)}


def _results(results: list[Any], prefix: str, ids: dict[int, str]) -> list[tuple[str, str]]:
    return [(r.status, ids.get(r.post_id, "?")) for r in results]


def _events(services: Services, workspace: Workspace) -> Counter[str]:
    return Counter(
        type(e).__name__
        for e in services.published
        if getattr(e, "workspace_id", None) == workspace.id
    )


def test_a_batch_routes_like_one_post_at_a_time(make_services: ServicesFactory) -> None:
    services = make_services()
    one_by_one = create_workspace(services, "one", "One")
    batched = create_workspace(services, "batch", "Batch")

    a, b = _stream("a"), _stream("b")
    for workspace, earlier in ((one_by_one, a[:2]), (batched, b[:2])):  # cases stored before
        for raw in earlier:
            services.pipeline.ingest(workspace, raw, source="test")

    singles = [services.pipeline.ingest(one_by_one, raw, source="test") for raw in a[1:]]
    batch = list(services.pipeline.ingest_many(batched, b[1:], source="test"))

    assert _picture(services, one_by_one, "a") == _picture(services, batched, "b")
    with services.engine.connect() as conn:
        ids = {
            row.id: row.platform_post_id[1:]
            for row in conn.execute(select(t.posts.c.id, t.posts.c.platform_post_id))
        }
    assert _results(singles, "a", ids) == _results(batch, "b", ids)
    assert [r.status for r in batch].count("duplicate") == 2  # stored before; twice in it
    assert _events(services, one_by_one) == _events(services, batched)
    assert _events(services, batched)["PostReceived"] == 7
    assert _events(services, batched)["CustomerWrote"] >= 2


def test_a_batch_seen_again_changes_nothing_and_costs_two_transactions(
    make_services: ServicesFactory, monkeypatch: Any
) -> None:
    services = make_services()
    workspace = create_workspace(services)
    stream = _stream("c") + [raw_post(author_handle=f"fan{i}") for i in range(40)]
    commits: list[int] = []
    close = UnitOfWork.__exit__

    def counting_exit(self: UnitOfWork, *exc: Any) -> None:
        commits.append(self.commits)
        close(self, *exc)

    monkeypatch.setattr(UnitOfWork, "__exit__", counting_exit)

    first = list(services.pipeline.ingest_many(workspace, stream, source="test"))
    assert sum(commits) == 2  # the batch's routing, then all its follow-ups together
    before = _picture(services, workspace, "c")
    again = list(services.pipeline.ingest_many(workspace, stream, source="test"))

    assert [r.status for r in again] == ["duplicate"] * len(stream)
    assert [(r.post_id, r.case_id) for r in again] == [(r.post_id, r.case_id) for r in first]
    assert _picture(services, workspace, "c") == before
