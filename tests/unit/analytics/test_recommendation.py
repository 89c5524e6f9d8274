"""The recommendation-request detector asks "is this person asking what to choose?" in PL,
IT and EN, and says no to praise, warnings and questions to the brand about its service."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mentiondesk.analytics.recommendation import asks_for_recommendation

SAMPLE = Path(__file__).parent / "data" / "recommendation_requests.tsv"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Polećcie dobrego przewoźnika do Lizbony", "pl"),
        ("Który operator wybrać na kartę?", "pl"),
        ("Mi consigliate una compagnia per Tokyo?", "it"),
        ("Can anyone recommend a decent airline to Lisbon?", "en"),
    ],
)
def test_requests_for_a_recommendation_are_found(text: str, language: str) -> None:
    assert asks_for_recommendation(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Polecam wszystkim, super obsługa", "pl"),
        ("Nie polecam tej linii", "pl"),
        ("Consiglio a tutti questo negozio", "it"),
        ("I recommend them, great crew", "en"),
        ("@Skylot my flight was cancelled, any suggestions?", "en"),
        ("@Skylot what do you suggest I do now?", "en"),
    ],
)
def test_statements_and_questions_to_the_brand_are_not_requests(text: str, language: str) -> None:
    assert not asks_for_recommendation(text, language)


def test_precision_and_recall_on_the_labelled_sample_stay_above_the_documented_floor() -> None:
    with SAMPLE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    said = [asks_for_recommendation(r["text"], r["lang"]) for r in rows]
    truth = [r["asks"] == "1" for r in rows]
    hits = sum(s and t for s, t in zip(said, truth, strict=True))
    assert hits / sum(said) >= 0.9 and hits / sum(truth) >= 0.9
