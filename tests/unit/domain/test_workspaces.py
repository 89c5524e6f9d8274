"""Roles and opening hours of a workspace."""

from __future__ import annotations

import pytest

from mentiondesk.domain.workspaces import Role, WeeklyHours


@pytest.mark.parametrize(
    ("role", "cases", "settings", "members"),
    [
        (Role.OWNER, True, True, True),
        (Role.ADMIN, True, True, True),
        (Role.AGENT, True, False, False),
        (Role.VIEWER, False, False, False),
    ],
)
def test_what_each_role_may_do(role: Role, cases: bool, settings: bool, members: bool) -> None:
    assert role.can_act_on_cases is cases
    assert role.can_manage_settings is settings
    assert role.can_manage_members is members


def test_office_hours_are_weekdays_from_eight_to_eight_by_default() -> None:
    hours = WeeklyHours.office()

    assert hours.days == {d: (("08:00", "20:00"),) for d in range(5)}


def test_opening_hours_survive_a_round_trip_through_json() -> None:
    hours = WeeklyHours({0: (("08:00", "12:00"), ("13:00", "17:00")), 5: (("10:00", "14:00"),)})

    assert WeeklyHours.from_dict(hours.to_dict()) == hours
    assert hours.to_dict()["0"] == [["08:00", "12:00"], ["13:00", "17:00"]]
