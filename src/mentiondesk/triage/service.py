"""The triager: a classifier's scores plus the rules, for one post or a whole batch.

``triage_many`` is the real code path; ``triage`` (the domain's ``Triager`` port) is a batch of
one. Scoring a batch costs a few numpy operations however many posts it holds, which is what
lets the batch command reach thousands of posts a second.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mentiondesk.domain.posts import InboundPost
from mentiondesk.domain.triage import Intent, Sentiment, TriageResult
from mentiondesk.triage.classifier import (
    SENTIMENT_LABELS,
    ClassifierScores,
    PostClassifier,
    load_classifier,
)
from mentiondesk.triage.harm import HARMFUL_THRESHOLD, harmful_score
from mentiondesk.triage.intent import complaint_score, cues, decide_intent
from mentiondesk.triage.language import LanguagePicker
from mentiondesk.triage.priority import priority
from mentiondesk.triage.sensitive import find_sensitive
from mentiondesk.triage.spam import SPAM_THRESHOLD, spam_score

__all__ = ["DEFAULT_LANGUAGES", "PostTriager", "TriageItem", "build_triager"]

DEFAULT_LANGUAGES = ("pl", "it", "en")
_REPLY_INTENTS = frozenset({Intent.COMPLAINT, Intent.QUESTION, Intent.LEAD})


@dataclass(frozen=True, slots=True)
class TriageItem:
    """What triage needs to know about a post: its text and a few facts around it."""

    text: str
    mentioned: bool = True
    followers: int | None = None
    created_at: datetime | None = None
    language_hint: str | None = None
    to_brand: bool = False


class PostTriager:
    """Implements ``mentiondesk.domain.ports.Triager`` over any ``PostClassifier``."""

    def __init__(
        self,
        classifier: PostClassifier,
        *,
        picker: LanguagePicker | None = None,
        harm_languages: frozenset[str] | None = None,
    ) -> None:
        self.classifier = classifier
        self.picker = picker or LanguagePicker()
        # Languages the harm head was trained on; elsewhere the word lists decide.
        self.harm_languages = (
            harm_languages
            if harm_languages is not None
            else frozenset(
                getattr(classifier, "meta", {}).get("harm_languages", ["pl", "it", "en"])
            )
        )

    def triage(
        self,
        post: InboundPost,
        *,
        mentioned: bool,
        languages: Sequence[str],
        now: datetime,
        order_pattern: str | None = None,
    ) -> TriageResult:
        return self.triage_posts(
            [(post, mentioned)], languages=languages, now=now, order_pattern=order_pattern
        )[0]

    def triage_posts(
        self,
        posts: Sequence[tuple[InboundPost, bool]],
        *,
        languages: Sequence[str],
        now: datetime,
        order_pattern: str | None = None,
    ) -> list[TriageResult]:
        """The pipeline's batch path: (post, brand mentioned) pairs, results in order."""
        items = [
            TriageItem(
                text=post.text,
                mentioned=mentioned,
                followers=post.author.followers,
                created_at=post.created_at,
                language_hint=post.language_hint,
                to_brand=post.to_brand,
            )
            for post, mentioned in posts
        ]
        return self.triage_many(items, languages=languages, now=now, order_pattern=order_pattern)

    def triage_many(
        self,
        items: Sequence[TriageItem],
        *,
        languages: Sequence[str] = DEFAULT_LANGUAGES,
        now: datetime,
        order_pattern: str | None = None,
    ) -> list[TriageResult]:
        """Triage a batch; results follow the input order."""
        if now.tzinfo is None:
            raise ValueError("triage needs an aware 'now'")
        texts = [item.text for item in items]
        scores = self.classifier.score(texts)
        picked = self.picker.pick(
            texts, scores.language, scores.languages, languages, [i.language_hint for i in items]
        )
        copies = Counter(t.strip().lower() for t in texts) if len(texts) > 1 else Counter()
        return [
            self._one(
                i,
                item=item,
                language=picked[i],
                scores=scores,
                copies=copies,
                now=now,
                order_pattern=order_pattern,
            )
            for i, item in enumerate(items)
        ]

    def _one(
        self,
        i: int,
        *,
        item: TriageItem,
        language: str,
        scores: ClassifierScores,
        copies: Counter[str],
        now: datetime,
        order_pattern: str | None,
    ) -> TriageResult:
        text = item.text
        negative, neutral, positive = (float(x) for x in scores.sentiment[i])
        best = max(range(3), key=lambda k: (negative, neutral, positive)[k])
        lowered = text.lower()
        found = cues(lowered)
        model_complaint = None if scores.complaint is None else float(scores.complaint[i])
        complaint = complaint_score(negative, found.complaint, model_complaint)
        intent = decide_intent(found, negative, positive, complaint)
        negative_by_cue = found.complaint and best == 1 and negative >= positive
        if negative_by_cue:
            best = 0  # a post that says what went wrong and is not happy reads as negative
        harm = harmful_score(lowered, language, float(scores.harmful[i]), self.harm_languages)
        harmful = harm >= HARMFUL_THRESHOLD
        n_copies = copies[lowered.strip()] if copies else 1
        spam_p = spam_score(text, lowered, n_copies)
        spam = spam_p >= SPAM_THRESHOLD
        addressed = item.mentioned or item.to_brand
        # Complaints, questions and leads about the brand need a person; so does anything
        # addressed to the brand directly (a tag, a DM, a comment under its post) that is
        # not merely praise: somebody is waiting for an answer there.
        expects_answer = intent in _REPLY_INTENTS or (item.to_brand and intent is Intent.OTHER)
        needs_reply = addressed and expects_answer and not spam and not harmful
        spans = tuple(find_sensitive(text, order_pattern))
        # The tone priority weighs is the one stored (the strength of a negative reading, else
        # none), so a later re-score from the stored labels gives the same number.
        strength = max(complaint, 0.5) if negative_by_cue else (negative, neutral, positive)[best]
        tone = strength if best == 0 else 0.0
        return TriageResult(
            language=language,
            sentiment=Sentiment(SENTIMENT_LABELS[best]),
            sentiment_score=strength,
            intent=intent,
            harmful=harmful,
            harmful_score=harm,
            spam=spam,
            spam_score=spam_p,
            needs_reply=needs_reply,
            priority=priority(
                intent=intent,
                negative=tone,
                harmful=harmful,
                spam=spam,
                needs_reply=needs_reply,
                sensitive=bool(spans),
                followers=item.followers,
                created_at=item.created_at,
                now=now,
                tagged=item.to_brand,
            ),
            sensitive=spans,
        )


def build_triager(
    model_dir: Path | None = None, *, classifier: PostClassifier | None = None
) -> PostTriager:
    """The composition root for triage: loads the shipped model (or ``model_dir``) now, not at
    import time. Pass ``classifier`` to plug in another model behind the same rules."""
    if classifier is None:
        classifier = load_classifier(model_dir) if model_dir else _shipped_classifier()
    return PostTriager(classifier)


@functools.cache
def _shipped_classifier() -> PostClassifier:
    """The packaged model is read-only, so one loaded copy serves every triager."""
    return load_classifier(None)
