"""The rules around the model, tested with a fixed classifier and a fake language detector."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from mentiondesk.domain.triage import Intent
from mentiondesk.triage.classifier import FixedClassifier
from mentiondesk.triage.language import LanguagePicker
from mentiondesk.triage.priority import priority
from mentiondesk.triage.service import PostTriager, TriageItem

NOW = datetime(2025, 3, 1, tzinfo=UTC)


class FakeDetector:
    def __init__(self, answer: str | None) -> None:
        self.answer = answer
        self.calls: list[str] = []

    def detect(self, text: str) -> str | None:
        self.calls.append(text)
        return self.answer


def test_a_confident_fast_guess_skips_the_slow_detector() -> None:
    fake = FakeDetector("it")
    picker = LanguagePicker(lambda codes: fake)
    probs = np.array([[0.02, 0.01, 0.97]])
    assert picker.pick(["dzień dobry"], probs, ["en", "it", "pl"], ["pl", "it"], [None]) == ["pl"]
    assert fake.calls == []


def test_an_unsure_or_foreign_guess_asks_the_slow_detector_within_the_workspace() -> None:
    fake = FakeDetector("de")
    picker = LanguagePicker(lambda codes: fake)
    probs = np.array([[0.6, 0.3, 0.1]])
    assert picker.pick(["Guten Tag"], probs, ["en", "it", "pl"], ["de", "pl"], [None]) == ["de"]
    assert fake.calls == ["Guten Tag"]


def test_when_nobody_is_sure_the_hint_then_the_first_language_wins() -> None:
    picker = LanguagePicker(lambda codes: FakeDetector(None))
    probs = np.array([[0.4, 0.3, 0.3], [0.4, 0.3, 0.3]])
    picked = picker.pick(["???", "hmm"], probs, ["en", "it", "pl"], ["it", "pl"], ["pl", None])
    assert picked == ["pl", "it"]


def test_a_negative_post_with_a_complaint_phrase_is_a_complaint_without_a_complaint_model() -> None:
    triager = PostTriager(FixedClassifier(sentiment=(0.7, 0.2, 0.1), complaint=None))
    result = triager.triage_many([TriageItem("The app is not working again")], now=NOW)[0]
    assert result.intent is Intent.COMPLAINT
    assert result.needs_reply


def test_questions_need_a_reply_only_when_they_concern_the_brand() -> None:
    triager = PostTriager(FixedClassifier())
    asked, overheard = triager.triage_many(
        [TriageItem("When do you open?"), TriageItem("When do you open?", mentioned=False)],
        now=NOW,
    )
    assert asked.intent is Intent.QUESTION and asked.needs_reply
    assert not overheard.needs_reply


def test_the_same_link_posted_many_times_in_a_batch_is_spam() -> None:
    triager = PostTriager(FixedClassifier())
    text = "check this http://spam.example/x"
    results = triager.triage_many([TriageItem(text)] * 5, now=NOW)
    single = triager.triage_many([TriageItem(text)], now=NOW)[0]
    assert all(r.spam for r in results)
    assert not single.spam


def test_priority_stays_in_range_and_spam_is_zero() -> None:
    kwargs = dict(
        intent=Intent.COMPLAINT,
        negative=1.0,
        harmful=False,
        needs_reply=True,
        sensitive=True,
        followers=10**9,
        created_at=NOW - timedelta(days=30),
        now=NOW,
    )
    assert priority(spam=False, **kwargs) == 100
    assert priority(spam=True, **kwargs) == 0
    quiet = priority(
        intent=Intent.OTHER,
        negative=0.0,
        harmful=False,
        spam=False,
        needs_reply=False,
        sensitive=False,
        followers=None,
        created_at=None,
        now=NOW,
    )
    assert quiet <= 25
