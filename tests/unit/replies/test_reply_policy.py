"""The reply policy: parsing stored settings and appending signatures exactly once."""

from __future__ import annotations

import pytest

from mentiondesk.domain.errors import InvalidInput
from mentiondesk.replies.policy import (
    ReplyPolicy,
    SignatureMode,
    hotline_from_form,
    hotline_hours_text,
    sign,
)

ALWAYS = ReplyPolicy(signature_mode=SignatureMode.ALWAYS)
PUBLIC_ONLY = ReplyPolicy(signature_mode=SignatureMode.PUBLIC_ONLY)


def test_the_signature_is_appended_in_the_workspace_format() -> None:
    assert sign("We are on it.", "Ania", ALWAYS, public=True) == "We are on it. ^Ania"


def test_a_reply_already_signed_is_not_signed_twice() -> None:
    assert sign("We are on it. ^ania  ", "Ania", ALWAYS, public=True) == "We are on it. ^ania"


def test_public_only_leaves_private_messages_unsigned() -> None:
    assert sign("Details here.", "Ania", PUBLIC_ONLY, public=False) == "Details here."
    assert sign("Details here.", "Ania", PUBLIC_ONLY, public=True) == "Details here. ^Ania"


def test_never_and_an_empty_signature_append_nothing() -> None:
    assert sign("Hi.", "Ania", ReplyPolicy(), public=True) == "Hi."
    assert sign("Hi.", " ", ALWAYS, public=True) == "Hi."


def test_a_custom_format_is_used() -> None:
    policy = ReplyPolicy.from_dict(
        {"signature_mode": "always", "signature_format": "— {signature}"}
    )
    assert sign("Hi.", "Ola", policy, public=True) == "Hi. — Ola"


@pytest.mark.parametrize(
    "data",
    [
        {"signature_mode": "sometimes"},
        {"signature_format": "^Ania"},
        {"duplicate_threshold": 0.1},
        {"max_attempts": 0},
        {"hotline": {"days": {"0": [["8"]]}}},
    ],
)
def test_malformed_policies_are_refused_naming_the_problem(data: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        ReplyPolicy.from_dict(data)


def test_the_policy_survives_a_round_trip_through_json() -> None:
    policy = ReplyPolicy.from_dict(
        {"signature_mode": "public_only", "hotline": {"days": {"0": [["08:00", "16:00"]]}}}
    )
    assert ReplyPolicy.from_dict(policy.to_dict()) == policy
    assert policy.guard_settings(time_zone="UTC", order_pattern=None, brand_handles=()).hotline


def test_contacts_are_kept_and_reach_the_guard() -> None:
    policy = ReplyPolicy.from_dict(
        {"contacts": {"phones": ["+48 22 123 45 67"], "emails": "pomoc@skylot.pl, www@x.pl"}}
    )
    assert ReplyPolicy.from_dict(policy.to_dict()) == policy
    settings = policy.guard_settings(time_zone="UTC", order_pattern=None, brand_handles=())
    assert settings.brand_contacts == ("+48 22 123 45 67", "pomoc@skylot.pl", "www@x.pl")


@pytest.mark.parametrize(
    "contacts",
    [{"phones": ["call us"]}, {"emails": ["not-an-address"]}, {"fax": ["1"]}, {"phones": "12"}],
)
def test_malformed_contacts_are_refused(contacts: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        ReplyPolicy.from_dict({"contacts": contacts})


def test_the_settings_form_hours_become_a_schedule_and_back() -> None:
    hotline = hotline_from_form(
        "Europe/Rome", ["8-17", "08:00-12:00, 13:00-17:00", "", "", "", "", ""]
    )
    assert hotline == {
        "time_zone": "Europe/Rome",
        "days": {"0": [["08:00", "17:00"]], "1": [["08:00", "12:00"], ["13:00", "17:00"]]},
    }
    assert hotline_hours_text(hotline)[:3] == ["08:00-17:00", "08:00-12:00, 13:00-17:00", ""]
    assert hotline_from_form("Europe/Rome", [""] * 7) is None
    with pytest.raises(InvalidInput):
        hotline_from_form("Europe/Rome", ["8 to 5"])
    with pytest.raises(InvalidInput):
        ReplyPolicy.from_dict({"hotline": hotline_from_form("Europe/Rome", ["17-8"])})
    with pytest.raises(InvalidInput):
        ReplyPolicy.from_dict({"hotline": hotline_from_form("Mars/Olympus", ["8-17"])})
