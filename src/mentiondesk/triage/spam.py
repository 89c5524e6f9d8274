"""Spam from rules, because there is no spam corpus to learn from.

The score adds up evidence that spammers cannot easily avoid: links, promotional phrases, contact
bait (WhatsApp, Telegram, "DM me"), money and crypto talk, hashtag and mention stuffing, shouting,
repetition inside the post, and the same text arriving several times in one batch. The weights
are set by hand and are not evaluated on labelled data; ``docs/models.md`` says so.
"""

from __future__ import annotations

import math

from mentiondesk.triage.phrases import PhraseMatcher

__all__ = ["SPAM_THRESHOLD", "spam_score"]

SPAM_THRESHOLD = 0.5

_MATCHER = PhraseMatcher({
    "promo": (
        "free", "giveaway", "win a ", "win an ", "promo code", "promocode", "discount",
        "click here", "click the link", "limited offer", "follow back", "follow me",
        "check my profile", "check out my", "check my bio", "subscribe", "make money",
        "work from home", "darmow", "za darmo", "rozdaj", "kod rabatow", "zniżk", "promocj",
        "kliknij", "zarabiaj", "zarób", "obserwuj", "gratis", "omaggio", "sconto",
        "codice sconto", "clicca", "guadagna", "offerta", "seguimi", "iscriviti",
    ),
    "contact": (
        "whatsapp", "whats app", "telegram", "dm me for", "dm me to", "dm us for", "inbox me",
        "napisz na priv", "scrivimi in privato",
    ),
    "money": (
        "crypto", "bitcoin", "^btc", "forex", "investment plan", "investment opportunit",
        "^profit*", "kasyno", "casino", "^bet", "^betting", "usd", "$",
    ),
})  # fmt: skip


def _repetition(text: str) -> float:
    """Share of words that repeat an earlier word (0 for short posts)."""
    words = text.split()
    if len(words) < 6:
        return 0.0
    return 1.0 - len(set(words)) / len(words)


def spam_score(text: str, lowered: str, copies_in_batch: int = 1) -> float:
    """A 0..1 score; ``lowered`` is ``text.lower()``; ``copies_in_batch`` counts identical posts
    seen in the same batch."""
    links = lowered.count("http") + lowered.count("www.")
    found = _MATCHER.families(lowered)
    shouting = len(text) >= 20 and text == text.upper() and text != lowered
    evidence = (
        0.9 * min(links, 3)
        + 1.5 * ("promo" in found)
        + 1.6 * ("contact" in found)
        + 1.0 * ("money" in found)
        + 0.35 * max(0, text.count("#") - 3)
        + 0.35 * max(0, text.count("@") - 4)
        + 1.2 * shouting
        + 3.0 * _repetition(lowered)
        + 1.2 * min(copies_in_batch - 1, 3) * (1 if links else 0.5)
    )
    return 1.0 / (1.0 + math.exp(-(evidence - 3.2)))
