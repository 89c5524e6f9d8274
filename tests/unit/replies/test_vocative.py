"""Polish names in the vocative, as saved replies and the name check need them."""

import pytest

from mentiondesk.replies.vocative import polish_name_forms, vocative


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Tomasz", "Tomaszu"),
        ("Anna", "Anno"),
        ("Katarzyna", "Katarzyno"),
        ("Jan", "Janie"),
        ("Piotr", "Piotrze"),
        ("Robert", "Robercie"),
        ("Dawid", "Dawidzie"),
        ("Michał", "Michale"),
        ("Paweł", "Pawle"),
        ("Wojciech", "Wojciechu"),
        ("Marek", "Marku"),
        ("Maciek", "Maćku"),
        ("Kasia", "Kasiu"),
        ("Ola", "Olu"),
        ("Maria", "Mario"),
        ("Jerzy", "Jerzy"),
        ("Kowalska", "Kowalska"),
    ],
)
def test_a_first_name_is_put_in_the_vocative(name: str, expected: str) -> None:
    assert vocative(name) == expected


def test_familiar_vocative_uses_the_usual_diminutive() -> None:
    assert vocative("Tomasz", familiar=True) == "Tomku"
    assert vocative("Katarzyna", familiar=True) == "Kasiu"
    assert vocative("Anna", familiar=True) == "Aniu"


def test_capitalisation_is_kept() -> None:
    assert vocative("ANNA") == "ANNO"
    assert vocative("anna") == "anno"


def test_forms_of_tomasz_include_diminutive_and_vocatives() -> None:
    forms = polish_name_forms("Tomasz")
    assert {"tomasz", "tomaszu", "tomek", "tomku"} <= forms
    assert "marku" not in forms


def test_a_diminutive_author_name_allows_the_full_name() -> None:
    assert {"bartosz", "bartłomiej", "bartku"} <= polish_name_forms("Bartek")
