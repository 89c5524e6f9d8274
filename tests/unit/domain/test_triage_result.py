"""The triage result's stored shape (also the batch-command contract)."""

from __future__ import annotations

from mentiondesk.domain.triage import Intent, SensitiveSpan, Sentiment, TriageResult


def a_result(**fields: object) -> TriageResult:
    values: dict[str, object] = {
        "language": "pl",
        "sentiment": Sentiment.NEGATIVE,
        "sentiment_score": 0.91234567,
        "intent": Intent.COMPLAINT,
        "harmful": False,
        "harmful_score": 0.01,
        "spam": False,
        "spam_score": 0.02,
        "needs_reply": True,
        "priority": 80,
        "sensitive": (SensitiveSpan("phone", 10, 21),),
    }
    values.update(fields)
    return TriageResult(**values)  # type: ignore[arg-type]


def test_a_triage_result_survives_a_round_trip_through_its_stored_shape() -> None:
    result = a_result(sentiment_score=0.9123)

    assert TriageResult.from_dict(result.to_dict()) == result


def test_scores_are_stored_rounded_to_four_places() -> None:
    assert a_result().to_dict()["sentiment_score"] == 0.9123


def test_the_stored_shape_uses_plain_values() -> None:
    stored = a_result().to_dict()

    assert stored["sentiment"] == "negative"
    assert stored["intent"] == "complaint"
    assert stored["sensitive"] == [{"kind": "phone", "start": 10, "end": 21}]


def test_results_stored_before_spam_scores_existed_still_load() -> None:
    stored = a_result(spam=True).to_dict()
    del stored["spam_score"]
    del stored["sensitive"]

    loaded = TriageResult.from_dict(stored)

    assert loaded.spam_score == 1.0
    assert loaded.sensitive == ()
