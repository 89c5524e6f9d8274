"""Posts read from an open channel and the channel's cursors are stored together, on SQLite
and PostgreSQL: a read stored twice adds nothing, a read with no posts still moves the cursor,
a malformed entry is kept with the channel and its reason."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from mentiondesk.bootstrap import Services
from mentiondesk.connectors.inbound import InboundEvent, Rejected, raw_post
from mentiondesk.desk.access import operator_actor
from mentiondesk.desk.open_channels import OpenChannel, do_connect_open_channel
from mentiondesk.desk.workspaces import do_create_workspace
from mentiondesk.domain.channels import ChannelAccount
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.workspaces import BrandIdentity, Workspace
from mentiondesk.pipeline.channel_ingest import ChannelIngest
from mentiondesk.storage import tables as t
from tests.conftest import START


def setup(services: Services) -> tuple[ChannelAccount, Workspace, ChannelIngest]:
    with services.uow() as uow:
        workspace = do_create_workspace(
            uow, slug="skylot", name="Skylot", now=START, brand=BrandIdentity(names=("Skylot",))
        )
        spec = OpenChannel(
            Platform.MASTODON, {"instance_url": "https://fake.social"}, {"token": "s"}
        )
        account = do_connect_open_channel(
            uow,
            operator_actor(uow, "skylot"),
            spec,
            now=START,
            check=lambda s: ("skylot@fake.social", "@skylot@fake.social", s),
        )
    return account, workspace, ChannelIngest(services.uow, services.stages, services.clock)


def mention(n: int) -> InboundEvent:
    at = START - timedelta(minutes=n)
    post = raw_post(
        platform=Platform.MASTODON, post_id=str(n), text=f"@skylot help {n}", created_at=at,
        author_handle=f"user{n}@fake.social",
    )  # fmt: skip
    return InboundEvent("mention", Platform.MASTODON, str(n), at, f"status:{n}", post)


def count(services: Services, table: object) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_posts_and_their_cursor_are_stored_together_and_once(services: Services) -> None:
    account, workspace, ingest = setup(services)
    events = [mention(1), mention(2)]

    first = ingest.ingest(account, workspace, events, [], {"notifications": "2"})
    again = ingest.ingest(account, workspace, events, [], {"notifications": "2"})

    assert (first.new, again.new, again.duplicates) == (2, 0, 2)
    assert count(services, t.posts) == 2
    with services.uow() as uow:
        assert uow.channels.cursors(account.id) == {"notifications": "2"}


def test_a_read_without_posts_still_moves_the_cursor(services: Services) -> None:
    account, workspace, ingest = setup(services)
    ingest.ingest(account, workspace, [], [], {"notifications": "7", "tag:skylot": "3"})
    ingest.ingest(account, workspace, [], [], {"notifications": "9"})
    with services.uow() as uow:
        assert uow.channels.cursors(account.id) == {"notifications": "9", "tag:skylot": "3"}


def test_a_malformed_entry_is_kept_with_the_channel_and_the_rest_goes_on(
    services: Services,
) -> None:
    account, workspace, ingest = setup(services)
    bad = Rejected("status without an id", '{"content": "hi"}')
    done = ingest.ingest(account, workspace, [mention(1)], [bad], {"notifications": "1"})
    assert (done.new, done.rejected) == (1, 1)
    with services.engine.connect() as conn:
        row = conn.execute(select(t.rejected_inputs)).mappings().one()
    assert row["source"] == f"channel:{account.id}:mastodon"
    assert row["reason"] == "status without an id"


def test_spending_adds_up_across_processes_and_starts_again_each_month(
    services: Services,
) -> None:
    account, _, _ = setup(services)
    with services.uow() as uow:
        uow.channels.add_spend(account.id, Decimal("0.005"), "2026-03")
        uow.channels.add_spend(account.id, Decimal("0.010"), "2026-03")
        uow.commit()
        assert uow.channels.get(account.workspace_id, account.id).health.spent_usd == "0.015"  # type: ignore[union-attr]
        uow.channels.add_spend(account.id, Decimal("0.001"), "2026-04")
        uow.commit()
        stored = uow.channels.get(account.workspace_id, account.id)
    assert stored is not None
    assert (stored.health.spent_usd, stored.health.spent_month) == ("0.001", "2026-04")
    assert (
        stored.secrets == {"token": "s"} and stored.config["instance_url"] == "https://fake.social"
    )
