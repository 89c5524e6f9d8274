"""A team's own opening, closing and acknowledgement texts: used in their language with the
time filled in, the built-in text where none is written, and refused with the field when a
placeholder is unknown or broken."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mentiondesk.desk.calendars import build_calendar
from mentiondesk.desk.published_hours import closing_text, opening_text, out_of_hours_ack
from mentiondesk.domain.desk_settings import DeskSettings
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.workspaces import WeeklyHours

WARSAW = ZoneInfo("Europe/Warsaw")
POLISH = build_calendar(
    WeeklyHours.office("08:00", "20:00"), "Europe/Warsaw", years=[2025], holiday_countries=["PL"]
)
FRIDAY_CLOSING = datetime(2025, 11, 14, 20, 0, tzinfo=WARSAW)
FRIDAY_MORNING = datetime(2025, 11, 14, 8, 0, tzinfo=WARSAW)
TEXTS = {
    "pl": {"closing": "Zamykamy! Wracamy {when}.", "ack": "Dzięki! Odpiszemy {when}."},
    "en": {"opening": "Morning! Ask away until {until}."},
}


def test_a_teams_closing_post_and_acknowledgement_fill_in_when_the_desk_is_back() -> None:
    assert closing_text(POLISH, FRIDAY_CLOSING, "pl", TEXTS) == (
        "Zamykamy! Wracamy w poniedziałek o 8:00."
    )
    ack = out_of_hours_ack(POLISH, FRIDAY_CLOSING.replace(hour=21), "pl", TEXTS)
    assert ack == "Dzięki! Odpiszemy w poniedziałek o 8:00."
    assert opening_text(POLISH, FRIDAY_MORNING, "en", TEXTS) == "Morning! Ask away until 20:00."


def test_a_language_or_kind_without_a_text_of_its_own_keeps_the_built_in_one() -> None:
    assert opening_text(POLISH, FRIDAY_MORNING, "pl", TEXTS).startswith("Jesteśmy tu do 20:00.")
    assert "We're back on Monday at 8:00" in closing_text(POLISH, FRIDAY_CLOSING, "en", TEXTS)


@pytest.mark.parametrize(
    ("texts", "field", "reason"),
    [
        ({"pl": {"closing": "Wracamy {wehn}"}}, "texts.pl.closing", "unknown placeholder {wehn}"),
        ({"en": {"opening": "Back {when}"}}, "texts.en.opening", "may only use {until}"),
        ({"it": {"ack": "Torniamo {when"}}, "texts.it.ack", "a brace without its pair"),
        ({"it": {"ack": "x" * 261}}, "texts.it.ack", "at most 260 characters"),
        ({"de": {"ack": "Hallo"}}, "texts", "texts are written in en, pl, it"),
    ],
)
def test_a_text_with_a_broken_placeholder_is_refused_naming_its_field(
    texts: dict[str, dict[str, str]], field: str, reason: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        DeskSettings.from_dict({"texts": texts})
    assert refused.value.field == field
    assert reason in refused.value.reason


def test_empty_texts_are_dropped_and_the_rest_round_trip_through_json() -> None:
    settings = DeskSettings.from_dict({"texts": {**TEXTS, "it": {"ack": "  "}}})
    assert settings.to_dict()["texts"] == TEXTS
    assert DeskSettings.from_dict(settings.to_dict()).texts == TEXTS
