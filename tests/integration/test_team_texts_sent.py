"""The team's own texts are what customers get: the out-of-hours acknowledgement in the
customer's language and the closing post on its channel, with the time filled in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mentiondesk.desk.hours_publishing import do_publish_hours_posts
from mentiondesk.desk.sla_settings import do_update_desk_settings
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.posts import Platform
from tests.factories import Desk

TEXTS = {
    "pl": {"ack": "Dzięki! Odpiszemy {when}.", "closing": "Zamykamy, wracamy {when}."},
    "en": {"ack": "Thanks, we answer {when}."},
}


def _clock(desk: Desk) -> FixedClock:
    clock = desk.services.clock
    assert isinstance(clock, FixedClock)
    return clock


def _configure(desk: Desk, **changes: object) -> None:
    with desk.services.uow() as uow:
        do_update_desk_settings(
            uow,
            desk.actor(desk.owner),
            {
                "time_zone": "Europe/Warsaw",
                "hours": {str(d): [["08:00", "20:00"]] for d in range(5)},
                "holiday_countries": ["PL"],
                "texts": TEXTS,
                **changes,
            },
            now=_clock(desk).now(),
        )


def test_an_out_of_hours_customer_gets_the_teams_acknowledgement_in_their_language(
    desk: Desk,
) -> None:
    _configure(desk, ack_enabled=True, channels={"x": "en"})
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    _clock(desk).set(saturday)
    case_id = desk.ingest_case(
        created_at=saturday.isoformat(), text="@acme paczka nie dotarła", lang="pl"
    )
    [reply] = [e.reply for e in desk.view(desk.agent, case_id).thread if e.reply]
    assert reply.text == "Dzięki! Odpiszemy w poniedziałek o 8:00."
    english = desk.ingest_case(
        created_at=(saturday + timedelta(minutes=5)).isoformat(),
        text="@acme my parcel never came",
        lang="en",
        author_handle="tom",
    )
    [reply] = [e.reply for e in desk.view(desk.agent, english).thread if e.reply]
    assert reply.text == "Thanks, we answer on Monday at 8:00."


def test_the_closing_post_on_a_polish_channel_is_the_teams_text(desk: Desk) -> None:
    _configure(desk, publish_hours=True, channels={"x": "pl"})
    friday_evening = datetime(2026, 11, 27, 19, 1, tzinfo=UTC)  # 20:01 in Warsaw
    _clock(desk).set(friday_evening)
    with desk.services.uow() as uow:
        assert do_publish_hours_posts(uow, friday_evening).published == 1
    posted = desk.services.connectors[Platform.X].published  # type: ignore[attr-defined]
    assert posted[-1].text == "Zamykamy, wracamy w poniedziałek o 8:00."
