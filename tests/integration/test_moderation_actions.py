"""Hiding, unhiding and liking customers' posts: reasons, roles, tenants, audit, idempotency."""

from __future__ import annotations

import pytest

from mentiondesk.connectors.dev import DevConnector
from mentiondesk.domain.errors import InvalidInput, NotFound, PermissionDenied
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.workspaces import User
from mentiondesk.moderation.actions import (
    ModerationOutcome,
    do_acknowledge_post,
    do_hide_post,
    do_set_community_rules,
    do_unhide_post,
    platform_state,
)
from tests.factories import Desk


def _post_id(desk: Desk, **overrides: object) -> int:
    result = desk.ingest(**overrides)
    assert result.post_id is not None
    return result.post_id


def _hide(desk: Desk, user: User, post_id: int, reason: str | None) -> ModerationOutcome:
    with desk.services.uow() as uow:
        return do_hide_post(uow, desk.actor(user), post_id, reason, now=desk.services.clock.now())


def _unhide(desk: Desk, user: User, post_id: int) -> ModerationOutcome:
    with desk.services.uow() as uow:
        return do_unhide_post(uow, desk.actor(user), post_id, now=desk.services.clock.now())


def _audit(desk: Desk, post_id: int) -> list[str]:
    with desk.services.uow() as uow:
        entries = uow.audit.list(desk.workspace.id, subject=f"post:{post_id}")
    return [e.action for e in reversed(entries)]


def test_hiding_without_a_reason_is_refused_naming_the_reason(desk: Desk) -> None:
    post_id = _post_id(desk)
    with pytest.raises(InvalidInput) as refused:
        _hide(desk, desk.agent, post_id, "  ")
    assert refused.value.field == "reason"
    assert _audit(desk, post_id) == []


def test_a_reason_outside_spam_abuse_and_the_rules_is_refused_with_the_accepted_list(
    desk: Desk,
) -> None:
    post_id = _post_id(desk)
    with pytest.raises(InvalidInput) as refused:
        _hide(desk, desk.agent, post_id, "because I don't like it")
    assert refused.value.field == "reason"
    assert '"spam"' in refused.value.reason and '"abuse"' in refused.value.reason


def test_a_published_community_rule_is_an_accepted_reason(desk: Desk) -> None:
    post_id = _post_id(desk)
    with desk.services.uow() as uow:
        do_set_community_rules(
            uow, desk.actor(desk.owner), ["No personal data", "spam"], now=desk.services.clock.now()
        )
    outcome = _hide(desk, desk.agent, post_id, "no personal data")
    assert outcome.changed and outcome.post.hidden_reason == "No personal data"


def test_hide_then_unhide_keeps_the_text_and_leaves_two_audit_entries(desk: Desk) -> None:
    post_id = _post_id(desk, text="@acme this is rubbish, buy cheap watches at spam.example")
    _hide(desk, desk.agent, post_id, "Spam")
    with desk.services.uow() as uow:
        hidden = uow.posts.get(desk.workspace.id, post_id)
    assert hidden is not None and hidden.hidden and hidden.hidden_reason == "spam"
    _unhide(desk, desk.agent, post_id)
    with desk.services.uow() as uow:
        shown = uow.posts.get(desk.workspace.id, post_id)
        entries = uow.audit.list(desk.workspace.id, subject=f"post:{post_id}")
    assert shown is not None and not shown.hidden and shown.hidden_reason is None
    assert shown.inbound.text == "@acme this is rubbish, buy cheap watches at spam.example"
    assert [e.action for e in reversed(entries)] == ["post.hide", "post.unhide"]
    assert all(e.actor_user_id == desk.agent.id for e in entries)
    assert entries[-1].reason == "spam"


def test_repeating_a_moderation_action_changes_and_records_nothing(desk: Desk) -> None:
    post_id = _post_id(desk)
    assert _hide(desk, desk.agent, post_id, "abuse").changed
    assert not _hide(desk, desk.colleague, post_id, "abuse").changed
    assert _unhide(desk, desk.agent, post_id).changed
    assert not _unhide(desk, desk.agent, post_id).changed
    with desk.services.uow() as uow:
        first = do_acknowledge_post(
            uow, desk.actor(desk.agent), post_id, now=desk.services.clock.now()
        )
    with desk.services.uow() as uow:
        again = do_acknowledge_post(
            uow, desk.actor(desk.agent), post_id, now=desk.services.clock.now()
        )
    assert first.changed and not again.changed
    assert _audit(desk, post_id) == ["post.hide", "post.unhide", "post.acknowledge"]


def test_a_viewer_may_not_moderate_and_another_tenant_cannot_see_the_post(
    desk: Desk, other_desk: Desk
) -> None:
    post_id = _post_id(desk)
    with pytest.raises(PermissionDenied):
        _hide(desk, desk.viewer, post_id, "spam")
    with pytest.raises(NotFound):
        _hide(other_desk, other_desk.agent, post_id, "spam")
    with pytest.raises(NotFound):
        desk.actor(other_desk.agent, desk.workspace.slug)


def test_only_owners_and_admins_publish_community_rules(desk: Desk) -> None:
    with desk.services.uow() as uow, pytest.raises(PermissionDenied):
        do_set_community_rules(
            uow, desk.actor(desk.agent), ["No ads"], now=desk.services.clock.now()
        )


def test_delivery_tells_the_platform_after_commit_and_only_when_something_changed(
    desk: Desk,
) -> None:
    services = desk.services
    connector = services.connectors[Platform.X]
    assert isinstance(connector, DevConnector)
    post_id = _post_id(desk)
    first = _hide(desk, desk.agent, post_id, "spam")
    again = _hide(desk, desk.agent, post_id, "spam")
    with services.uow() as uow:
        assert platform_state(uow, first) == "simulated"  # the development channel
        assert platform_state(uow, again) == "unchanged"
    assert [(a, t.reason) for a, t in connector.moderated] == [("hide", "spam")]
