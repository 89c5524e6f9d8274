"""The opening and closing posts go out on each channel when they fall due, once each."""

from __future__ import annotations

from datetime import UTC, datetime

from mentiondesk.desk.hours_publishing import do_publish_hours_posts
from mentiondesk.desk.sla_settings import do_update_desk_settings
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.posts import Platform
from tests.factories import Desk

WEEKDAYS = {str(d): [["08:00", "20:00"]] for d in range(5)}


def _configure(desk: Desk, *, publish: bool = True, **channels: str) -> None:
    with desk.services.uow() as uow:
        do_update_desk_settings(
            uow,
            desk.actor(desk.owner),
            {
                "time_zone": "Europe/Warsaw",
                "hours": WEEKDAYS,
                "holiday_countries": ["PL"],
                "channels": channels,
                "publish_hours": publish,
            },
            now=desk.services.clock.now(),
        )


def _publish_at(desk: Desk, at: datetime) -> tuple[int, int]:
    clock = desk.services.clock
    assert isinstance(clock, FixedClock)
    clock.set(at)
    with desk.services.uow() as uow:
        report = do_publish_hours_posts(uow, at)
    return report.published, report.failed


def test_the_opening_post_goes_out_on_each_channel_once(desk: Desk) -> None:
    _configure(desk, x="pl", facebook="en")
    # Tuesday 2026-11-24 08:05 in Warsaw (07:05 UTC): the desk opened five minutes ago.
    assert _publish_at(desk, datetime(2026, 11, 24, 7, 5, tzinfo=UTC)) == (2, 0)
    assert _publish_at(desk, datetime(2026, 11, 24, 7, 6, tzinfo=UTC)) == (0, 0)

    x_posts = desk.services.connectors[Platform.X].published  # type: ignore[attr-defined]
    facebook = desk.services.connectors[Platform.FACEBOOK].published  # type: ignore[attr-defined]
    assert len(x_posts) == 1 and len(facebook) == 1
    assert "20:00" in x_posts[0].text and "20:00" in facebook[0].text
    assert x_posts[0].text != facebook[0].text, "each channel in its own language"


def test_the_closing_post_names_the_next_opening_and_nothing_goes_out_on_a_holiday(
    desk: Desk,
) -> None:
    _configure(desk, x="en")
    # Friday 2026-11-27 20:01 in Warsaw: closing until Monday.
    assert _publish_at(desk, datetime(2026, 11, 27, 19, 1, tzinfo=UTC)) == (1, 0)
    closing = desk.services.connectors[Platform.X].published[-1]  # type: ignore[attr-defined]
    assert "Monday" in closing.text
    # Christmas Day 2026 is a Friday and a Polish holiday: no opening post at 08:05.
    assert _publish_at(desk, datetime(2026, 12, 25, 7, 5, tzinfo=UTC)) == (0, 0)


def test_nothing_is_published_unless_the_workspace_asks_and_a_late_sweep_skips_old_slots(
    desk: Desk,
) -> None:
    _configure(desk, publish=False, x="pl")
    assert _publish_at(desk, datetime(2026, 11, 24, 7, 5, tzinfo=UTC)) == (0, 0)
    _configure(desk, x="pl")
    # Three hours after opening: announcing "we're open" now would be stale.
    assert _publish_at(desk, datetime(2026, 11, 24, 10, 0, tzinfo=UTC)) == (0, 0)
