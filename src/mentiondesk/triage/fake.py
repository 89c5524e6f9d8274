"""A deterministic stand-in triager for tests and tools that must not depend on the model:
language from the post's hint, neutral sentiment, a question when the text asks one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from mentiondesk.domain.posts import InboundPost
from mentiondesk.domain.triage import Intent, Sentiment, TriageResult


class FakeTriager:
    def triage(
        self,
        post: InboundPost,
        *,
        mentioned: bool,
        languages: Sequence[str],
        now: datetime,
        order_pattern: str | None = None,
    ) -> TriageResult:
        question = "?" in post.text
        return TriageResult(
            language=post.language_hint or (languages[0] if languages else "en"),
            sentiment=Sentiment.NEUTRAL,
            sentiment_score=0.5,
            intent=Intent.QUESTION if question else Intent.OTHER,
            harmful=False,
            harmful_score=0.0,
            spam=False,
            spam_score=0.0,
            needs_reply=mentioned,
            priority=50 if mentioned else 0,
        )
