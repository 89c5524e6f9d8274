"""Auto-moderation rules: admins write them, the pipeline runs the enabled ones on each new
post, and a dry-run shows what one would have done to the last week without doing it.

Every action a rule takes is audited with the rule's name (``actor_rule``), so a person can
always tell a rule's hide from a colleague's."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from mentiondesk.desk.access import Actor
from mentiondesk.desk.search import add_tag_to_search
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.errors import InvalidInput, NotFound
from mentiondesk.domain.moderation import (
    DryRunReport,
    ModerationRule,
    RuleActions,
    RuleConditions,
    rule_matches,
    validate_hide_reason,
)
from mentiondesk.domain.posts import Post
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.moderation.actions import ModerationOutcome, acknowledge, hide, record
from mentiondesk.storage.unit_of_work import UnitOfWork

DRY_RUN_DAYS = 7
SAMPLE_SIZE = 10
TAG = re.compile(r"^[\w-]{1,64}$")


def _validated(
    uow: UnitOfWork, workspace_id: int, name: str, conditions: RuleConditions, actions: RuleActions
) -> tuple[str, RuleActions]:
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise InvalidInput("name", "must be 1-200 characters")
    if conditions.is_empty():
        raise InvalidInput(
            "conditions", "give at least one; a rule would otherwise act on every post"
        )
    if actions.is_empty():
        raise InvalidInput("actions", "give at least one: hide, tag, assign or acknowledge")
    hide_reason = actions.hide_reason
    if hide_reason is not None:
        hide_reason = validate_hide_reason(
            hide_reason, uow.moderation.community_rules(workspace_id)
        )
    tag = actions.tag
    if tag is not None and not TAG.match(tag):
        raise InvalidInput("tag", "use 1-64 letters, digits, dashes or underscores")
    if actions.assign_to is not None:
        role = uow.users.role_in(actions.assign_to, workspace_id)
        if role is None or not role.can_act_on_cases:
            raise InvalidInput("assign_to", "is not an agent of this workspace")
    for field_name in ("min_followers", "max_followers"):
        value = getattr(conditions, field_name)
        if value is not None and value < 0:
            raise InvalidInput(field_name, "must not be negative")
    return name, RuleActions(hide_reason, tag, actions.assign_to, actions.acknowledge)


def do_save_rule(
    uow: UnitOfWork,
    actor: Actor,
    *,
    name: str,
    conditions: RuleConditions,
    actions: RuleActions,
    enabled: bool = True,
    rule_id: int | None = None,
    now: datetime,
) -> ModerationRule:
    """Create a rule, or replace rule ``rule_id``; owners and admins only. Audited."""
    actor.require_settings()
    ws = actor.workspace.id
    name, actions = _validated(uow, ws, name, conditions, actions)
    same_name = uow.moderation.rule_named(ws, name)
    if same_name is not None and same_name.id != rule_id:
        raise InvalidInput("name", f"a rule {name!r} already exists")
    if rule_id is None:
        rule = ModerationRule(0, ws, name, conditions, actions, enabled, actor.user.id)
        uow.moderation.add_rule(rule, now=now)
        action = "rule.create"
    else:
        existing = uow.moderation.rule(ws, rule_id)
        if existing is None:
            raise NotFound(f"no rule {rule_id}")
        rule = ModerationRule(rule_id, ws, name, conditions, actions, enabled, existing.created_by)
        uow.moderation.update_rule(rule, now=now)
        action = "rule.update"
    uow.audit.append(
        AuditEntry.by(
            actor,
            action,
            f"rule:{rule.id}",
            at=now,
            data={
                "name": name,
                "enabled": enabled,
                "conditions": conditions.to_dict(),
                "actions": actions.to_dict(),
            },
        )
    )
    uow.commit()
    return rule


def list_rules(uow: UnitOfWork, actor: Actor) -> list[ModerationRule]:
    actor.require_settings()
    return uow.moderation.rules(actor.workspace.id)


def get_rule(uow: UnitOfWork, actor: Actor, rule_id: int) -> ModerationRule:
    actor.require_settings()
    rule = uow.moderation.rule(actor.workspace.id, rule_id)
    if rule is None:
        raise NotFound(f"no rule {rule_id}")
    return rule


def _assign(uow: UnitOfWork, rule: ModerationRule, post: Post, now: datetime) -> bool:
    agent = rule.actions.assign_to
    if post.case_id is None or agent is None:
        return False
    case = uow.cases.get(post.workspace_id, post.case_id)
    if case is None or case.assignee_id is not None or case.status.value in ("resolved", "merged"):
        return False  # never take a case away from a person, nor reopen closed work
    role = uow.users.role_in(agent, post.workspace_id)
    if role is None or not role.can_act_on_cases:
        return False  # the agent left since the rule was written
    # The rule's author is accountable for the assignment a rule makes.
    case.assign(agent, rule.created_by or agent, now)
    uow.cases.save(case)
    uow.collect(case.events)
    uow.audit.append(
        AuditEntry.by_rule(
            post.workspace_id,
            rule.name,
            "case.assign",
            f"case:{case.id}",
            at=now,
            data={"assignee_id": agent, "post_id": post.id},
        )
    )
    return True


def _apply(
    uow: UnitOfWork, rule: ModerationRule, post: Post, now: datetime
) -> list[ModerationOutcome]:
    outcomes: list[ModerationOutcome] = []
    actions = rule.actions
    if actions.hide_reason:
        outcomes.append(
            hide(uow, post, actions.hide_reason, now=now, by_user_id=None, by_rule=rule.name)
        )
    if actions.tag and uow.moderation.add_tag(post.workspace_id, post.id, actions.tag, at=now):
        add_tag_to_search(uow, post.workspace_id, post.case_id, actions.tag)
        record(
            uow, post, "post.tag", reason=actions.tag, now=now, by_user_id=None, by_rule=rule.name
        )
    if actions.acknowledge:
        outcomes.append(acknowledge(uow, post, now=now, by_user_id=None, by_rule=rule.name))
    _assign(uow, rule, post, now)
    return outcomes


def apply_rules(
    uow: UnitOfWork, workspace: Workspace, post_id: int, *, now: datetime
) -> list[ModerationOutcome]:
    """Run the workspace's enabled rules on one newly stored post, in rule order, in one
    transaction. Returns what must be carried to the platform after commit."""
    rules = uow.read_once(
        ("moderation rules", workspace.id),
        lambda: uow.moderation.rules(workspace.id, enabled_only=True),
    )
    if not rules:
        return []
    post = uow.posts.get(workspace.id, post_id)
    if post is None:
        raise NotFound(f"no post {post_id}")
    outcomes: list[ModerationOutcome] = []
    for rule in rules:
        if rule_matches(rule.conditions, post):
            outcomes.extend(_apply(uow, rule, post, now))
    uow.commit()
    return [o for o in outcomes if o.changed]


def dry_run(
    uow: UnitOfWork,
    actor: Actor,
    *,
    name: str,
    conditions: RuleConditions,
    actions: RuleActions,
    now: datetime,
    days: int = DRY_RUN_DAYS,
) -> DryRunReport:
    """What the rule would have done to the posts written in the last ``days`` days. Only
    reads; the unit of work is left uncommitted so that nothing can change."""
    actor.require_settings()
    name, actions = _validated(uow, actor.workspace.id, name or "draft", conditions, actions)
    since = now - timedelta(days=days)
    report = DryRunReport(rule_name=name, since=since)
    for post in uow.moderation.posts_since(actor.workspace.id, since):
        report.scanned += 1
        if not rule_matches(conditions, post):
            continue
        report.matched += 1
        would = _would(uow, actions, post)
        for what in would:
            report.would[what] = report.would.get(what, 0) + 1
        if len(report.sample) < SAMPLE_SIZE:
            report.sample.append(
                {
                    "post_id": post.id,
                    "case_id": post.case_id,
                    "author": post.inbound.author.handle,
                    "text": post.inbound.text[:200],
                    "created_at": post.inbound.created_at.isoformat(),
                    "would": would,
                }
            )
    return report


def _would(uow: UnitOfWork, actions: RuleActions, post: Post) -> list[str]:
    would: list[str] = []
    if actions.hide_reason and not (post.hidden and post.hidden_reason == actions.hide_reason):
        would.append("hide")
    if actions.tag and actions.tag not in uow.moderation.tags(post.id):
        would.append("tag")
    if actions.acknowledge and not uow.moderation.acknowledged(post.id):
        would.append("acknowledge")
    if actions.assign_to is not None and post.case_id is not None:
        case = uow.cases.get(post.workspace_id, post.case_id)
        if case is not None and case.assignee_id is None:
            would.append("assign")
    return would


def dry_run_saved(
    uow: UnitOfWork, actor: Actor, rule_id: int, *, now: datetime, days: int = DRY_RUN_DAYS
) -> DryRunReport:
    rule = get_rule(uow, actor, rule_id)
    return dry_run(
        uow,
        actor,
        name=rule.name,
        conditions=rule.conditions,
        actions=rule.actions,
        now=now,
        days=days,
    )
