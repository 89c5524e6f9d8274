"""Desk settings: they round-trip through JSON and refuse values that would break a clock."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentiondesk.domain.desk_settings import DeskSettings
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.sla import SlaPolicy
from mentiondesk.domain.workspaces import WeeklyHours

times = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 30]))
periods = st.lists(st.tuples(times, times), max_size=2).map(tuple)
targets = st.one_of(st.none(), st.integers(0, 10 * 24 * 3600).map(float))

settings_strategy = st.builds(
    DeskSettings,
    time_zone=st.sampled_from(["Europe/Warsaw", "Europe/Rome", "UTC"]),
    hours=st.dictionaries(st.integers(0, 6), periods, max_size=7).map(WeeklyHours),
    holiday_countries=st.lists(st.sampled_from(["PL", "IT", "DE-BY"]), max_size=2).map(tuple),
    closed_days=st.lists(st.dates(date(2025, 1, 1), date(2028, 12, 31)), max_size=3).map(tuple),
    special_days=st.dictionaries(st.dates(date(2025, 1, 1), date(2028, 12, 31)), periods),
    sla=st.builds(SlaPolicy, targets, targets, targets),
    follow_up_window=st.integers(0, 7 * 24 * 3600).map(float),
    ack_enabled=st.booleans(),
    channels=st.dictionaries(st.sampled_from(["x", "facebook"]), st.sampled_from(["pl", "it"])),
)


@given(settings_strategy)
def test_settings_round_trip_through_json(settings: DeskSettings) -> None:
    again = DeskSettings.from_dict(settings.to_dict())
    assert again.to_dict() == settings.to_dict()


def test_keys_left_out_keep_their_value() -> None:
    base = DeskSettings(follow_up_window=600.0, ack_enabled=True)
    changed = DeskSettings.from_dict({"sla": {"first_response": 3600}}, base)
    assert changed.follow_up_window == 600.0 and changed.ack_enabled
    assert changed.sla == SlaPolicy(first_response=3600.0)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"hours": {"0": [["25:00", "26:00"]]}}, "hours"),
        ({"sla": {"first_response": -1}}, "first_response"),
        ({"sla": {"resolution": "soon"}}, "sla.resolution"),
        ({"closed_days": ["2026-13-01"]}, "closed_days"),
        ({"holiday_countries": ["Poland"]}, "holiday_countries"),
        ({"channels": {"x": "Polish!"}}, "channels"),
        ({"follow_up_window": -5}, "follow_up_window"),
    ],
)
def test_a_bad_value_is_refused_naming_its_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        DeskSettings.from_dict(changes)
    assert refused.value.field == field
