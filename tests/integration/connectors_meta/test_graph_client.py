"""The Graph client's reading and connecting calls against the fake, over real HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mentiondesk.connectors.meta.errors import FailureKind, GraphError
from mentiondesk.connectors.meta.events import EventKind, MetaEvent
from mentiondesk.connectors.meta.fake_server import FakeGraphServer
from mentiondesk.connectors.meta.graph import PAGE_WEBHOOK_FIELDS, GraphClient
from mentiondesk.connectors.meta.parser import event_from_graph_node
from mentiondesk.domain.posts import Platform

from .conftest import IG, NOW, PAGE, PAGE_TOKEN


def test_the_feed_is_read_newest_first_across_cursor_pages(
    fake: FakeGraphServer, graph: GraphClient
) -> None:
    for i in range(23):
        fake.graph.add_post(PAGE, f"post {i}", at=NOW - timedelta(minutes=i))

    posts = list(graph.feed(PAGE_TOKEN, PAGE, limit=10))

    assert [p["message"] for p in posts] == [f"post {i}" for i in range(23)]
    pages = fake.graph.requests_to("GET", f"/{PAGE}/feed")
    assert len(pages) == 3
    assert "after" not in pages[0].params and pages[1].params["after"]


def test_the_feed_can_start_at_a_time(fake: FakeGraphServer, graph: GraphClient) -> None:
    fake.graph.add_post(PAGE, "old", at=NOW - timedelta(days=2))
    fake.graph.add_post(PAGE, "new", at=NOW - timedelta(hours=1))

    posts = list(graph.feed(PAGE_TOKEN, PAGE, since=NOW - timedelta(days=1)))

    assert [p["message"] for p in posts] == ["new"]


def test_comments_come_flat_with_their_parents_and_read_back_as_webhook_events(
    fake: FakeGraphServer, graph: GraphClient
) -> None:
    post = fake.graph.add_post(PAGE, "Opening hours")
    top = fake.graph.add_comment(post.id, "When do you open?", author_id="7", author_name="Bo")
    answer = fake.graph.add_comment(top.id, "At nine.", author_id=PAGE, author_name="Acme")

    nodes = list(graph.comments(PAGE_TOKEN, post.id, limit=1))
    events = [event_from_graph_node(n, Platform.FACEBOOK, PAGE, root_id=post.id) for n in nodes]

    assert [n["id"] for n in nodes] == [top.id, answer.id]
    assert all(isinstance(e, MetaEvent) for e in events)
    first, second = events
    assert isinstance(first, MetaEvent) and isinstance(second, MetaEvent)
    assert first.kind is EventKind.COMMENT_ADDED and not first.ours
    assert first.post is not None and first.post["in_reply_to"] == post.id
    assert second.ours
    assert second.post is not None and second.post["in_reply_to"] == top.id


def test_subscribing_the_app_to_a_page_is_visible_in_subscribed_apps(
    fake: FakeGraphServer, graph: GraphClient
) -> None:
    assert graph.subscribed_apps(PAGE_TOKEN, PAGE) == []

    graph.subscribe_app(PAGE_TOKEN, PAGE)

    (app,) = graph.subscribed_apps(PAGE_TOKEN, PAGE)
    assert app["subscribed_fields"] == list(PAGE_WEBHOOK_FIELDS)
    assert fake.graph.page_subscriptions(PAGE) == list(PAGE_WEBHOOK_FIELDS)


def test_a_short_token_becomes_long_lived_and_lists_the_pages_with_their_tokens(
    fake: FakeGraphServer, graph: GraphClient
) -> None:
    fake.graph.add_user("short-user-token", [PAGE])

    long_lived = graph.exchange_token("fake-app", "fake-app-secret", "short-user-token")
    (page,) = graph.managed_pages(long_lived.access_token)

    assert long_lived.expires_in == 5183944
    assert (page.id, page.name, page.access_token) == (PAGE, "Acme", PAGE_TOKEN)
    assert page.instagram_account_id == IG
    assert "MESSAGING" in page.tasks


def test_a_wrong_app_secret_cannot_exchange_tokens(
    fake: FakeGraphServer, graph: GraphClient
) -> None:
    fake.graph.add_user("short-user-token", [PAGE])
    with pytest.raises(GraphError) as refused:
        graph.exchange_token("fake-app", "wrong", "short-user-token")
    assert refused.value.failure.code == 101


def test_the_token_travels_in_the_authorization_header_not_the_url(
    fake: FakeGraphServer, graph: GraphClient
) -> None:
    graph.get_object(PAGE_TOKEN, PAGE, "id,name")
    (request,) = fake.graph.requests
    assert request.token == PAGE_TOKEN
    assert "access_token" not in request.params


def test_usage_headers_of_the_last_answer_are_kept(
    fake: FakeGraphServer, graph: GraphClient
) -> None:
    fake.graph.fail_next("rate_limit", code=80001, regain_minutes=12)
    with pytest.raises(GraphError) as limited:
        graph.get_object(PAGE_TOKEN, PAGE, "id")
    assert limited.value.failure.kind is FailureKind.RATE_LIMITED
    assert graph.last_usage.percent == 100
    assert graph.last_usage.regain_after == 720


def test_an_unreachable_server_is_a_failure_that_certainly_did_not_happen() -> None:
    with (
        GraphClient("http://127.0.0.1:9/v25.0", timeout=0.5) as client,
        pytest.raises(GraphError) as down,
    ):
        client.publish("t", "1", "hello")
    assert down.value.failure.kind is FailureKind.SERVER
    assert not down.value.failure.uncertain


def test_an_id_that_would_walk_the_path_is_refused_before_sending(graph: GraphClient) -> None:
    with pytest.raises(GraphError):
        graph.comment(PAGE_TOKEN, "..", "hi")
