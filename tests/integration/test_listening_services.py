"""Listening on both databases: a stored profile and saved queries steer matching, preview
reads stored posts without saving, and backfill attaches query mentions exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mentiondesk.desk.access import actor_for
from mentiondesk.desk.listening_profiles import (
    ProfileFields,
    QueryInvalid,
    current_profile,
    do_backfill,
    do_save_profile,
    do_save_query,
    list_queries,
    preview_query,
)
from mentiondesk.desk.listening_report import answer_rates
from mentiondesk.domain.errors import NotFound, PermissionDenied
from mentiondesk.domain.inbox import InboxFilter
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.posts import MentionKind
from mentiondesk.domain.workspaces import User
from tests.factories import Desk

PROFILE = ProfileFields(names=["Acme"], aliases=["Roadrunner Parcels"], handles={"x": ["@acme"]})


def save_profile(desk: Desk, user: User, fields: ProfileFields = PROFILE) -> None:
    with desk.services.uow() as uow:
        do_save_profile(uow, desk.actor(user), fields, now=desk.services.clock.now())


def save_query(desk: Desk, name: str, text: str) -> None:
    with desk.services.uow() as uow:
        do_save_query(uow, desk.actor(desk.owner), name, text, now=desk.services.clock.now())


def test_a_misspelt_alias_of_a_saved_profile_opens_a_fuzzy_case(desk: Desk) -> None:
    assert desk.ingest(text="Roadrunnr Parcels lost my box").case_id is None  # not yet known
    save_profile(desk, desk.owner)
    case_id = desk.ingest_case(text="Roadrunnr Parcels lost my box again")
    post = desk.view(desk.agent, case_id).first_post
    assert post is not None
    assert [m.kind for m in post.mentions] == [MentionKind.FUZZY]
    assert post.mentions[0].reason.startswith("fuzzy: 'Roadrunnr Parcels'")
    assert desk.inbox(desk.agent, mention_kind="fuzzy").total == 1
    assert desk.inbox(desk.agent, mention_kind="direct").total == 0


def test_the_profile_is_read_once_and_again_after_a_save(desk: Desk) -> None:
    config = desk.services.listening
    assert config is not None
    for _ in range(3):
        desk.ingest(text="@acme hello")
    loads = config.loads
    desk.ingest(text="@acme again")
    assert config.loads == loads  # served from memory
    save_profile(desk, desk.owner)
    desk.ingest(text="@acme after the change")
    assert config.loads == loads + 1


def test_only_owners_and_admins_change_listening(desk: Desk) -> None:
    for user in (desk.viewer, desk.agent):
        with pytest.raises(PermissionDenied):
            save_profile(desk, user)
        with desk.services.uow() as uow, pytest.raises(PermissionDenied):
            do_save_query(uow, desk.actor(user), "q", "parcel", now=desk.services.clock.now())
    with desk.services.uow() as uow:
        assert current_profile(uow, desk.actor(desk.viewer)).stored is False


def test_another_tenant_cannot_read_the_profile(desk: Desk, other_desk: Desk) -> None:
    save_profile(desk, desk.owner)
    with desk.services.uow() as uow, pytest.raises(NotFound):
        actor_for(uow, other_desk.owner, desk.workspace.slug)
    with desk.services.uow() as uow:
        view = current_profile(uow, other_desk.actor(other_desk.owner))
    assert view.stored is False and "Roadrunner Parcels" not in view.profile.aliases


def test_a_query_with_a_syntax_error_names_the_column(desk: Desk) -> None:
    with desk.services.uow() as uow, pytest.raises(QueryInvalid) as caught:
        do_save_query(
            uow, desk.actor(desk.owner), "bad", "parcel AND (locker", now=desk.services.clock.now()
        )
    assert caught.value.field == "query" and caught.value.column is not None
    assert f"column {caught.value.column}" in caught.value.reason
    with desk.services.uow() as uow, pytest.raises(QueryInvalid, match="none of its words"):
        do_save_query(uow, desk.actor(desk.owner), "all", "NOT spam", now=desk.services.clock.now())


def _store_unbranded_posts(desk: Desk) -> None:
    desk.ingest(text="The parcel locker at Bronowice is broken again", author_handle="ola")
    desk.ingest(text="Lockers everywhere but no parcel for me", author_handle="jan")
    desk.ingest(text="Nice weather in Kraków today", author_handle="eva")


def test_preview_shows_matching_stored_posts_without_saving(desk: Desk) -> None:
    _store_unbranded_posts(desk)
    with desk.services.uow() as uow:
        preview = preview_query(uow, desk.actor(desk.viewer), '"parcel locker" OR lockers')
        assert list_queries(uow, desk.actor(desk.viewer)) == []
    texts = sorted(h.post.inbound.text for h in preview.hits)
    assert texts == [
        "Lockers everywhere but no parcel for me",
        "The parcel locker at Bronowice is broken again",
    ]
    assert all(h.mentions for h in preview.hits)


def test_backfill_attaches_query_mentions_once_and_routes_posts(desk: Desk) -> None:
    _store_unbranded_posts(desk)
    assert desk.inbox(desk.owner).total == 0
    save_query(desk, "lockers", "parcel AND locker*")
    with desk.services.uow() as uow:
        (first,) = do_backfill(
            uow, desk.actor(desk.owner), "lockers", now=desk.services.clock.now()
        )
    assert (first.matched, first.new_mentions, first.routed) == (2, 2, 2)
    cases = desk.inbox(desk.owner, mention_kind="query")
    assert cases.total == 2
    post = desk.view(desk.agent, cases.rows[0].case_id).first_post
    assert post is not None and post.mentions[0].source == "lockers"
    with desk.services.uow() as uow:
        (second,) = do_backfill(uow, desk.actor(desk.owner), None, now=desk.services.clock.now())
    assert (second.matched, second.new_mentions, second.routed) == (2, 0, 0)
    assert desk.inbox(desk.owner, mention_kind="query").total == 2


def test_a_saved_query_matches_new_posts_live(desk: Desk) -> None:
    save_query(desk, "lockers", "parcel AND locker")
    case_id = desk.ingest_case(text="parcel locker jammed", author_handle="zoe")
    assert desk.inbox(desk.owner, mention_kind="query").rows[0].case_id == case_id


def test_answer_rate_per_mention_kind(desk: Desk, clock: FixedClock) -> None:
    direct = desk.ingest_case(text="@acme where is my parcel?", author_handle="a1")
    indirect_answered = desk.ingest_case(text="Acme lost my parcel", author_handle="a2")
    desk.ingest_case(text="Acme is slow", author_handle="a3")
    clock.set(clock.now() + timedelta(minutes=30))
    desk.deliver(desk.reply(desk.agent, indirect_answered))
    clock.set(clock.now() + timedelta(minutes=30))
    desk.deliver(desk.reply(desk.agent, direct))
    with desk.services.uow() as uow:
        rates = {r.kind: r for r in answer_rates(uow, desk.actor(desk.viewer))}
    assert (rates["indirect"].cases, rates["indirect"].answered) == (2, 1)
    assert rates["indirect"].answer_rate == 0.5
    assert rates["direct"].answer_rate == 1.0
    assert rates["fuzzy"].cases == 0 and rates["fuzzy"].answer_rate is None
    assert rates["indirect"].median_first_response_s is not None
    assert rates["direct"].median_first_response_s is not None
    assert rates["indirect"].median_first_response_s < rates["direct"].median_first_response_s


def test_the_inbox_filter_on_kind_is_part_of_the_filter(desk: Desk) -> None:
    desk.ingest_case(text="@acme tagged", author_handle="b1")
    desk.ingest_case(text="Acme untagged", author_handle="b2")
    with desk.services.uow() as uow:
        page = uow.inbox.page(desk.workspace.id, InboxFilter(mention_kind="indirect"))
    assert [r.summary for r in page.rows] == ["Acme untagged"]


def test_a_stored_query_that_no_longer_compiles_does_not_stop_ingestion(desk: Desk) -> None:
    with desk.services.uow() as uow:
        uow.queries.save(
            desk.workspace.id, "old", "NOT spam", enabled=True, now=desk.services.clock.now()
        )
        uow.commit()
    assert desk.ingest(text="@acme still works").case_id is not None
