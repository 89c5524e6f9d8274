"""X end to end: a mention and a post found by recent search become cases; the answer to the
mention is a reply, the answer to the unsummoned post fails with X's reason; every read is
counted against the monthly budget, and polling stops at the cap, visibly."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

import pytest

from mentiondesk.connectors.x.fake_server import FakeX
from tests.e2e.open_channels.harness import Desk


@pytest.fixture
def fake() -> Iterator[FakeX]:
    with FakeX(brand_id="1000", brand_username="skylot") as server:
        yield server


def connect(desk: Desk, fake: FakeX, budget: str = "50") -> str:
    return desk.ok(
        "channel", "add", "x", "--workspace", "skylot", "--bearer-token", "bearer",
        "--user-token", "user-token", "--api-url", fake.base_url, "--monthly-budget", budget,
    )  # fmt: skip


def test_a_mention_is_answered_and_an_unsummoned_reply_fails_with_xs_reason(
    desk: Desk, fake: FakeX
) -> None:
    assert "@skylot connected" in connect(desk, fake)
    mention = fake.post_by("jane", "@skylot my flight was cancelled", mentions_brand=True)
    fake.post_by("piotr", "skylot has the worst coffee on board")
    desk.listen_once()
    assert len(desk.cases()) == 2
    read_cost = spent(desk)
    assert read_cost > 0  # one owned read and the search's posts

    sent = desk.answer(
        desk.case_with("my flight was cancelled")["id"], "We are sorry, we will rebook you."
    )
    refused = desk.answer(desk.case_with("worst coffee")["id"], "Thank you, we will tell the crew.")

    assert sent["status"] == "sent", sent
    replies = [
        r.json() for r in fake.recorder.requests if r.path == "/2/tweets" and r.method == "POST"
    ]
    assert replies[0]["reply"]["in_reply_to_tweet_id"] == mention
    assert refused["status"] == "failed" and "not allowed" in refused["failure_reason"]
    assert spent(desk) == read_cost + Decimal("0.010")  # the summoned reply; the refusal is free


def spent(desk: Desk) -> Decimal:
    listing = desk.ok("channel", "list", "--workspace", "skylot")
    found = re.search(r"\$([0-9.]+) of \$50 this month", listing)
    assert found, listing
    return Decimal(found.group(1))


def test_polling_stops_at_the_monthly_cap_and_says_so(desk: Desk, fake: FakeX) -> None:
    connect(desk, fake, budget="0.001")
    fake.post_by("jane", "@skylot hello there", mentions_brand=True)
    desk.listen_once()  # one owned read: $0.001, the whole budget
    before = len(fake.recorder.requests)
    fake.post_by("ola", "@skylot anyone?", mentions_brand=True)
    desk.listen_once()

    assert len(fake.recorder.requests) == before  # nothing more was read
    assert len(desk.cases()) == 1
    listing = desk.ok("channel", "list", "--workspace", "skylot")
    assert "polling stopped" in listing and "$0.001 of $0.001" in listing
    with desk.api() as (client, _):
        (channel,) = client.get("/api/v1/workspaces/skylot/channels").json()
    assert channel["kind"] == "x" and channel["spent_usd"] == "0.001"
    assert "polling stopped" in channel["last_error"]
    page = desk.page("/w/skylot/channels")
    assert "$0.001 of $0.001 this month" in page and "polling stopped" in page
