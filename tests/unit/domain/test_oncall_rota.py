"""Who is on call, and who is told as an unacknowledged alert escalates (pure rules)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mentiondesk.domain.alerts import (
    OnCallRota,
    escalation_level,
    escalation_targets,
)
from mentiondesk.domain.errors import InvalidInput

WARSAW = ZoneInfo("Europe/Warsaw")
ROTA = OnCallRota.parse(
    {
        "weekday": [
            {"start": "08:00", "end": "20:00", "people": [1, 2]},
            {"start": "20:00", "end": "08:00", "people": [3]},
        ],
        "weekend": [{"start": "00:00", "end": "00:00", "people": [4, 5]}],
        "escalate_after": 10,
    }
)


def at(local: str) -> datetime:
    return datetime.fromisoformat(local).replace(tzinfo=WARSAW).astimezone(UTC)


def people(when: datetime, holidays: frozenset[date] = frozenset()) -> tuple[int, ...]:
    shift = ROTA.shift_at(when, WARSAW, holidays)
    return shift.people if shift else ()


def test_a_weekday_in_office_hours_calls_the_day_shift_in_order() -> None:
    assert people(at("2026-03-10T09:30")) == (1, 2)  # Tuesday


def test_the_night_shift_runs_past_midnight_into_the_next_day() -> None:
    assert people(at("2026-03-10T23:00")) == (3,)
    assert people(at("2026-03-11T07:59")) == (3,)
    assert people(at("2026-03-11T08:00")) == (1, 2)


def test_friday_night_belongs_to_friday_then_the_weekend_shift_takes_over() -> None:
    assert people(at("2026-03-14T02:00")) == (3,)  # Saturday 02:00, Friday's night shift
    assert people(at("2026-03-14T08:00")) == (4, 5)
    assert people(at("2026-03-14T17:00")) == (4, 5)  # Saturday evening
    assert people(at("2026-03-15T23:30")) == (4, 5)  # Sunday night


def test_a_public_holiday_on_a_weekday_is_covered_by_the_weekend_shift() -> None:
    easter_monday = date(2026, 4, 6)
    assert people(at("2026-04-06T12:00"), frozenset({easter_monday})) == (4, 5)
    assert people(at("2026-04-06T12:00")) == (1, 2)


def test_the_local_time_zone_decides_across_a_dst_change() -> None:
    # 29 March 2026: Warsaw moves to CEST; 07:30 UTC is 09:30 local, inside the day shift
    assert people(datetime(2026, 3, 30, 7, 30, tzinfo=UTC)) == (1, 2)
    assert people(datetime(2026, 3, 31, 5, 30, tzinfo=UTC)) == (3,)  # Tuesday 07:30 local
    assert people(datetime(2026, 3, 27, 7, 30, tzinfo=UTC)) == (1, 2)  # Friday 08:30 CET


def test_a_gap_in_the_rota_has_nobody_on_call() -> None:
    rota = OnCallRota.parse({"weekday": [{"start": "09:00", "end": "17:00", "people": [1]}]})
    assert rota.shift_at(at("2026-03-10T18:00"), WARSAW, frozenset()) is None


def test_escalation_steps_through_the_chain_then_reaches_the_owners() -> None:
    raised = at("2026-03-10T09:00")
    every = timedelta(minutes=10)
    chain, owners = (1, 2), (7, 8)
    levels = [
        escalation_level(raised, raised + timedelta(minutes=m), every, 2)
        for m in (0, 9, 10, 25, 90)
    ]
    assert levels == [0, 0, 1, 2, 2]
    assert [escalation_targets(chain, owners, lv) for lv in (0, 1, 2)] == [(1,), (2,), (7, 8)]


def test_without_a_rota_the_owners_are_told_at_once_and_nothing_escalates() -> None:
    raised = at("2026-03-10T09:00")
    assert escalation_targets((), (7,), 0) == (7,)
    assert escalation_level(raised, raised + timedelta(hours=5), timedelta(minutes=5), 0) == 0


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"weekday": [{"start": "8", "end": "20:00", "people": [1]}]}, "weekday[0].start"),
        ({"weekday": [{"start": "08:00", "end": "20:00", "people": []}]}, "weekday[0].people"),
        ({"weekend": [{"start": "08:00", "end": "20:00", "people": ["a"]}]}, "weekend[0].people"),
        ({"escalate_after": 0}, "escalate_after"),
        ({"weekday": [1]}, "weekday[0]"),
        ({"weekday": {"start": "08:00"}}, "weekday"),
        ({"escalate_after": "soon"}, "escalate_after"),
        ({"webhook_style": "discord"}, "webhook_style"),
        ({"webhook_url": "ftp://x"}, "webhook_url"),
    ],
)
def test_a_bad_rota_is_refused_naming_the_field(raw: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        OnCallRota.parse(raw)
    assert refused.value.field == field


def test_a_rota_survives_its_own_round_trip() -> None:
    assert OnCallRota.parse(ROTA.as_dict()) == ROTA
