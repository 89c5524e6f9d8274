"""Published hours: opening/closing posts and the out-of-hours acknowledgement."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mentiondesk.desk.calendars import build_calendar
from mentiondesk.desk.published_hours import (
    PostKind,
    closing_text,
    opening_text,
    out_of_hours_ack,
    schedule_posts,
)
from mentiondesk.domain.business_time import BusinessCalendar
from mentiondesk.domain.workspaces import WeeklyHours

WARSAW = ZoneInfo("Europe/Warsaw")
OFFICE = WeeklyHours.office("08:00", "20:00")
POLISH = build_calendar(OFFICE, "Europe/Warsaw", years=[2025, 2026], holiday_countries=["PL"])
CHANNELS = {"facebook:pl": "pl", "instagram:it": "it", "x:en": "en"}


def warsaw(*args: int) -> datetime:
    return datetime(*args, tzinfo=WARSAW)  # type: ignore[misc]


FRIDAY_CLOSING = warsaw(2025, 11, 14, 20, 0)


# -- texts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("pl", "Jesteśmy tu do 20:00."),
        ("it", "Siamo qui fino alle 20:00."),
        ("en", "We're here until 20:00."),
    ],
)
def test_the_opening_post_says_until_when_someone_is_there(language: str, expected: str) -> None:
    assert opening_text(POLISH, warsaw(2025, 11, 14, 8, 0), language).startswith(expected)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("pl", "Wracamy w poniedziałek o 8:00"),
        ("it", "Torniamo lunedì alle 8:00"),
        ("en", "We're back on Monday at 8:00"),
    ],
)
def test_the_friday_closing_post_names_monday(language: str, expected: str) -> None:
    assert expected in closing_text(POLISH, FRIDAY_CLOSING, language)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("pl", "Wracamy jutro o 8:00"),
        ("it", "Torniamo domani alle 8:00"),
        ("en", "We're back tomorrow at 8:00"),
    ],
)
def test_a_weekday_closing_post_says_tomorrow(language: str, expected: str) -> None:
    assert expected in closing_text(POLISH, warsaw(2025, 11, 12, 20, 0), language)


def test_the_closing_post_before_a_holiday_skips_to_the_day_after() -> None:
    before_independence_day = warsaw(2025, 11, 10, 20, 0)
    assert "Wracamy w środę o 8:00" in closing_text(POLISH, before_independence_day, "pl")


def test_christmas_and_the_weekend_are_skipped_in_one_go() -> None:
    text = closing_text(POLISH, warsaw(2025, 12, 23, 20, 0), "en")
    assert "We're back on Monday at 8:00" in text  # 24-26 Dec are holidays, then a weekend


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("pl", "w poniedziałek 12 stycznia o 8:00"),
        ("it", "lunedì 12 gennaio alle 8:00"),
        ("en", "on Monday 12 January at 8:00"),
    ],
)
def test_a_return_a_week_or_more_away_gives_the_date(language: str, expected: str) -> None:
    winter_break = frozenset(date(2026, 1, 1) + timedelta(days=n) for n in range(11))
    cal = BusinessCalendar(OFFICE, "Europe/Warsaw", closed_dates=winter_break)
    assert expected in closing_text(cal, warsaw(2025, 12, 31, 20, 0), language)


def test_a_return_later_the_same_day_says_today() -> None:
    split = BusinessCalendar(
        WeeklyHours({0: (("08:00", "12:00"), ("14:00", "18:00"))}), "Europe/Warsaw"
    )
    assert "We're back today at 14:00" in closing_text(split, warsaw(2025, 11, 17, 12), "en")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("pl", "Jesteśmy tu do jutra, do 1:30."),
        ("it", "Siamo qui fino a domani all'1:30."),
        ("en", "We're here until 1:30 tomorrow."),
    ],
)
def test_a_shift_past_midnight_is_announced_with_the_next_day(language: str, expected: str) -> None:
    nights = BusinessCalendar(WeeklyHours({4: (("18:00", "01:30"),)}), "Europe/Rome")
    opening = datetime(2025, 11, 14, 18, tzinfo=ZoneInfo("Europe/Rome"))
    assert opening_text(nights, opening, language).startswith(expected)


def test_unknown_languages_fall_back_to_english_and_regions_are_ignored() -> None:
    assert closing_text(POLISH, FRIDAY_CLOSING, "de") == closing_text(POLISH, FRIDAY_CLOSING, "en")
    assert closing_text(POLISH, FRIDAY_CLOSING, "pl-PL") == closing_text(
        POLISH, FRIDAY_CLOSING, "pl"
    )


def test_a_desk_open_around_the_clock_says_so() -> None:
    always = BusinessCalendar(
        WeeklyHours({d: (("00:00", "24:00"),) for d in range(7)}), "Europe/Warsaw"
    )
    assert "around the clock" in opening_text(always, warsaw(2025, 11, 14, 12), "en")


# -- out-of-hours acknowledgement ------------------------------------------------------------------


def test_no_acknowledgement_is_sent_while_the_desk_is_open() -> None:
    assert out_of_hours_ack(POLISH, warsaw(2025, 11, 14, 19, 59), "pl") is None


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("pl", "Wracamy w poniedziałek o 8:00"),
        ("it", "Torniamo lunedì alle 8:00"),
        ("en", "We're back on Monday at 8:00"),
    ],
)
def test_a_saturday_message_is_told_a_person_answers_on_monday(
    language: str, expected: str
) -> None:
    ack = out_of_hours_ack(POLISH, warsaw(2025, 11, 15, 17, 7), language)
    assert ack is not None
    assert expected in ack


def test_a_calendar_that_never_reopens_still_acknowledges_without_a_time() -> None:
    closed = BusinessCalendar(WeeklyHours(), "Europe/Warsaw")
    ack = out_of_hours_ack(closed, warsaw(2025, 11, 15, 17, 7), "en")
    assert ack is not None
    assert "as soon as we're back" in ack
    assert "as soon as we're back" in closing_text(closed, FRIDAY_CLOSING, "en")


# -- the schedule --------------------------------------------------------------------------------


def test_each_channel_gets_an_opening_and_a_closing_post_per_working_day() -> None:
    posts = schedule_posts(POLISH, CHANNELS, date(2025, 11, 10), date(2025, 11, 16))
    working_days = 4  # Monday to Friday minus 11 November
    assert len(posts) == 2 * working_days * len(CHANNELS)
    assert [p.at for p in posts] == sorted(p.at for p in posts)
    assert {p.at.astimezone(WARSAW).date() for p in posts}.isdisjoint(
        {date(2025, 11, 11), date(2025, 11, 15), date(2025, 11, 16)}
    )
    by_channel = {(p.channel, p.language) for p in posts}
    assert by_channel == set(CHANNELS.items())


def test_posts_are_scheduled_in_utc_at_local_opening_across_a_dst_change() -> None:
    posts = schedule_posts(POLISH, {"x": "en"}, date(2025, 10, 24), date(2025, 10, 27))
    openings = [p.at for p in posts if p.kind is PostKind.OPENING]
    assert openings == [
        datetime(2025, 10, 24, 6, 0, tzinfo=UTC),
        datetime(2025, 10, 27, 7, 0, tzinfo=UTC),
    ]
    assert all(p.at.tzinfo is UTC for p in posts)


def test_the_schedule_pairs_each_closing_with_the_next_opening() -> None:
    posts = schedule_posts(POLISH, {"x": "en"}, date(2025, 11, 14), date(2025, 11, 14))
    assert [(p.kind, p.at.astimezone(WARSAW).hour) for p in posts] == [
        (PostKind.OPENING, 8),
        (PostKind.CLOSING, 20),
    ]
    assert "on Monday at 8:00" in posts[1].text


def test_a_desk_open_around_the_clock_schedules_no_posts() -> None:
    always = BusinessCalendar(
        WeeklyHours({d: (("00:00", "24:00"),) for d in range(7)}), "Europe/Warsaw"
    )
    assert schedule_posts(always, CHANNELS, date(2025, 11, 10), date(2025, 11, 16)) == []
