"""Publishing the opening and closing posts ("We're here until 20:00") when they fall due.

Each slot (workspace, channel, time) is claimed in the database before the connector is
called, so overlapping sweeps never post twice; a missed slot older than ``LOOKBACK`` is
skipped rather than announcing an opening hours after the fact."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from mentiondesk.connectors.base import Connector, DeliveryFailed, OutgoingPost, Publisher
from mentiondesk.desk.published_hours import ScheduledPost
from mentiondesk.desk.sla_settings import load_desk_settings, published_schedule
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.desk_settings import DeskSettings
from mentiondesk.domain.posts import Platform
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.storage.unit_of_work import UnitOfWork

LOOKBACK = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class PublishReport:
    published: int
    failed: int


def due_posts(settings: DeskSettings, now: datetime) -> list[ScheduledPost]:
    """Posts scheduled in the last ``LOOKBACK`` up to ``now`` (yesterday's local day included,
    for hours that span midnight)."""
    today = now.astimezone(settings.calendar(frozenset()).zone).date()
    schedule = published_schedule(settings, today - timedelta(days=1), 2, now=now)
    return [post for post in schedule if now - LOOKBACK < post.at <= now]


def do_publish_hours_posts(
    uow: UnitOfWork, connectors: Mapping[Platform, Connector], now: datetime
) -> PublishReport:
    published = failed = 0
    for workspace in uow.workspaces.all():
        settings = load_desk_settings(uow, workspace)
        if not settings.publish_hours:
            continue
        for post in due_posts(settings, now):
            claimed = uow.hours_posts.claim(
                workspace.id, post.channel, post.kind.value, post.at, post.text
            )
            uow.commit()
            if claimed is None:
                continue  # an earlier or parallel sweep has it
            ok = _publish(uow, workspace, connectors, post, claimed, now)
            published, failed = published + ok, failed + (not ok)
    return PublishReport(published, failed)


def _publish(
    uow: UnitOfWork,
    workspace: Workspace,
    connectors: Mapping[Platform, Connector],
    post: ScheduledPost,
    claimed: int,
    now: datetime,
) -> bool:
    platform = Platform._value2member_map_.get(post.channel)
    connector = connectors.get(platform) if isinstance(platform, Platform) else None
    try:
        if not isinstance(connector, Publisher) or not isinstance(platform, Platform):
            raise DeliveryFailed(f"no connector can publish on channel {post.channel!r}")
        delivered = connector.publish(
            OutgoingPost(platform, workspace.slug, post.text, f"hours-{workspace.id}-{claimed}")
        )
    except DeliveryFailed as exc:
        uow.hours_posts.mark(claimed, "failed", failure_reason=exc.reason)
        _audit(uow, workspace, post, now, f"failed: {exc.reason}")
        uow.commit()
        return False
    uow.hours_posts.mark(claimed, "published", platform_post_id=delivered.platform_reply_id)
    _audit(uow, workspace, post, now, "published")
    uow.commit()
    return True


def _audit(
    uow: UnitOfWork, workspace: Workspace, post: ScheduledPost, now: datetime, outcome: str
) -> None:
    uow.audit.append(
        AuditEntry(
            workspace_id=workspace.id,
            at=now,
            action=f"hours.{post.kind.value}_post",
            actor_user_id=None,
            actor_rule="system",
            subject=f"channel:{post.channel}",
            reason=outcome,
            data={"due_at": post.at.isoformat(), "text": post.text},
        )
    )
