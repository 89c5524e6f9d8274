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
# The complaint decision is a rule over scores (no permissive complaint data to calibrate it),
# so "not sure" is a band around its decision point: a post this close to being a complaint is
# shown as such and left for a person rather than sunk as needing no reply.
COMPLAINT_UNSURE_BAND = (0.3, 0.6)


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
        meta = getattr(classifier, "meta", {})
        # Calibrated confidence below which a label is "not sure", chosen on dev data
        # (``calibration.fit_calibration``); a model without them never abstains.
        self.abstain: dict[str, float] = dict(meta.get("abstain", {}))
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
        negative, neutral, positive = scores.sentiment[i].tolist()
        sure_neg, sure_neu, sure_pos = scores.sentiment_sure[i].tolist()
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
        # The same complaint rule on the calibrated negativity: how sure the complaint call is.
        complaint_sure = complaint_score(sure_neg, found.complaint, model_complaint)
        # A complaint phrase or a market remark is a rule that decided; only a post the scores
        # alone put near the complaint line is "maybe a complaint".
        by_rule = found.complaint or found.market
        confidence, unsure = self._confidence(
            best, (sure_neg, sure_neu, sure_pos), negative_by_cue, complaint_sure,
            None if by_rule or harmful else intent, harm,
            model_harm=language in self.harm_languages,
        )  # fmt: skip
        harmful_sure = harmful and "harmful" not in unsure
        addressed = item.mentioned or item.to_brand
        # Complaints, questions and leads about the brand need a person; so does anything
        # addressed to the brand directly (a tag, a DM, a comment under its post) that is
        # not merely praise: somebody is waiting for an answer there. A post triage is not
        # sure about (maybe a complaint, maybe abuse) goes to a person too.
        expects_answer = (
            intent in _REPLY_INTENTS
            or (item.to_brand and intent is Intent.OTHER)
            or "intent" in unsure
        )
        needs_reply = addressed and expects_answer and not spam and not harmful_sure
        spans = tuple(find_sensitive(text, order_pattern))
        # The tone priority weighs is the one stored (the calibrated strength of a negative
        # reading, else none), so a later re-score from the stored labels gives the same number.
        calibrated = (sure_neg, sure_neu, sure_pos)
        strength = max(complaint, 0.5) if negative_by_cue else calibrated[best]
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
                harmful=harmful_sure,
                spam=spam,
                needs_reply=needs_reply,
                sensitive=bool(spans),
                followers=item.followers,
                created_at=item.created_at,
                now=now,
                tagged=item.to_brand,
            ),
            sensitive=spans,
            confidence=confidence,
            unsure=frozenset(unsure),
        )

    def _confidence(
        self,
        best: int,
        calibrated: tuple[float, float, float],
        negative_by_cue: bool,
        complaint: float,
        intent: Intent | None,
        harm: float,
        *,
        model_harm: bool,
    ) -> tuple[dict[str, float], set[str]]:
        """Calibrated confidence of each label given, and the labels triage is not sure of
        (``intent`` is ``None`` for a remark the rules know is no complaint)."""
        unsure: set[str] = set()
        confidence = {"complaint": complaint}
        polar = calibrated[0] + calibrated[2]
        if negative_by_cue:
            confidence["sentiment"] = max(complaint, 0.5)  # a rule decided it, this strongly
        elif best != 1 and polar > 0:  # neutral is the band of no polarity: no probability
            confidence["sentiment"] = calibrated[best] / polar
            if confidence["sentiment"] < self.abstain.get("sentiment", 0.0):
                unsure.add("sentiment")
        if model_harm:  # elsewhere a word list decides, which is a rule, not a probability
            confidence["harmful"] = harm if harm >= HARMFUL_THRESHOLD else 1.0 - harm
            if confidence["harmful"] < self.abstain.get("harmful", 0.0):
                unsure.add("harmful")
        low, high = COMPLAINT_UNSURE_BAND
        if low <= complaint < high and intent in (Intent.COMPLAINT, Intent.OTHER, Intent.PRAISE):
            unsure.add("intent")
        return confidence, unsure


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
