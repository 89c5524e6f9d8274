"""Channel accounts on SQLite and PostgreSQL: tokens sealed at rest, one account one workspace,
webhook events applied once (edits keep the earlier text, ours never open a case), reconcile
without duplicates, and the outbox delivering through the account's own connector."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from mentiondesk.bootstrap import Services
from mentiondesk.connectors.meta import fake_webhooks as wh
from mentiondesk.connectors.meta.fake_server import FakeGraphServer
from mentiondesk.desk.access import actor_for
from mentiondesk.desk.channels import do_connect_channel, do_mark_disconnected
from mentiondesk.desk.hours_publishing import do_publish_hours_posts
from mentiondesk.desk.sla_settings import do_update_desk_settings
from mentiondesk.domain.channels import ChannelState, Subscription
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.posts import Platform
from mentiondesk.storage import tables as t
from mentiondesk.storage.tables_channels import channel_accounts
from tests.conftest import ServicesFactory
from tests.factories import Desk, build_desk

PAGE, TOKEN = "1234567890321", "page-token-acme"


@pytest.fixture
def fake() -> Iterator[FakeGraphServer]:
    with FakeGraphServer() as server:
        server.graph.add_page(PAGE, TOKEN, name="Acme")
        yield server


@pytest.fixture
def services(
    make_services: ServicesFactory, fake: FakeGraphServer, monkeypatch: pytest.MonkeyPatch
) -> Services:
    monkeypatch.setenv("MENTIONDESK_META_GRAPH_URL", fake.graph_url)
    monkeypatch.setenv("MENTIONDESK_META_APP_ID", fake.graph.app_id)
    monkeypatch.setenv("MENTIONDESK_META_APP_SECRET", fake.graph.app_secret)
    return make_services()


@pytest.fixture
def connected(services: Services, desk: Desk) -> Desk:
    assert services.meta is not None
    with services.uow() as uow:
        actor = actor_for(uow, desk.owner, desk.workspace.slug)
        do_connect_channel(
            uow, actor, Platform.FACEBOOK, PAGE, TOKEN, app=services.meta, now=services.clock.now()
        )
    return desk


def comment_body(fake: FakeGraphServer, text: str, **options: object) -> bytes:
    post = fake.graph.add_post(PAGE, "Brand post")
    comment = fake.graph.add_comment(post.id, text, author_id="777", author_name="Tomasz")
    at = fake.graph.clock()
    change = wh.comment(
        comment_id=comment.id,
        post_id=post.id,
        message=text,
        author_id="777",
        author_name="Tomasz",
        at=at,
    )
    return wh.encode(wh.batch("page", wh.entry(PAGE, at, changes=[change])))


def test_tokens_are_sealed_at_rest_and_an_account_belongs_to_one_workspace(
    services: Services, connected: Desk
) -> None:
    with services.engine.connect() as conn:
        stored = conn.execute(select(channel_accounts.c.token)).scalar_one()
    assert stored.startswith("fernet:") and TOKEN not in stored
    with services.uow() as uow:
        account = uow.channels.by_external(Platform.FACEBOOK, PAGE)
    assert account is not None and account.token == TOKEN
    assert account.subscription is Subscription.SUBSCRIBED

    other = build_desk(services, "globex", "Globex")
    assert services.meta is not None
    with services.uow() as uow, pytest.raises(InvalidInput, match="another workspace"):
        do_connect_channel(
            uow,
            actor_for(uow, other.owner, "globex"),
            Platform.FACEBOOK,
            PAGE,
            TOKEN,
            app=services.meta,
            now=services.clock.now(),
        )


def test_a_disconnected_account_is_recorded_once_in_the_audit_log(
    services: Services, connected: Desk
) -> None:
    with services.uow() as uow:
        account = uow.channels.by_external(Platform.FACEBOOK, PAGE)
        assert account is not None
        for _ in range(2):
            do_mark_disconnected(uow, account.id, "token expired", now=services.clock.now())
        again = uow.channels.by_external(Platform.FACEBOOK, PAGE)
    assert again is not None and again.state is ChannelState.DISCONNECTED
    assert again.state_reason == "token expired"
    with services.engine.connect() as conn:
        logged = conn.execute(
            select(func.count())
            .select_from(t.audit_log)
            .where(t.audit_log.c.action == "channel.disconnected")
        ).scalar_one()
    assert logged == 1


def test_a_comment_webhook_is_stored_once_and_its_edit_keeps_the_earlier_text(
    services: Services, connected: Desk, fake: FakeGraphServer
) -> None:
    body = comment_body(fake, "Acme my parcel is late")
    first = services.apply_meta_webhook(body)
    again = services.apply_meta_webhook(body)  # Meta redelivers
    assert first.ingested == 1 and again.ingested == 1
    with services.engine.connect() as conn:
        posts = conn.execute(select(t.posts.c.id, t.posts.c.case_id)).all()
    assert len(posts) == 1 and posts[0].case_id is not None

    post_id = next(o for o in fake.graph.objects if fake.graph.objects[o].kind == "comment")
    root = fake.graph.objects[post_id].root_id
    assert root is not None
    edit = wh.comment(
        comment_id=post_id,
        post_id=root,
        message="Acme my parcel is very late",
        author_id="777",
        author_name="Tomasz",
        at=fake.graph.clock(),
        verb="edited",
    )
    services.apply_meta_webhook(
        wh.encode(wh.batch("page", wh.entry(PAGE, fake.graph.clock(), changes=[edit])))
    )
    with services.uow() as uow:
        stored = uow.posts.get(connected.workspace.id, posts[0].id)
    assert stored is not None and stored.inbound.text == "Acme my parcel is very late"
    assert stored.extra["versions"][0]["text"] == "Acme my parcel is late"


def test_events_for_an_unknown_page_are_kept_with_the_reason(services: Services) -> None:
    fake_body = wh.encode(
        wh.batch(
            "page",
            wh.entry(
                "999",
                services.clock.now(),
                changes=[
                    wh.visitor_post(
                        post_id="999_1",
                        message="hello",
                        author_id="1",
                        author_name="A",
                        at=services.clock.now(),
                    )
                ],
            ),
        )
    )
    outcome = services.apply_meta_webhook(fake_body)
    assert outcome.rejected == 1
    with services.engine.connect() as conn:
        reasons = conn.execute(select(t.rejected_inputs.c.reason)).scalars().all()
    assert any("no facebook channel account 999" in r for r in reasons)


def test_reconcile_twice_stores_each_post_and_comment_once(
    services: Services, connected: Desk, fake: FakeGraphServer
) -> None:
    fake.graph.clock = services.clock.now
    post = fake.graph.add_post(PAGE, "Autumn sale")
    for n in range(3):
        fake.graph.add_comment(post.id, f"Acme question {n}", author_id=f"8{n}")
    first = services.reconcile_meta()
    second = services.reconcile_meta()
    assert first.read == 4 and second.read == 4
    with services.engine.connect() as conn:
        posts = conn.execute(select(func.count()).select_from(t.posts)).scalar_one()
        cases = conn.execute(select(func.count()).select_from(t.cases)).scalar_one()
    assert (posts, cases) == (4, 3)  # the brand post is the brand's: no case of its own


def test_the_outbox_delivers_through_the_accounts_connector_and_never_on_a_paused_one(
    services: Services, connected: Desk, fake: FakeGraphServer
) -> None:
    fake.graph.clock = services.clock.now
    services.apply_meta_webhook(comment_body(fake, "Acme where is my refund"))
    with services.engine.connect() as conn:
        case_id = conn.execute(select(t.cases.c.id)).scalar_one()
    sent = connected.reply(connected.agent, case_id, "Refunds take five days.")
    reply = services.outbox.deliver(connected.workspace.id, sent.id)
    assert reply.status.value == "sent"
    comment = next(o for o in fake.graph.objects.values() if o.author_id == "777")
    assert [
        r.params["message"] for r in fake.graph.requests_to("POST", f"/{comment.id}/comments")
    ] == ["Refunds take five days."]
    with services.uow() as uow:
        account = uow.channels.by_external(Platform.FACEBOOK, PAGE)
        assert account is not None
        uow.channels.update(account.id, now=services.clock.now(), state=ChannelState.PAUSED)
        uow.commit()
    queued = connected.reply(connected.agent, case_id, "And one more thing.")
    held = services.outbox.deliver(connected.workspace.id, queued.id)
    assert held.status.value == "queued" and held.next_attempt_at is not None
    assert held.attempts == 0  # a pause spends no attempt
    assert held.next_attempt_at - services.clock.now() >= timedelta(minutes=9)


def test_the_opening_post_is_published_on_the_connected_page(
    services: Services, connected: Desk, fake: FakeGraphServer
) -> None:
    weekdays = {str(d): [["08:00", "20:00"]] for d in range(5)}
    with services.uow() as uow:
        do_update_desk_settings(
            uow,
            connected.actor(connected.owner),
            {
                "time_zone": "Europe/Warsaw",
                "hours": weekdays,
                "holiday_countries": ["PL"],
                "channels": {"facebook": "en"},
                "publish_hours": True,
            },
            now=services.clock.now(),
        )
    at = datetime(2026, 11, 24, 7, 5, tzinfo=UTC)  # Tuesday 08:05 in Warsaw
    assert isinstance(services.clock, FixedClock)
    services.clock.set(at)
    with services.uow() as uow:
        report = do_publish_hours_posts(uow, at)
    assert (report.published, report.failed, report.simulated) == (1, 0, 0)
    published = fake.graph.requests_to("POST", f"/{PAGE}/feed")
    assert len(published) == 1 and "20:00" in published[0].params["message"]


def test_metas_notice_of_a_reply_still_in_flight_is_not_shown_twice(
    services: Services, connected: Desk, fake: FakeGraphServer
) -> None:
    fake.graph.clock = services.clock.now
    services.apply_meta_webhook(comment_body(fake, "Acme is the lounge open"))
    with services.engine.connect() as conn:
        case_id = conn.execute(select(t.cases.c.id)).scalar_one()
    with services.uow() as uow:
        account = uow.channels.by_external(Platform.FACEBOOK, PAGE)
        assert account is not None
        uow.channels.update(account.id, now=services.clock.now(), state=ChannelState.PAUSED)
        uow.commit()
    connected.reply(connected.agent, case_id, "Yes, until 22:00.")  # held: no id recorded yet
    comment = next(o for o in fake.graph.objects.values() if o.author_id == "777")
    assert comment.root_id is not None
    by_page = wh.comment(
        comment_id=f"{comment.root_id.split('_')[-1]}_424242",
        post_id=comment.root_id,
        message="Yes, until 22:00.",
        author_id=PAGE,
        author_name="Acme",
        at=services.clock.now(),
        parent_id=comment.id,
    )
    outcome = services.apply_meta_webhook(
        wh.encode(wh.batch("page", wh.entry(PAGE, services.clock.now(), changes=[by_page])))
    )
    assert (outcome.ours_skipped, outcome.applied) == (1, 0)
    with services.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.posts)).scalar_one() == 1
