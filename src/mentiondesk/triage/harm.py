"""Abuse, hate and harassment: the model's score, backed by a short word list where the model
had no training data for the post's language.

The default model learned harm only from Polish (BAN-PL is the one permissively licensed harm
corpus), so for Italian and English a post that contains an unambiguous insult or slur still
gets flagged. Mild swearing is left out of the lists on purpose: it is not abuse by itself.
"""

from __future__ import annotations

from mentiondesk.triage.phrases import PhraseMatcher

__all__ = ["HARMFUL_THRESHOLD", "abuse_phrases", "harmful_score"]

HARMFUL_THRESHOLD = 0.5
LEXICON_SCORE = 0.75

_ABUSE = {
    "en": PhraseMatcher({"abuse": (
        "fuck you", "fuck off", "^stfu", "^idiot", "^idiots", "^moron*", "retard*", "^bitch*",
        "^cunt*", "^whore*", "^slut*", "^fag*", "nigg*", "kill yourself", "^kys",
        "piece of shit", "dickhead*", "asshole*", "^scum*", "go back to your country",
        "subhuman", "^vermin", "shut up", "shut the fuck up",
    )}),
    "it": PhraseMatcher({"abuse": (
        "vaffanculo", "stronz*", "coglion*", "^troia", "^troie", "puttan*", "froci*", "^negro",
        "^negri", "zingar*", "merd*", "idiot*", "cretin*", "imbecill*", "bastard*", "deficient*",
        "terron*", "^feccia", "^animali", "^bestie", "schifos*", "pezzo di merda", "ammazza*",
        "bruciat*",
    )}),
    "pl": PhraseMatcher({"abuse": (
        "spierdalaj", "wypierdalaj", "pierdol*", "jeban*", "chuj*", "kurw*", "pizd*", "debil*",
        "idiot*", "cwel*", "pedał*", "^ciot*", "szmat*", "^śmieciu", "zdechnij", "czarnuch*",
        "żydzi do gazu",
    )}),
}  # fmt: skip


def harmful_score(
    lowered: str, language: str, model: float, model_languages: frozenset[str]
) -> float:
    """The model's probability, or the word list's verdict where the model never saw the
    language."""
    if language in model_languages:
        return model
    matcher = _ABUSE.get(language)
    if matcher is not None and matcher.families(lowered):
        return max(model, LEXICON_SCORE)
    return min(model, 0.49)  # an untrained head is not evidence either way


def abuse_phrases(lowered: str, language: str) -> list[str]:
    """The insults of ``language``'s list found in a lower-cased post (for the case's "why")."""
    matcher = _ABUSE.get(language)
    return matcher.matches(lowered).get("abuse", []) if matcher is not None else []
