"""What an agent sees for real posts, through the shipped model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from mentiondesk.domain.posts import AuthorRef, InboundPost, Platform
from mentiondesk.domain.triage import Intent, Sentiment
from mentiondesk.triage.service import PostTriager, TriageItem, build_triager

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@cache
def shipped() -> PostTriager:
    return build_triager()


def post(text: str, *, followers: int | None = None, age: timedelta = timedelta()) -> InboundPost:
    return InboundPost(
        platform=Platform.X,
        platform_post_id="1",
        text=text,
        created_at=NOW - age,
        author=AuthorRef(Platform.X, "klient", followers=followers),
    )


def test_a_polish_complaint_with_a_phone_number() -> None:
    text = (
        "@MegaSklep zamówienie nadal nie dotarło, to skandal, nikt nie odbiera infolinii. "
        "Proszę o kontakt 601 234 567"
    )
    result = shipped().triage(post(text), mentioned=True, languages=("pl", "it", "en"), now=NOW)
    assert result.language == "pl"
    assert result.sentiment is Sentiment.NEGATIVE
    assert result.intent is Intent.COMPLAINT
    assert result.needs_reply
    start = text.index("601")
    assert [(s.kind, s.start, s.end) for s in result.sensitive] == [("phone", start, start + 11)]


def test_an_italian_question_about_an_order_needs_a_reply() -> None:
    result = shipped().triage(
        post("@NegozioBello come posso cambiare l'indirizzo di spedizione del mio ordine?"),
        mentioned=True,
        languages=("pl", "it", "en"),
        now=NOW,
    )
    assert result.language == "it"
    assert result.intent is Intent.QUESTION
    assert result.needs_reply


def test_someone_asking_for_a_recommendation_is_a_lead() -> None:
    result = shipped().triage(
        post("Can anyone recommend a good phone plan? Thinking of switching to @CellCo"),
        mentioned=True,
        languages=("en",),
        now=NOW,
    )
    assert result.intent is Intent.LEAD
    assert result.needs_reply


def test_a_post_that_only_names_the_brand_elsewhere_needs_no_reply() -> None:
    result = shipped().triage(
        post("Ktoś wie, o której jutro mecz?"),
        mentioned=False,
        languages=("pl",),
        now=NOW,
    )
    assert not result.needs_reply


def test_abuse_is_flagged_and_gets_no_reply() -> None:
    result = shipped().triage(
        post("@MegaSklep spierdalaj debilu, jesteście bandą złodziei"),
        mentioned=True,
        languages=("pl",),
        now=NOW,
    )
    assert result.harmful
    assert not result.needs_reply


def test_link_heavy_promotion_is_spam_and_gets_no_reply() -> None:
    text = "FREE giveaway!!! Click here http://x.co/a http://x.co/b DM me for promo code WhatsApp"
    result = shipped().triage(post(text), mentioned=True, languages=("en",), now=NOW)
    assert result.spam
    assert not result.needs_reply
    assert result.priority == 0


def test_praise_is_positive_and_not_urgent() -> None:
    result = shipped().triage(
        post("Dziękuję @MegaSklep, świetna obsługa, paczka dotarła błyskawicznie! Polecam"),
        mentioned=True,
        languages=("pl",),
        now=NOW,
    )
    assert result.sentiment is Sentiment.POSITIVE
    assert result.intent is Intent.PRAISE
    assert result.priority < 30


def test_reach_and_waiting_raise_priority() -> None:
    text = "@MegaSklep paczka nie dotarła, nadal czekam na zwrot pieniędzy"
    fresh = shipped().triage(post(text), mentioned=True, languages=("pl",), now=NOW)
    old_and_loud = shipped().triage(
        post(text, followers=250_000, age=timedelta(hours=12)),
        mentioned=True,
        languages=("pl",),
        now=NOW,
    )
    assert old_and_loud.priority > fresh.priority


def test_a_batch_gives_the_same_answers_as_one_by_one() -> None:
    texts = ["Grazie mille, servizio ottimo!", "Where is my refund??", "Nie działa aplikacja"]
    together = shipped().triage_many([TriageItem(t) for t in texts], now=NOW)
    alone = [shipped().triage_many([TriageItem(t)], now=NOW)[0] for t in texts]
    assert together == alone


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.sampled_from([("pl", "it", "en"), ("de", "fr"), ("en",)]))
def test_the_triager_never_crashes_on_any_text(text: str, languages: tuple[str, ...]) -> None:
    result = shipped().triage(post(text), mentioned=True, languages=languages, now=NOW)
    assert result.language in languages
    assert 0 <= result.priority <= 100
    assert 0.0 <= result.sentiment_score <= 1.0


def test_a_post_that_says_what_went_wrong_reads_as_a_negative_complaint_in_each_language() -> None:
    texts = {
        "pl": "Skylot zgubił mój bagaż, fatalna obsługa, jestem wściekła!",
        "it": "Il volo è in ritardo di tre ore e nessuna risposta da Skylot",
        "en": "@skylot my bag never arrived in Milan",
    }
    for language, text in texts.items():
        result = shipped().triage(post(text), mentioned=True, languages=("pl", "it", "en"), now=NOW)
        assert result.language == language
        assert (result.sentiment, result.intent) == (Sentiment.NEGATIVE, Intent.COMPLAINT), text
        assert result.sentiment_score >= 0.5
