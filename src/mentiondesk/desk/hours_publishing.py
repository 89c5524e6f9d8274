"""Publishing the opening and closing posts ("We're here until 20:00") when they fall due.

Each slot (workspace, channel, time) is claimed in the database, and its post queued in the
outbox in the same transaction, so overlapping sweeps never post twice; a missed slot older
than ``LOOKBACK`` is skipped rather than announcing an opening hours after the fact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from mentiondesk.desk.published_hours import ScheduledPost
from mentiondesk.desk.sla_settings import load_desk_settings, published_schedule
from mentiondesk.domain import events
from mentiondesk.domain.desk_settings import DeskSettings
from mentiondesk.storage.unit_of_work import UnitOfWork

LOOKBACK = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class PublishReport:
    """``published``: posts a channel took (``simulated`` of them on the development channel,
    which delivers nothing); ``failed``: refused ones; anything else is still queued."""

    published: int
    failed: int
    simulated: int = 0


def due_posts(settings: DeskSettings, now: datetime) -> list[ScheduledPost]:
    """Posts scheduled in the last ``LOOKBACK`` up to ``now`` (yesterday's local day included,
    for hours that span midnight)."""
    today = now.astimezone(settings.calendar(frozenset()).zone).date()
    schedule = published_schedule(settings, today - timedelta(days=1), 2, now=now)
    return [post for post in schedule if now - LOOKBACK < post.at <= now]


def do_publish_hours_posts(uow: UnitOfWork, now: datetime) -> PublishReport:
    """Claim each due slot and queue its post in the same transaction (``HoursPostDue`` puts
    it in the outbox, which publishes it after commit); report what the channels said."""
    claimed: list[int] = []
    for workspace in uow.workspaces.all():
        settings = load_desk_settings(uow, workspace)
        if not settings.publish_hours:
            continue
        for post in due_posts(settings, now):
            slot = uow.hours_posts.claim(
                workspace.id, post.channel, post.kind.value, post.at, post.text
            )
            if slot is None:
                continue  # an earlier or parallel sweep has it
            uow.collect(
                [
                    events.HoursPostDue(
                        slot, workspace.id, post.channel, post.kind.value, post.at, post.text, now
                    )
                ]
            )
            uow.commit()
            claimed.append(slot)
    states = [uow.hours_posts.status(slot) for slot in claimed]
    return PublishReport(
        published=sum(s in ("published", "simulated") for s in states),
        failed=sum(s == "failed" for s in states),
        simulated=sum(s == "simulated" for s in states),
    )
