"""Facebook and Instagram end to end, over real HTTP: the fake Graph server signs and sends
webhooks to a running mentiondesk, agents answer on its pages, and the fake records what
mentiondesk asked of Meta."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import func, select

from mentiondesk.connectors.meta import fake_webhooks as wh
from mentiondesk.connectors.meta.fake_wire import FakeObject
from mentiondesk.storage import tables as t
from tests.e2e.meta_live import (
    AGENT,
    IG,
    OWNER,
    PAGE,
    PAGE_TOKEN,
    VERIFY_TOKEN,
    Live,
    live_desk,
)

API = "/api/v1/workspaces/skylot"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    with live_desk(tmp_path) as running:
        yield running


@pytest.fixture
def connected(live: Live) -> Live:
    owner, csrf = live.client(OWNER)
    answer = owner.post(
        f"{API}/channels",
        json={"platform": "facebook", "external_id": PAGE, "token": PAGE_TOKEN},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["state"] == "connected"
    assert answer.json()["subscription"] == "subscribed"
    return live


def wait_for(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def count(live: Live, table: Any) -> int:
    with live.services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def brand_post_and_comment(
    live: Live, text: str = "My bag never arrived in Milan"
) -> tuple[FakeObject, FakeObject]:
    graph = live.fake.graph
    post = graph.add_post(PAGE, "Our new route to Milan starts today!")
    comment = graph.add_comment(post.id, text, author_id="5550001", author_name="Tomasz K")
    return post, comment


def comment_webhook(
    live: Live, post: FakeObject, comment: FakeObject, *, verb: str = "add", **extra: Any
) -> httpx.Response:
    change = wh.comment(
        comment_id=comment.id,
        post_id=post.id,
        message=extra.pop("message", comment.message),
        author_id=extra.pop("author_id", comment.author_id),
        author_name=extra.pop("author_name", comment.author_name),
        at=extra.pop("at", datetime.now(UTC)),
        verb=verb,
        **extra,
    )
    body = wh.batch("page", wh.entry(PAGE, datetime.now(UTC), changes=[change]))
    return live.fake.deliver(live.webhook_url, body)


def case_for(client: httpx.Client, text: str) -> dict[str, Any]:
    def find() -> dict[str, Any] | None:
        cases = client.get(f"{API}/cases").json()["items"]
        return next((c for c in cases if text in c["summary"]), None)

    found: dict[str, Any] = wait_for(find)
    return found


def reply_by_form(
    client: httpx.Client, csrf: str, case_id: int, text: str, visibility: str = "public"
) -> httpx.Response:
    page = client.get(f"/w/skylot/cases/{case_id}").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    version = re.search(r'name="version" value="(\d+)"', page)
    assert key and version
    return client.post(
        f"/w/skylot/cases/{case_id}/reply",
        data={
            "csrf_token": csrf,
            "idempotency_key": key.group(1),
            "version": version.group(1),
            "text": text,
            "visibility": visibility,
        },
    )


# -- hearing --------------------------------------------------------------------------------


def test_the_handshake_answers_the_challenge_only_for_the_verify_token(live: Live) -> None:
    ok = wh.handshake(live.webhook_url, VERIFY_TOKEN, challenge="1158201444")
    assert ok.status_code == 200 and ok.text == "1158201444"
    assert wh.handshake(live.webhook_url, "guessed").status_code == 403


def test_a_signed_comment_becomes_a_case_that_the_agent_answers_under_the_comment(
    connected: Live,
) -> None:
    live = connected
    post, comment = brand_post_and_comment(live)
    answer = comment_webhook(live, post, comment)
    assert answer.status_code == 200 and answer.json()["ingested"] == 1

    agent, csrf = live.client(AGENT)
    case = case_for(agent, "never arrived in Milan")
    page = wait_for(
        lambda: (
            (p := agent.get(f"/w/skylot/cases/{case['id']}").text)
            and "Our new route to Milan" in p
            and p
        )
    )
    assert "Comments on the brand" in page  # the brand post the comment sits under

    sent = reply_by_form(agent, csrf, case["id"], "Tomasz, we are sorry: the bag is on its way.")
    assert sent.status_code == 303, sent.text
    posted = live.fake.graph.requests_to("POST", f"/{comment.id}/comments")
    assert [r.params["message"] for r in posted] == ["Tomasz, we are sorry: the bag is on its way."]
    assert "delivery-sent" in agent.get(f"/w/skylot/cases/{case['id']}").text

    # Meta tells us about our own reply: recognised as ours, no case, no second copy.
    ours = live.fake.graph.objects[
        next(
            o for o in live.fake.graph.objects if live.fake.graph.objects[o].parent_id == comment.id
        )
    ]
    echo = comment_webhook(
        live, post, ours, author_id=PAGE, author_name="Skylot", parent_id=comment.id
    )
    assert echo.json()["ours"] == 1
    cases = agent.get(f"{API}/cases").json()["items"]
    assert len(cases) == 1


def test_a_wrong_or_missing_signature_is_refused_and_nothing_is_stored(connected: Live) -> None:
    live = connected
    post, comment = brand_post_and_comment(live)
    body = wh.batch(
        "page",
        wh.entry(
            PAGE,
            datetime.now(UTC),
            changes=[
                wh.comment(
                    comment_id=comment.id,
                    post_id=post.id,
                    message="forged",
                    author_id="1",
                    author_name="x",
                    at=datetime.now(UTC),
                )
            ],
        ),
    )
    before = (count(live, t.posts), count(live, t.rejected_inputs))
    wrong = wh.deliver(live.webhook_url, body, "not-the-app-secret")
    missing = httpx.post(live.webhook_url, content=wh.encode(body))
    assert (wrong.status_code, missing.status_code) == (403, 401)
    too_big = httpx.post(
        live.webhook_url,
        content=b"x" * (1024 * 1024 + 1),
        headers={"X-Hub-Signature-256": "sha256=00"},
    )
    assert too_big.status_code == 413
    assert (count(live, t.posts), count(live, t.rejected_inputs)) == before


def test_a_part_meta_sends_that_is_not_understood_is_kept_and_the_rest_goes_on(
    connected: Live,
) -> None:
    live = connected
    post, comment = brand_post_and_comment(live, "Skylot lost my suitcase")
    good = wh.comment(
        comment_id=comment.id,
        post_id=post.id,
        message=comment.message,
        author_id=comment.author_id,
        author_name=comment.author_name,
        at=datetime.now(UTC),
    )
    unknown = {"field": "ratings", "value": {"item": "rating", "verb": "add"}}
    body = wh.batch("page", wh.entry(PAGE, datetime.now(UTC), changes=[unknown, good]))
    answer = live.fake.deliver(live.webhook_url, body)
    assert answer.status_code == 200
    assert answer.json()["rejected"] == 1 and answer.json()["ingested"] == 1
    with live.services.engine.connect() as conn:
        reasons = list(conn.execute(select(t.rejected_inputs.c.reason, t.rejected_inputs.c.source)))
    assert any("ratings" in r.reason and r.source == "webhook:meta" for r in reasons)
    agent, _ = live.client(AGENT)
    assert case_for(agent, "lost my suitcase")


def test_edits_keep_the_earlier_text_and_a_deletion_by_the_author_is_marked(
    connected: Live,
) -> None:
    live = connected
    post, comment = brand_post_and_comment(live, "Skylot your staff were rude")
    comment_webhook(live, post, comment)
    agent, _ = live.client(AGENT)
    case = case_for(agent, "staff were rude")
    edited = comment_webhook(
        live, post, comment, verb="edited", message="Skylot your staff were very rude to me"
    )
    assert edited.json()["applied"] == 1
    removed = comment_webhook(live, post, comment, verb="remove")
    assert removed.json()["applied"] == 1
    page = agent.get(f"/w/skylot/cases/{case['id']}").text
    assert "very rude to me" in page
    assert "earlier version" in page and "Skylot your staff were rude</li>" in page
    assert "by its author" in page
    assert count(live, t.posts) >= 1  # nothing deleted


def test_a_reply_written_in_metas_own_inbox_shows_as_the_brands(connected: Live) -> None:
    live = connected
    post, comment = brand_post_and_comment(live, "Skylot when is my refund coming")
    comment_webhook(live, post, comment)
    agent, _ = live.client(AGENT)
    case = case_for(agent, "refund coming")
    by_page = live.fake.graph.add_comment(
        comment.id, "Hi! Refunds take 5 days.", author_id=PAGE, author_name="Skylot"
    )
    answer = comment_webhook(live, post, by_page, parent_id=comment.id)
    assert answer.json()["applied"] == 1
    page = agent.get(f"/w/skylot/cases/{case['id']}").text
    assert "Refunds take 5 days" in page and "the brand, written on Facebook" in page
    assert len(agent.get(f"{API}/cases").json()["items"]) == 1


def test_messenger_messages_open_a_case_and_our_own_echoes_do_not(connected: Live) -> None:
    live = connected
    now = datetime.now(UTC)
    customer = "6000123"
    live.fake.graph.add_conversation(PAGE, customer, now)
    message = wh.message(
        sender=customer, recipient=PAGE, mid="m_abc1", text="Where is my order 123?", at=now
    )
    live.fake.deliver(live.webhook_url, wh.batch("page", wh.entry(PAGE, now, messaging=[message])))
    agent, csrf = live.client(AGENT)
    case = case_for(agent, "my order 123")
    page = agent.get(f"/w/skylot/cases/{case['id']}").text
    assert "Direct message" in page
    assert re.search(r'<input type="radio" name="visibility" value="public"\s+disabled', page)
    sent = reply_by_form(agent, csrf, case["id"], "It ships today.", visibility="private")
    assert sent.status_code == 303
    assert [m["text"] for m in live.fake.graph.sent_messages] == ["It ships today."]
    mid = live.fake.graph.sent_messages[0]["mid"]
    echo = wh.message(
        sender=PAGE, recipient=customer, mid=mid, text="It ships today.", at=now, echo=True
    )
    echo["message"]["app_id"] = live.fake.graph.app_id
    answer = live.fake.deliver(
        live.webhook_url, wh.batch("page", wh.entry(PAGE, now, messaging=[echo]))
    )
    assert answer.json()["ours"] == 1
    assert len(agent.get(f"{API}/cases").json()["items"]) == 1


# -- answering ------------------------------------------------------------------------------


def test_a_second_private_reply_is_refused_with_metas_reason_on_the_case(connected: Live) -> None:
    live = connected
    post, comment = brand_post_and_comment(live, "Skylot I need my booking number")
    comment_webhook(live, post, comment)
    agent, csrf = live.client(AGENT)
    case = case_for(agent, "booking number")
    page = agent.get(f"/w/skylot/cases/{case['id']}").text
    assert "Private reply (once per comment, within 7 days)" in page
    reply_by_form(agent, csrf, case["id"], "Sent you the number privately.", "private")
    page = agent.get(f"/w/skylot/cases/{case['id']}").text
    assert "A private reply was already sent" in page  # greyed out with the reason
    reply_by_form(agent, csrf, case["id"], "And once more.", "private")
    page = agent.get(f"/w/skylot/cases/{case['id']}").text
    assert "Activity already replied to" in page
    detail = agent.get(f"{API}/cases/{case['id']}").json()
    statuses = sorted(r["status"] for r in detail["replies"])
    assert statuses == ["failed", "sent"]
    assert len(live.fake.graph.sent_messages) == 1


def test_hiding_a_comment_hides_it_on_facebook(connected: Live) -> None:
    live = connected
    post, comment = brand_post_and_comment(live, "Skylot buy cheap watches at spam.example")
    comment_webhook(live, post, comment)
    agent, csrf = live.client(AGENT)
    case = case_for(agent, "cheap watches")
    detail = agent.get(f"{API}/cases/{case['id']}").json()
    post_id = detail["posts"][0]["id"]
    hidden = agent.post(
        f"/w/skylot/posts/{post_id}/hide", data={"csrf_token": csrf, "reason": "spam"}
    )
    assert hidden.status_code == 303
    assert live.fake.graph.objects[comment.id].is_hidden is True
    assert live.fake.graph.requests_to("POST", f"/{comment.id}")[-1].params["is_hidden"] == "true"


def test_a_rate_limit_613_is_retried_after_metas_delay(connected: Live) -> None:
    live = connected
    post, comment = brand_post_and_comment(live, "Skylot my flight was cancelled")
    comment_webhook(live, post, comment)
    agent, csrf = live.client(AGENT)
    case = case_for(agent, "flight was cancelled")
    live.fake.graph.fail_next("rate_limit", code=613, regain_minutes=3, path="/comments")
    reply_by_form(agent, csrf, case["id"], "We rebooked you on the 18:05.")
    detail = agent.get(f"{API}/cases/{case['id']}").json()
    reply = detail["replies"][0]
    assert reply["status"] == "queued"
    assert live.services.outbox.run_due() == []  # not before Meta's 3 minutes
    live.clock.advance(timedelta(minutes=3, seconds=1))
    live.services.outbox.run_due()
    detail = agent.get(f"{API}/cases/{case['id']}").json()
    assert detail["replies"][0]["status"] == "sent"
    posted = live.fake.graph.requests_to("POST", f"/{comment.id}/comments")
    assert len(posted) == 2  # the refused attempt and the retry


def test_a_revoked_token_shows_the_channel_disconnected_with_metas_reason(
    connected: Live,
) -> None:
    live = connected
    post, comment = brand_post_and_comment(live, "Skylot hello?")
    comment_webhook(live, post, comment)
    agent, csrf = live.client(AGENT)
    case = case_for(agent, "Skylot hello")
    live.fake.graph.revoke(PAGE_TOKEN)
    reply_by_form(agent, csrf, case["id"], "Hello Tomasz!")
    detail = agent.get(f"{API}/cases/{case['id']}").json()
    assert detail["replies"][0]["status"] == "failed"
    owner, _ = live.client(OWNER)
    channels = owner.get("/w/skylot/channels").text
    assert 'data-state="disconnected"' in channels
    assert "password was changed" in channels
    assert owner.get(f"{API}/channels").json()[0]["state"] == "disconnected"


def test_instagram_comments_arrive_and_like_is_greyed_out(live: Live) -> None:
    owner, csrf = live.client(OWNER)
    answer = owner.post(
        f"{API}/channels",
        json={
            "platform": "instagram",
            "external_id": IG,
            "token": PAGE_TOKEN,
            "messaging_id": PAGE,
        },
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 201, answer.text
    media = live.fake.graph.add_post(IG, "New lounge in Rome")
    change = wh.ig_comment(
        comment_id="18000000001",
        media_id=media.id,
        text="Skylot the lounge was closed",
        author_id="77",
        username="giulia",
    )
    live.fake.deliver(
        live.webhook_url, wh.batch("instagram", wh.entry(IG, datetime.now(UTC), changes=[change]))
    )
    case = case_for(owner, "lounge was closed")
    page = owner.get(f"/w/skylot/cases/{case['id']}").text
    assert "Like: Instagram has no like in its API." in page


# -- connecting and catching up -------------------------------------------------------------


def test_an_admin_connects_a_page_through_metas_login(live: Live) -> None:
    owner, csrf = live.client(OWNER)
    start = owner.get("/w/skylot/channels/meta/connect")
    assert start.status_code == 303
    dialog = urlsplit(start.headers["location"])
    query = parse_qs(dialog.query)
    assert dialog.netloc == "www.facebook.com" and query["client_id"] == [live.fake.graph.app_id]
    assert "pages_manage_engagement" in query["scope"][0]
    live.fake.graph.add_user("user-token-olga", [PAGE])
    code = live.fake.graph.issue_code("user-token-olga")
    callback = urlsplit(query["redirect_uri"][0]).path
    picked = owner.get(callback, params={"code": code, "state": query["state"][0]})
    assert picked.status_code == 200, picked.text
    assert "Facebook Page Skylot" in picked.text
    sealed = re.search(r'name="sealed" value="([^"]+)"', picked.text)
    assert sealed and "user-token" not in sealed.group(1)
    done = owner.post(
        "/w/skylot/channels/meta/pick",
        data={"csrf_token": csrf, "sealed": sealed.group(1), "choice": f"facebook:{PAGE}"},
    )
    assert done.status_code == 303
    assert "feed" in live.fake.graph.page_subscriptions(PAGE)
    assert owner.get(f"{API}/channels").json()[0]["subscription"] == "subscribed"
    forged = owner.get(callback, params={"code": "x", "state": "forged"})
    assert forged.status_code == 403


def test_agents_see_channels_but_cannot_change_them(connected: Live) -> None:
    agent, csrf = connected.client(AGENT)
    page = agent.get("/w/skylot/channels")
    assert page.status_code == 200 and "Skylot" in page.text and "Pause</button>" not in page.text
    refused = agent.post(f"{API}/channels/1/pause", headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 403


def test_reconcile_adds_what_webhooks_missed_without_duplicates(connected: Live) -> None:
    live = connected
    graph = live.fake.graph
    post = graph.add_post(PAGE, "Winter timetable is out")
    for n in range(30):  # more than one page of comments
        graph.add_comment(post.id, f"Skylot question {n}", author_id=f"90{n}", author_name=f"P{n}")
    owner, csrf = live.client(OWNER)
    first = owner.post(f"{API}/channels/reconcile", headers={"X-CSRF-Token": csrf}).json()
    assert first["read"] == 31 and first["failed"] == []
    posts = count(live, t.posts)
    assert posts == 31
    second = owner.post(f"{API}/channels/reconcile", headers={"X-CSRF-Token": csrf}).json()
    assert second["failed"] == [] and count(live, t.posts) == posts
    assert len(owner.get(f"{API}/cases", params={"limit": 100}).json()["items"]) == 30


def test_paused_channels_hold_replies_and_resume(connected: Live) -> None:
    live = connected
    post, comment = brand_post_and_comment(live, "Skylot ping")
    comment_webhook(live, post, comment)
    owner, csrf = live.client(OWNER)
    channel = owner.get(f"{API}/channels").json()[0]
    owner.post(f"{API}/channels/{channel['id']}/pause", headers={"X-CSRF-Token": csrf})
    assert "paused" in owner.get("/w/skylot/channels").text
    case = case_for(owner, "Skylot ping")
    reply_by_form(owner, csrf, case["id"], "Pong")
    assert owner.get(f"{API}/cases/{case['id']}").json()["replies"][0]["status"] == "queued"
    assert live.fake.graph.requests_to("POST", f"/{comment.id}/comments") == []
    owner.post(f"{API}/channels/{channel['id']}/resume", headers={"X-CSRF-Token": csrf})
    live.clock.advance(timedelta(minutes=11))
    live.services.outbox.run_due()
    assert owner.get(f"{API}/cases/{case['id']}").json()["replies"][0]["status"] == "sent"
