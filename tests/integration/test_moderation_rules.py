"""Auto-moderation rules on ingest, and the dry-run that changes nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from mentiondesk.bootstrap import Services
from mentiondesk.domain.errors import InvalidInput, PermissionDenied
from mentiondesk.domain.moderation import ModerationRule, RuleActions, RuleConditions
from mentiondesk.domain.workspaces import User
from mentiondesk.moderation.rules import do_save_rule, dry_run, dry_run_saved
from mentiondesk.storage import tables as t
from mentiondesk.storage import tables_moderation as tm
from tests.factories import Desk, ScriptedTriager, build_desk


@pytest.fixture
def spam_desk(make_services: Any) -> Desk:
    """A desk whose triager calls posts ``spam-*`` spam."""

    class SpamTriager(ScriptedTriager):
        def triage(self, post: Any, **kw: Any) -> Any:
            result = super().triage(post, **kw)
            return replace(result, spam=post.platform_post_id.startswith("spam-"))

    services: Services = make_services(triager=SpamTriager())
    return build_desk(services)


def _rule(
    desk: Desk, user: User, name: str, conditions: RuleConditions, actions: RuleActions, **kw: Any
) -> ModerationRule:
    with desk.services.uow() as uow:
        return do_save_rule(
            uow,
            desk.actor(user),
            name=name,
            conditions=conditions,
            actions=actions,
            now=desk.services.clock.now(),
            **kw,
        )


def test_a_spam_rule_hides_a_spam_post_on_ingest_and_the_audit_names_the_rule(
    spam_desk: Desk,
) -> None:
    desk = spam_desk
    _rule(
        desk, desk.owner, "spam → hide", RuleConditions(spam=True), RuleActions(hide_reason="spam")
    )
    spam = desk.ingest(platform_post_id="spam-1", text="@acme cheap watches https://x.example")
    genuine = desk.ingest(text="@acme where is my parcel?")
    with desk.services.uow() as uow:
        hidden = uow.posts.get(desk.workspace.id, spam.post_id or 0)
        shown = uow.posts.get(desk.workspace.id, genuine.post_id or 0)
        entries = uow.audit.list(desk.workspace.id, subject=f"post:{spam.post_id}")
    assert hidden is not None and hidden.hidden and hidden.hidden_reason == "spam"
    assert shown is not None and not shown.hidden
    assert [(e.action, e.actor_rule, e.actor_user_id) for e in entries] == [
        ("post.hide", "spam → hide", None)
    ]


def test_rules_never_run_again_on_a_duplicate_delivery(spam_desk: Desk) -> None:
    desk = spam_desk
    _rule(desk, desk.owner, "tag spam", RuleConditions(spam=True), RuleActions(tag="junk"))
    desk.ingest(platform_post_id="spam-2")
    assert desk.ingest(platform_post_id="spam-2").status == "duplicate"
    with desk.services.uow() as uow:
        actions = [e.action for e in uow.audit.list(desk.workspace.id) if e.actor_rule]
    assert actions == ["post.tag"]


def test_a_rule_can_tag_acknowledge_and_assign(desk: Desk) -> None:
    _rule(
        desk,
        desk.owner,
        "kettles to the agent",
        RuleConditions(keywords_any=("kettle",)),
        RuleActions(tag="kettle", assign_to=desk.agent.id, acknowledge=True),
    )
    result = desk.ingest(text="@acme my kettle broke")
    assert result.case_id is not None
    assert desk.case(result.case_id).assignee_id == desk.agent.id
    with desk.services.uow() as uow:
        assert uow.moderation.tags(result.post_id or 0) == ["kettle"]
        assert uow.moderation.acknowledged(result.post_id or 0)
        rule_entries = {e.action for e in uow.audit.list(desk.workspace.id) if e.actor_rule}
    assert rule_entries == {"post.tag", "post.acknowledge", "case.assign"}


def test_a_disabled_rule_does_nothing(spam_desk: Desk) -> None:
    desk = spam_desk
    _rule(
        desk,
        desk.owner,
        "off",
        RuleConditions(spam=True),
        RuleActions(hide_reason="spam"),
        enabled=False,
    )
    result = desk.ingest(platform_post_id="spam-3")
    with desk.services.uow() as uow:
        post = uow.posts.get(desk.workspace.id, result.post_id or 0)
    assert post is not None and not post.hidden


def test_rules_are_validated_and_only_admins_write_them(desk: Desk) -> None:
    with pytest.raises(PermissionDenied):
        _rule(desk, desk.agent, "x", RuleConditions(spam=True), RuleActions(tag="x"))
    with pytest.raises(InvalidInput) as no_condition:
        _rule(desk, desk.owner, "everything", RuleConditions(), RuleActions(tag="x"))
    assert no_condition.value.field == "conditions"
    with pytest.raises(InvalidInput) as bad_reason:
        _rule(desk, desk.owner, "x", RuleConditions(spam=True), RuleActions(hide_reason="ugly"))
    assert bad_reason.value.field == "reason"
    with pytest.raises(InvalidInput) as viewer:
        _rule(
            desk, desk.owner, "x", RuleConditions(spam=True), RuleActions(assign_to=desk.viewer.id)
        )
    assert viewer.value.field == "assign_to"


def _snapshot(services: Services) -> dict[str, Any]:
    with services.uow() as uow:
        conn = uow.connection
        counts = {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (t.audit_log, t.posts, t.cases, tm.post_tags, tm.post_acknowledgements)
        }
        hidden = conn.execute(select(t.posts.c.id, t.posts.c.hidden).order_by(t.posts.c.id)).all()
        assignees = conn.execute(select(t.cases.c.id, t.cases.c.assignee_id)).all()
    return {"counts": counts, "hidden": hidden, "assignees": sorted(assignees)}


def test_a_dry_run_over_seven_days_reports_and_changes_nothing(spam_desk: Desk) -> None:
    desk = spam_desk
    clock = desk.services.clock
    old_at = (clock.now() - timedelta(days=8)).isoformat()
    desk.ingest(platform_post_id="spam-old", created_at=old_at)
    for n in range(3):
        desk.ingest(platform_post_id=f"spam-new-{n}", author_handle=f"bot{n}")
    desk.ingest(text="@acme genuine question")
    rule = _rule(
        desk,
        desk.owner,
        "spam cleanup",
        RuleConditions(spam=True),
        RuleActions(hide_reason="spam", tag="junk", assign_to=desk.agent.id),
        enabled=False,
    )
    before = _snapshot(desk.services)
    with desk.services.uow() as uow:
        report = dry_run_saved(uow, desk.actor(desk.owner), rule.id, now=clock.now())
    with desk.services.uow() as uow:
        draft = dry_run(
            uow,
            desk.actor(desk.owner),
            name="",
            conditions=RuleConditions(spam=True),
            actions=RuleActions(acknowledge=True),
            now=clock.now(),
        )
    assert _snapshot(desk.services) == before
    assert (report.scanned, report.matched) == (4, 3)
    assert report.would == {"hide": 3, "tag": 3, "assign": 3}
    assert len(report.sample) == 3 and report.sample[0]["would"] == ["hide", "tag", "assign"]
    assert draft.would == {"acknowledge": 3}
