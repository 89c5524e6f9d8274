"""A fake Graph server per test, with one Facebook Page and one linked Instagram account."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from mentiondesk.connectors.meta.connector import MetaAccount, MetaConnector
from mentiondesk.connectors.meta.fake_server import FakeGraphServer
from mentiondesk.connectors.meta.graph import GraphClient
from mentiondesk.domain.posts import Platform

PAGE = "1234567890321"
PAGE_TOKEN = "page-token-acme"
IG = "17841405726653026"
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def fake() -> Iterator[FakeGraphServer]:
    with FakeGraphServer() as server:
        server.graph.clock = lambda: NOW
        server.graph.add_page(PAGE, PAGE_TOKEN, name="Acme")
        server.graph.add_instagram(IG, PAGE_TOKEN, page_id=PAGE)
        yield server


@pytest.fixture
def graph(fake: FakeGraphServer) -> Iterator[GraphClient]:
    with GraphClient(fake.graph_url, app_secret="fake-app-secret", timeout=0.5) as client:
        yield client


@pytest.fixture
def facebook(graph: GraphClient) -> MetaConnector:
    return MetaConnector(graph, MetaAccount(Platform.FACEBOOK, PAGE, PAGE_TOKEN))


@pytest.fixture
def instagram(graph: GraphClient) -> MetaConnector:
    account = MetaAccount(Platform.INSTAGRAM, IG, PAGE_TOKEN, messaging_id=PAGE)
    return MetaConnector(graph, account)
