"""What triage says about one post. Produced by ``mentiondesk.triage``, read everywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Sentiment(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class Intent(StrEnum):
    COMPLAINT = "complaint"
    QUESTION = "question"
    PRAISE = "praise"
    LEAD = "lead"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class SensitiveSpan:
    """Personal or order data found in a post: ``kind`` is phone, email, order, iban, card,
    pesel or codice_fiscale; offsets are character positions in the post text."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TriageResult:
    """``confidence`` holds calibrated probabilities of the labels given (``sentiment``,
    ``harmful``, ``complaint``) where the model has them; a label named in ``unsure`` is shown
    as "not sure" and nothing automatic acts on it as if it were certain."""

    language: str
    sentiment: Sentiment
    sentiment_score: float
    intent: Intent
    harmful: bool
    harmful_score: float
    spam: bool
    spam_score: float
    needs_reply: bool
    priority: int
    sensitive: tuple[SensitiveSpan, ...] = field(default=())
    confidence: dict[str, float] = field(default_factory=dict, hash=False)
    unsure: frozenset[str] = field(default=frozenset())

    def sure(self, label: str) -> bool:
        """Whether triage is confident enough in ``label`` for automatic decisions."""
        return label not in self.unsure

    @property
    def harmful_sure(self) -> bool:
        """Harmful and confidently so: what may sink or hide a post without a person."""
        return self.harmful and self.sure("harmful")

    def to_dict(self) -> dict[str, Any]:
        """The batch-command contract shape (also how it is stored as JSON)."""
        return {
            "language": self.language,
            "sentiment": self.sentiment.value,
            "sentiment_score": round(self.sentiment_score, 4),
            "intent": self.intent.value,
            "harmful": self.harmful,
            "harmful_score": round(self.harmful_score, 4),
            "spam": self.spam,
            "spam_score": round(self.spam_score, 4),
            "needs_reply": self.needs_reply,
            "priority": self.priority,
            "sensitive": [{"kind": s.kind, "start": s.start, "end": s.end} for s in self.sensitive],
            "confidence": {k: round(v, 4) for k, v in sorted(self.confidence.items())},
            "unsure": sorted(self.unsure),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TriageResult:
        return cls(
            language=str(data["language"]),
            sentiment=Sentiment(data["sentiment"]),
            sentiment_score=float(data["sentiment_score"]),
            intent=Intent(data["intent"]),
            harmful=bool(data["harmful"]),
            harmful_score=float(data["harmful_score"]),
            spam=bool(data["spam"]),
            spam_score=float(data.get("spam_score", 1.0 if data["spam"] else 0.0)),
            needs_reply=bool(data["needs_reply"]),
            priority=int(data["priority"]),
            sensitive=tuple(
                SensitiveSpan(str(s["kind"]), int(s["start"]), int(s["end"]))
                for s in data.get("sensitive", [])
            ),
            confidence={str(k): float(v) for k, v in (data.get("confidence") or {}).items()},
            unsure=frozenset(str(u) for u in data.get("unsure") or ()),
        )
