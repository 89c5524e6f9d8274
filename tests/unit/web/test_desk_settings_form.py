"""The settings form speaks minutes, hours and HH:MM ranges; it maps onto the settings exactly."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentiondesk.domain.desk_settings import DeskSettings
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.sla import SlaPolicy
from mentiondesk.domain.workspaces import WeeklyHours
from mentiondesk.web.pages.desk_settings import form_from_settings, settings_from_form

times = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 15]))
periods = st.lists(st.tuples(times, times), min_size=1, max_size=2).map(tuple)
minutes = st.one_of(st.none(), st.integers(0, 100_000).map(lambda m: m * 60.0))
hours = st.one_of(st.none(), st.integers(0, 10_000).map(lambda h: h * 36.0))  # 0.01 h steps

settings_strategy = st.builds(
    DeskSettings,
    time_zone=st.sampled_from(["Europe/Warsaw", "Europe/Rome"]),
    hours=st.dictionaries(st.integers(0, 6), periods, max_size=7).map(WeeklyHours),
    holiday_countries=st.lists(st.sampled_from(["PL", "IT"]), max_size=2, unique=True).map(tuple),
    closed_days=st.lists(st.dates(date(2026, 1, 1), date(2027, 12, 31)), max_size=3, unique=True)
    .map(sorted)
    .map(tuple),
    special_days=st.dictionaries(st.dates(date(2026, 1, 1), date(2027, 12, 31)), periods),
    sla=st.builds(SlaPolicy, minutes, minutes, hours),
    follow_up_window=st.integers(0, 1000).map(lambda h: h * 36.0),
    ack_enabled=st.booleans(),
    channels=st.dictionaries(st.sampled_from(["x", "facebook"]), st.sampled_from(["pl", "it"])),
)


@given(settings_strategy)
def test_what_the_form_shows_saves_back_to_the_same_settings(settings: DeskSettings) -> None:
    again = DeskSettings.from_dict(settings_from_form(form_from_settings(settings)))
    expected, got = settings.to_dict(), again.to_dict()
    for key in ("first_response", "next_response", "resolution"):
        assert got["sla"][key] == pytest.approx(expected["sla"][key])
    assert got["follow_up_window"] == pytest.approx(expected["follow_up_window"])
    for key in ("sla", "follow_up_window"):
        del expected[key], got[key]
    assert got == expected


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"hours_0": "08:00 to 20:00"}, "hours"),
        ({"first_response": "an hour"}, "first_response"),
        ({"channels": "x pl"}, "channels"),
    ],
)
def test_a_malformed_field_is_named(form: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        settings_from_form({"time_zone": "Europe/Warsaw", **form})
    assert refused.value.field == field
