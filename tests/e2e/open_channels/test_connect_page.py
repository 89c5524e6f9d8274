"""Connecting an open channel from the Channels page's forms: the same checks as ``channel
add``, a refusal beside its field with the typed values kept and the secrets not, CSRF and the
admin role required."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from mentiondesk.connectors.mastodon.fake_server import FakeMastodonServer
from mentiondesk.web.app import create_app
from tests.e2e.open_channels.harness import Desk


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_a_bad_url_is_refused_beside_its_field_and_the_secret_is_not_sent_back(
    desk: Desk,
) -> None:
    with desk.api() as (client, _):
        csrf = _csrf(client.get("/w/skylot/channels").text)
        answer = client.post(
            "/w/skylot/channels/open/mastodon",
            data={"instance": "mastodon.example", "token": "s3cret-token", "csrf_token": csrf},
        )
    assert answer.status_code == 422
    assert 'id="open-mastodon-instance-error"' in answer.text
    assert "must be a http or https URL" in answer.text
    assert 'value="mastodon.example"' in answer.text
    assert "s3cret-token" not in answer.text
    assert "mastodon" not in desk.ok("channel", "list", "--workspace", "skylot")


def test_the_form_connects_what_channel_add_would_and_needs_csrf(desk: Desk) -> None:
    with FakeMastodonServer(token="brand-token", brand_acct="skylot") as fake:
        form = {"instance": fake.base_url, "token": "brand-token"}
        with desk.api() as (client, _):
            forged = client.post("/w/skylot/channels/open/mastodon", data=form)
            assert forged.status_code == 403
            csrf = _csrf(client.get("/w/skylot/channels").text)
            done = client.post("/w/skylot/channels/open/mastodon", data=form | {"csrf_token": csrf})
            assert done.status_code == 303, done.text
            unknown = client.post(
                "/w/skylot/channels/open/myspace", data=form | {"csrf_token": csrf}
            )
            assert unknown.status_code in (400, 422)
    listing = desk.ok("channel", "list", "--workspace", "skylot")
    assert "mastodon" in listing and "@skylot@" in listing


def test_an_agent_cannot_connect_a_channel(desk: Desk) -> None:
    desk.ok(
        "user", "create", "--email", "gino@skylot.example", "--name", "Gino", "--password",
        "another-horse-battery", "--workspace", "skylot", "--role", "agent",
    )  # fmt: skip
    services = desk.services()
    with TestClient(create_app(services), follow_redirects=False) as client:
        login = client.get("/login")
        client.post(
            "/login",
            data={
                "email": "gino@skylot.example",
                "password": "another-horse-battery",
                "csrf_token": _csrf(login.text),
                "next": "/",
            },
        )
        page = client.get("/w/skylot/channels")
        assert "Connect an open network" not in page.text
        refused = client.post(
            "/w/skylot/channels/open/rss",
            data={"url": "https://example.com/feed.xml", "csrf_token": _csrf(page.text)},
        )
    services.close()
    assert refused.status_code == 403
