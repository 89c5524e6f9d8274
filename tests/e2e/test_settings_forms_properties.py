"""Property: whatever an owner types into any settings form, the answer is 2xx, 3xx or 4xx,
never a server error, and the pages it feeds keep working afterwards."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentiondesk.bootstrap import Services
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.domain.workspaces import Role
from tests.e2e.conftest import NOW, PASSWORD, Seed, login

pytestmark = pytest.mark.slow

# Text as a browser can send it: any character but NUL and lone surrogates (which a browser
# cannot encode), with numbers, times and zones mixed in so the parsers past the first check
# are reached too.
_CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
TEXT = st.one_of(
    st.text(_CHARS, max_size=40),
    st.sampled_from(["1e308", "-1", "nan", "inf", "0", "99999999999999999999999", "", " "]),
    st.sampled_from(["08:00-20:00", "25:00-26:00", "mon-fri 08:00-16:00", "Europe/Warsaw"]),
    st.sampled_from(["x=pl", "PL, IT", "2026-02-30", "9999-12-31 10:00-14:00", "../etc"]),
)

FORMS: dict[str, list[str]] = {
    "/w/skylot/settings/desk": [
        "time_zone",
        "hours_0",
        "hours_5",
        "holiday_countries",
        "closed_days",
        "special_days",
        "first_response",
        "next_response",
        "resolution",
        "follow_up_window",
        "channels",
        "ack_enabled",
        "publish_hours",
    ],
    "/w/skylot/settings/replies": [
        "signature_mode",
        "signature_format",
        "duplicate_threshold",
        "max_attempts",
        "requires_signature",
    ],
    "/w/skylot/listening/profile": [
        "names",
        "aliases",
        "handles",
        "hashtags",
        "products",
        "competitors",
        "context_terms",
        "exclude_terms",
        "common_words",
        "fuzzy",
    ],
    "/w/skylot/moderation/rules": [
        "name",
        "spam",
        "harmful",
        "intents",
        "sentiments",
        "languages",
        "keywords_any",
        "keywords_all",
        "has_link",
        "author_handles",
        "min_followers",
        "max_followers",
        "hide_reason",
        "tag",
        "assign_to",
        "acknowledge",
        "enabled",
    ],
    "/w/skylot/agents/1/profile": ["teams", "languages", "capacity", "shifts", "available"],
    "/w/skylot/assignment": ["auto_assign", "team_by_language"],
    "/w/skylot/community-rules": ["rules"],
    "/me/signature": ["signature"],
}
VALID = {
    "/w/skylot/settings/desk": {"time_zone": "Europe/Warsaw", "hours_0": "08:00-20:00"},
    "/w/skylot/settings/replies": {
        "signature_mode": "never",
        "signature_format": "",
        "duplicate_threshold": "0.9",
        "max_attempts": "5",
    },
    "/w/skylot/moderation/rules": {"name": "rule", "keywords_any": "spam", "tag": "x"},
}
"""A valid form that the generated values are typed over, so a value that passes the first
check is stored and the pages that read it are tried."""
PAGES_AFTER = {
    "/w/skylot/settings/desk": ["/w/skylot/inbox", "/w/skylot/cases/1", "/w/skylot/settings/desk"],
    "/w/skylot/settings/replies": ["/w/skylot/cases/1", "/w/skylot/settings/replies"],
    "/w/skylot/listening/profile": ["/w/skylot/listening"],
    "/w/skylot/moderation/rules": ["/w/skylot/moderation/rules"],
    "/w/skylot/agents/1/profile": ["/w/skylot/agents"],
    "/w/skylot/assignment": ["/w/skylot/agents"],
    "/w/skylot/community-rules": ["/w/skylot/community-rules"],
    "/me/signature": ["/me/signature"],
}


@pytest.fixture
def owner(client: TestClient, services: Services, seed: Seed) -> str:
    with services.uow() as uow:
        user = do_create_user(uow, "olga@skylot.example", "Olga", PASSWORD, now=NOW)
        uow.users.set_role(user.id, seed.skylot.id, Role.OWNER)
        uow.commit()
    return login(client, "olga@skylot.example")


@pytest.mark.parametrize("path", sorted(FORMS))
def test_any_input_to_a_settings_form_answers_without_a_server_error(
    client: TestClient, owner: str, path: str
) -> None:
    seen: dict[int, int] = {}

    @settings(
        max_examples=30,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(FORMS[path], TEXT)))
    def post(form: dict[str, Any]) -> None:
        data = {**VALID.get(path, {}), **form, "csrf_token": owner}
        answer = client.post(path, data=data)
        seen[answer.status_code] = seen.get(answer.status_code, 0) + 1
        assert answer.status_code < 500, (form, answer.text[:500])
        for page in PAGES_AFTER[path]:
            shown = client.get(page)
            assert shown.status_code == 200, (form, page, shown.text[:500])

    post()
    assert sum(seen.values()) >= 30
