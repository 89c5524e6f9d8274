"""Pure moderation rules: accepted hide reasons and what an auto-moderation rule matches."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.moderation import (
    RuleConditions,
    clean_community_rules,
    erased_text,
    rule_matches,
    validate_hide_reason,
)
from mentiondesk.domain.posts import AuthorRef, InboundPost, Platform, Post
from mentiondesk.domain.triage import Intent, Sentiment, TriageResult

AT = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
TRIAGE = TriageResult(
    "en", Sentiment.NEGATIVE, -0.6, Intent.COMPLAINT, False, 0.0, True, 0.9, True, 2
)


def _post(text: str = "Buy cheap watches at https://spam.example now", **kw: object) -> Post:
    author = AuthorRef(Platform.X, str(kw.pop("handle", "bot_123")), "", kw.pop("followers", 5))  # type: ignore[arg-type]
    inbound = InboundPost(Platform.X, "x-1", text, AT, author)
    return Post(1, 1, inbound, 1, AT, triage=kw.pop("triage", TRIAGE))  # type: ignore[arg-type]


def test_spam_and_abuse_are_always_accepted_in_any_case() -> None:
    assert validate_hide_reason(" SPAM ", []) == "spam"
    assert validate_hide_reason("Abuse", ["No ads"]) == "abuse"


def test_a_missing_reason_names_the_field_and_lists_the_accepted_ones() -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_hide_reason(None, ["No ads"])
    assert refused.value.field == "reason"
    assert '"No ads"' in refused.value.reason


def test_an_unpublished_reason_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not accepted"):
        validate_hide_reason("because I don't like it", ["No ads"])


def test_community_rules_are_trimmed_deduplicated_and_never_shadow_the_built_ins() -> None:
    assert clean_community_rules(["  No  ads ", "no ads", "", "Spam", "Be kind"]) == (
        "No ads",
        "Be kind",
    )


def test_a_spam_rule_matches_spam_and_not_a_genuine_complaint() -> None:
    spam_rule = RuleConditions(spam=True)
    assert rule_matches(spam_rule, _post())
    assert not rule_matches(spam_rule, _post(triage=replace(TRIAGE, spam=False)))


def test_keywords_match_whole_words_any_or_all() -> None:
    post = _post("My refund for the broken kettle never came")
    assert rule_matches(RuleConditions(keywords_any=("kettle", "toaster")), post)
    assert not rule_matches(RuleConditions(keywords_any=("kett",)), post)
    assert rule_matches(RuleConditions(keywords_all=("refund", "broken kettle")), post)
    assert not rule_matches(RuleConditions(keywords_all=("refund", "toaster")), post)


def test_links_author_and_followers_are_conditions_too() -> None:
    post = _post(handle="@Bot_123", followers=5)
    assert rule_matches(RuleConditions(has_link=True, author_handles=("bot_123",)), post)
    assert not rule_matches(RuleConditions(has_link=False), post)
    assert rule_matches(RuleConditions(max_followers=10), post)
    assert not rule_matches(RuleConditions(min_followers=1000), post)


def test_triage_conditions_never_match_an_untriaged_post() -> None:
    assert not rule_matches(RuleConditions(spam=True), _post(triage=None))
    assert rule_matches(RuleConditions(intents=("complaint",), languages=("en",)), _post())


def test_erased_text_names_the_date() -> None:
    assert erased_text(date(2026, 3, 10)) == "[erased on 2026-03-10 at the data subject's request]"
