"""The password policy refuses short, common (breached) and personal passwords."""

from __future__ import annotations

import pytest

from mentiondesk.desk.passwords import check_password, common_passwords
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.passwords import MIN_LENGTH, password_problem

COMMON = frozenset({"password", "qwertyuiop", "iloveyou", "password1"})


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short-one", "at least 12"),
        ("password", "at least 12"),
        ("qwertyuiop12", "common"),
        ("Password2026!", "common"),
        ("ILOVEYOU1234", "common"),
        ("aaaaaaaaaaaaaaaa", "too few different"),
    ],
)
def test_short_common_and_monotonous_passwords_are_refused(password: str, why: str) -> None:
    problem = password_problem(password, common=COMMON)
    assert problem is not None and why in problem


def test_a_password_with_the_email_name_or_the_workspace_name_is_refused() -> None:
    def problem(password: str) -> str:
        found = password_problem(
            password,
            common=COMMON,
            email="ania.nowak@skylot.example",
            workspace_names=["Corvo Coffee"],
        )
        return found or ""

    assert "e-mail name" in problem("my-ania-is-long-enough")
    assert "e-mail name" in problem("Nowak!Summer-Trip")
    assert "workspace" in problem("corvo_COFFEE_2026")
    assert problem("runway-espresso-2026") == ""


def test_the_bundled_list_holds_the_most_common_breached_passwords() -> None:
    common = common_passwords()
    assert len(common) > 19_000
    assert {"123456", "password", "qwerty", "iloveyou", "dragon"} <= common
    assert all(p == p.lower() for p in list(common)[:500])


def test_the_shipped_policy_refuses_a_listed_password_and_accepts_a_passphrase() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_password("1q2w3e4r5t6y")
    assert refused.value.field == "password" and "common" in refused.value.reason
    with pytest.raises(InvalidInput):
        check_password("x" * (MIN_LENGTH - 1))
    check_password("correct horse battery staple")  # the test fixtures' password passes
    check_password("runway-espresso-2026", workspace_names=["Skylot", "Corvo Coffee"])
