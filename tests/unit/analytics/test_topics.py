"""Complaint topics: the lexicon finds inflected words in PL/IT/EN, groups what it misses by
keyphrase, and keeps its purity on the hand-labelled sample (docs/data/feedback-topics.md)."""

from __future__ import annotations

import pytest
from benchmarks.eval_topics import LANGUAGES, score

from mentiondesk.analytics.topic_lexicon import TOPICS
from mentiondesk.analytics.topics import assign_topics, topic_label


@pytest.mark.parametrize(
    ("text", "language", "topic"),
    [
        ("Zostawiliście mi walizkę w Monachium", "pl", "lost_baggage"),
        ("Co z moją walizce?", "pl", "lost_baggage"),
        ("Trzecie opóźnienie w tym tygodniu", "pl", "delays"),
        ("Rimborsi mai arrivati", "it", "refunds"),
        ("You lost my bag on a direct flight", "en", "lost_baggage"),
        ("Refunded? No. Still nothing.", "en", "refunds"),
        ("Nie mogę się zalogować do apki", "pl", "app_login"),
        ("waiting for a refund for the cancelled flight", "en", "refunds"),
    ],
)
def test_a_cue_finds_its_topic_in_any_inflected_form(text: str, language: str, topic: str) -> None:
    assert assign_topics([text], [language])[0].topic == topic


def test_posts_the_lexicon_misses_are_grouped_by_their_shared_keyphrase() -> None:
    texts = [
        "The self check-in kiosk at Gatwick won't print tags",
        "Kiosk at gate 3 frozen again",
        "Why is the lounge so small",
    ]
    topics = [m.topic for m in assign_topics(texts, ["en"] * 3)]
    assert topics == ["other: kiosk", "other: kiosk", "other"]
    assert topic_label("lost_baggage") == "Lost or damaged baggage"


def test_the_language_of_a_post_picks_its_cues() -> None:
    # "ticket" is an Italian support cue; in English it names what was bought.
    assert assign_topics(["Ticket aperto da 20 giorni"], ["it"])[0].topic == "support_wait"
    assert assign_topics(["Ticket prices up again"], ["en"])[0].topic == "pricing"


def test_every_prefix_cue_is_specific_enough() -> None:
    for topic in TOPICS:
        for cues in topic.cues.values():
            for cue in cues:
                tokens = cue.split()
                shortest = 4 if len(tokens) == 1 else 3  # a phrase narrows itself
                for token in tokens:
                    if token.endswith("*"):
                        assert len(token) - 1 >= shortest, (topic.key, cue)


@pytest.mark.parametrize("language", LANGUAGES)
def test_purity_and_coverage_on_the_labelled_sample_stay_above_the_documented_floor(
    language: str,
) -> None:
    scores = score(language)
    assert scores.posts == 100
    assert scores.purity >= 0.85
    assert scores.coverage >= 0.9
