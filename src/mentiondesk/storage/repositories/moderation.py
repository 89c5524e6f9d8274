"""Moderation state of posts (hidden, acknowledged, tags), community rules and
auto-moderation rules. Nothing here deletes a user's post."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from mentiondesk.domain.moderation import ModerationRule, RuleActions, RuleConditions
from mentiondesk.domain.posts import Post
from mentiondesk.storage import tables as t
from mentiondesk.storage import tables_moderation as tm
from mentiondesk.storage.repositories._insert import insert_ignoring_conflict, insert_returning_id
from mentiondesk.storage.repositories.posts import PostRepository


def _rule(row: Any) -> ModerationRule:
    return ModerationRule(
        id=row.id,
        workspace_id=row.workspace_id,
        name=row.name,
        conditions=RuleConditions.from_dict(row.conditions),
        actions=RuleActions.from_dict(row.actions),
        enabled=row.enabled,
        created_by=row.created_by,
    )


class ModerationRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._posts = PostRepository(conn)

    # -- post state -------------------------------------------------------------------------
    def set_hidden(self, post_id: int, hidden: bool, reason: str | None) -> None:
        self._conn.execute(
            update(t.posts)
            .where(t.posts.c.id == post_id)
            .values(hidden=hidden, hidden_reason=reason)
        )

    def acknowledge(
        self,
        workspace_id: int,
        post_id: int,
        *,
        by_user_id: int | None,
        by_rule: str | None,
        at: datetime,
    ) -> bool:
        """Record the like once; False when the post was already acknowledged."""
        values = dict(
            post_id=post_id,
            workspace_id=workspace_id,
            by_user_id=by_user_id,
            by_rule=by_rule,
            at=at,
        )
        return (
            insert_ignoring_conflict(
                self._conn, tm.post_acknowledgements, values, returning="post_id"
            )
            is not None
        )

    def acknowledged(self, post_id: int) -> bool:
        return (
            self._conn.execute(
                select(tm.post_acknowledgements.c.post_id).where(
                    tm.post_acknowledgements.c.post_id == post_id
                )
            ).first()
            is not None
        )

    def add_tag(self, workspace_id: int, post_id: int, tag: str, *, at: datetime) -> bool:
        """Tag the post once; False when it already had the tag."""
        values = dict(post_id=post_id, tag=tag, workspace_id=workspace_id, created_at=at)
        return (
            insert_ignoring_conflict(self._conn, tm.post_tags, values, returning="post_id")
            is not None
        )

    def tags(self, post_id: int) -> list[str]:
        return list(
            self._conn.execute(
                select(tm.post_tags.c.tag).where(tm.post_tags.c.post_id == post_id).order_by("tag")
            ).scalars()
        )

    def workspace_tags(self, workspace_id: int, limit: int = 50) -> list[str]:
        """The tags used in the workspace, most used first: what the bulk tag box offers."""
        tag = tm.post_tags.c.tag
        return list(
            self._conn.execute(
                select(tag)
                .where(tm.post_tags.c.workspace_id == workspace_id)
                .group_by(tag)
                .order_by(func.count().desc(), tag)
                .limit(limit)
            ).scalars()
        )

    def posts_since(self, workspace_id: int, since: datetime) -> list[Post]:
        """Posts written since ``since``, oldest first: what a dry-run looks at."""
        rows = self._conn.execute(
            self._posts._select()
            .where(t.posts.c.workspace_id == workspace_id)
            .where(t.posts.c.created_at >= since)
            .order_by(t.posts.c.created_at, t.posts.c.id)
        )
        return [self._posts._post(r) for r in rows]

    # -- community rules --------------------------------------------------------------------
    def community_rules(self, workspace_id: int) -> list[str]:
        return list(
            self._conn.execute(
                select(tm.community_rules.c.title)
                .where(tm.community_rules.c.workspace_id == workspace_id)
                .order_by(tm.community_rules.c.position)
            ).scalars()
        )

    def replace_community_rules(self, workspace_id: int, titles: tuple[str, ...]) -> None:
        """The published list is edited as a whole; the rows are configuration, not posts."""
        self._conn.execute(
            delete(tm.community_rules).where(tm.community_rules.c.workspace_id == workspace_id)
        )
        for position, title in enumerate(titles):
            self._conn.execute(
                tm.community_rules.insert().values(
                    workspace_id=workspace_id, position=position, title=title
                )
            )

    # -- auto-moderation rules --------------------------------------------------------------
    def add_rule(self, rule: ModerationRule, *, now: datetime) -> int:
        rule.id = insert_returning_id(
            self._conn,
            tm.moderation_rules,
            dict(
                workspace_id=rule.workspace_id,
                name=rule.name,
                enabled=rule.enabled,
                conditions=rule.conditions.to_dict(),
                actions=rule.actions.to_dict(),
                created_by=rule.created_by,
                created_at=now,
                updated_at=now,
            ),
        )
        return rule.id

    def update_rule(self, rule: ModerationRule, *, now: datetime) -> None:
        self._conn.execute(
            update(tm.moderation_rules)
            .where(tm.moderation_rules.c.id == rule.id)
            .where(tm.moderation_rules.c.workspace_id == rule.workspace_id)
            .values(
                name=rule.name,
                enabled=rule.enabled,
                conditions=rule.conditions.to_dict(),
                actions=rule.actions.to_dict(),
                updated_at=now,
            )
        )

    def rule(self, workspace_id: int, rule_id: int) -> ModerationRule | None:
        row = self._conn.execute(
            select(tm.moderation_rules)
            .where(tm.moderation_rules.c.id == rule_id)
            .where(tm.moderation_rules.c.workspace_id == workspace_id)
        ).first()
        return _rule(row) if row else None

    def rule_named(self, workspace_id: int, name: str) -> ModerationRule | None:
        row = self._conn.execute(
            select(tm.moderation_rules)
            .where(tm.moderation_rules.c.name == name)
            .where(tm.moderation_rules.c.workspace_id == workspace_id)
        ).first()
        return _rule(row) if row else None

    def rules(self, workspace_id: int, *, enabled_only: bool = False) -> list[ModerationRule]:
        query = select(tm.moderation_rules).where(
            tm.moderation_rules.c.workspace_id == workspace_id
        )
        if enabled_only:
            query = query.where(tm.moderation_rules.c.enabled.is_(True))
        return [_rule(r) for r in self._conn.execute(query.order_by(tm.moderation_rules.c.id))]
