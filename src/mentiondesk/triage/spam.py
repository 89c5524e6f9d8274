"""Spam from rules, because there is no spam corpus to learn from.

The score adds up evidence that spammers cannot easily avoid: links, promotional phrases, contact
bait (WhatsApp, Telegram, "DM me"), money and crypto talk, hashtag and mention stuffing, shouting,
repetition inside the post, and the same text arriving several times in one batch. The weights
are set by hand and are not evaluated on labelled data; ``docs/models.md`` says so.
"""

from __future__ import annotations

import math
import re

__all__ = ["SPAM_THRESHOLD", "spam_score"]

SPAM_THRESHOLD = 0.5

_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
_PROMO = re.compile(
    r"free|giveaway|win (?:a|an|\$)|promo ?code|discount|click (?:here|the link)|limited offer"
    r"|follow (?:back|me)|check (?:out )?my (?:profile|page|bio)|subscribe|earn \$?\d|make money"
    r"|work from home|darmow|za darmo|rozdaj|kod rabatow|zniżk|promocj|kliknij|zarabiaj|zarób"
    r"|obserwuj|gratis|omaggio|sconto|codice sconto|clicca|guadagna|offerta|seguimi|iscriviti",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"whats ?app|telegram|dm (?:me|us) (?:for|to)|inbox me|napisz na priv|scrivimi in privato",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"crypto|bitcoin|btc|forex|invest(?:ment|ing)? (?:plan|opportunit)|profit|kasyno|casino|bet"
    r"|\$\d|\d ?(?:usd|eur|€|zł|pln)\b",
    re.IGNORECASE,
)
_HASHTAG = re.compile(r"#\w+")
_MENTION = re.compile(r"@\w+")


def _repetition(text: str) -> float:
    """Share of words that repeat an earlier word (0 for short posts)."""
    words = text.lower().split()
    if len(words) < 6:
        return 0.0
    return 1.0 - len(set(words)) / len(words)


def spam_score(text: str, copies_in_batch: int = 1) -> float:
    """A 0..1 score; ``copies_in_batch`` counts identical posts seen in the same batch."""
    links = len(_URL.findall(text))
    letters = [c for c in text if c.isalpha()]
    caps = sum(c.isupper() for c in letters) / len(letters) if len(letters) >= 12 else 0.0
    evidence = (
        0.9 * min(links, 3)
        + 1.3 * min(len(_PROMO.findall(text)), 3)
        + 1.6 * bool(_CONTACT.search(text))
        + 1.0 * bool(_MONEY.search(text))
        + 0.35 * max(0, len(_HASHTAG.findall(text)) - 3)
        + 0.35 * max(0, len(_MENTION.findall(text)) - 4)
        + 1.2 * (caps > 0.7)
        + 3.0 * _repetition(text)
        + 1.2 * min(copies_in_batch - 1, 3) * (1 if links else 0.5)
    )
    return 1.0 / (1.0 + math.exp(-(evidence - 3.2)))
