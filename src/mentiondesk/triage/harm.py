"""Abuse, hate and harassment: the model's score, backed by a short word list where the model
had no training data for the post's language.

The default model learned harm only from Polish (BAN-PL is the one permissively licensed harm
corpus), so for Italian and English a post that contains an unambiguous insult or slur still
gets flagged. Mild swearing is left out of the lists on purpose: it is not abuse by itself.
"""

from __future__ import annotations

import re

__all__ = ["HARMFUL_THRESHOLD", "harmful_score"]

HARMFUL_THRESHOLD = 0.5
LEXICON_SCORE = 0.75

_ABUSE = {
    "en": re.compile(
        r"\b(?:fuck (?:you|off)|stfu|idiots?|morons?|retard\w*|bitch\w*|cunts?|whores?|sluts?"
        r"|fag\w*|nigg\w*|kill yourself|kys|piece of shit|dickheads?|assholes?|scum\w*"
        r"|go back to your country|subhuman|vermin|shut (?:up|the fuck up))\b",
        re.IGNORECASE,
    ),
    "it": re.compile(
        r"\b(?:vaffanculo|stronz\w*|coglion\w*|troi\w*|puttan\w*|froci\w*|negr[oi]|zingar\w*"
        r"|merd\w*|idiot\w*|cretin\w*|imbecill\w*|bastard\w*|deficient\w*|terron\w*|feccia"
        r"|animali|bestie|schifos\w*|pezzo di merda|ammazza\w*|bruciat\w*)\b",
        re.IGNORECASE,
    ),
    "pl": re.compile(
        r"\b(?:spierdalaj|wypierdalaj|pierdol\w*|jeban\w*|chuj\w*|kurw\w*|pizd\w*|debil\w*"
        r"|idiot\w*|cwel\w*|pedał\w*|ciot\w*|szmat\w*|śmieciu|zdechnij|czarnuch\w*"
        r"|żydzi do gazu)\b",
        re.IGNORECASE,
    ),
}


def harmful_score(text: str, language: str, model: float, model_languages: frozenset[str]) -> float:
    """The model's probability, or the word list's verdict where the model never saw the
    language."""
    if language in model_languages:
        return model
    pattern = _ABUSE.get(language)
    if pattern is not None and pattern.search(text):
        return max(model, LEXICON_SCORE)
    return min(model, 0.49)  # an untrained head is not evidence either way
