"""What the author wants: complaint, question, praise, lead or nothing in particular.

There is labelled intent data only for English complaints, so intent is decided by rules over
the model's scores (sentiment, and complaint where the model has that head) and short phrase
lists per language (pl, it, en) for questions, recommendations/purchase intent, complaints and
thanks. The lists are the written-down knowledge of how people ask and complain; they are small
on purpose and evaluated in ``docs/models.md``.
"""

from __future__ import annotations

import re

from mentiondesk.domain.triage import Intent

__all__ = ["IntentCues", "cues", "decide_intent"]

_QUESTION_START = re.compile(
    r"^\W*(?:@\w+\s+)*(?:what|why|how|when|where|who|which|can you|could you|is there|are you"
    r"|do you|does|did|anyone|czy|jak|jaki|jaka|jakie|dlaczego|czemu|kiedy|gdzie|ile|który|która"
    r"|które|co\s|come|perché|perche|quando|dove|chi|quale|quali|quanto|quanti|cosa|che cosa"
    r"|potete|posso|si può|è possibile)\b",
    re.IGNORECASE,
)
_LEAD = re.compile(
    r"recommend|any suggestions|which (?:one|\w+) should i|looking for an? |want(?:ing)? to buy"
    r"|where (?:can|do) i (?:buy|get|order)|how much (?:is|does|for)|thinking (?:of|about) "
    r"(?:buying|getting|switching)|interested in (?:buying|your)|ready to (?:buy|order|sign)"
    r"|polec(?:i|a|e)(?:cie|sz|ci)|co (?:byście|byscie|warto) (?:wybra|kupi)|któr\w+ wybra"
    r"|szukam (?:dobr|jaki|czego|telefon|laptop|ofert)|chc(?:ę|e|iał\w*) (?:kupić|kupic|zamówić)"
    r"|gdzie (?:kupi|zamówi)|ile kosztuj|jaka (?:jest )?cena|cennik"
    r"|consigli|quale (?:scegliere|comprare|prendere)|cerco un|vorrei (?:comprare|acquistare|"
    r"ordinare|passare)|dove (?:posso )?(?:comprare|acquistare)|quanto costa|che prezzo",
    re.IGNORECASE,
)
_COMPLAINT = re.compile(
    r"not working|doesn'?t work|does not work|still waiting|never (?:arrived|received|came)"
    r"|refund|worst|terrible|awful|cancel+ed|delayed|broken|charged (?:me )?twice|no response"
    r"|disappointed|unacceptable|fix (?:this|it)|on hold|lost (?:my|our) (?:bag|luggage|order)"
    r"|nie działa|nie dziala|reklamacj|skandal|oszu|nadal czekam|wciąż czekam|ciągle czekam"
    r"|zwrot (?:pieniędzy|kasy)|nie dotar|nie doszł|nie przysz|opóźni|zepsu|najgorsz|beznadziej"
    r"|żenad|brak odpowiedzi|nikt nie odbiera|nie da się|rozczarow"
    r"|non funziona|reclamo|rimborso|ancora (?:aspetto|in attesa)|sto aspettando|mai arrivat"
    r"|vergogna|pessim|truffa|disservizio|in ritardo|nessuna risposta|rott[oa]|deluso|delusa",
    re.IGNORECASE,
)
_PRAISE = re.compile(
    r"thank|thx|love (?:it|you|this)|great|amazing|awesome|excellent|well done|kudos"
    r"|dzięk|dziek|super|świetn|swietn|polecam|brawo|rewelac|kocham"
    r"|grazie|complimenti|bravissim|ottim|fantastic|stupend|perfett",
    re.IGNORECASE,
)


class IntentCues:
    """Which phrase families a post contains."""

    __slots__ = ("complaint", "lead", "praise", "question")

    def __init__(self, question: bool, lead: bool, complaint: bool, praise: bool) -> None:
        self.question = question
        self.lead = lead
        self.complaint = complaint
        self.praise = praise


def cues(text: str) -> IntentCues:
    asks = "?" in text or bool(_QUESTION_START.search(text))
    return IntentCues(
        question=asks,
        lead=bool(_LEAD.search(text)),
        complaint=bool(_COMPLAINT.search(text)),
        praise=bool(_PRAISE.search(text)),
    )


def complaint_score(negative: float, cue: bool, model: float | None) -> float:
    """The model's complaint probability when it has one, nudged up by an explicit cue;
    otherwise negativity weighted by whether the post says what went wrong."""
    if model is not None:
        return max(model, 0.5 + 0.5 * negative) if cue else model
    return min(1.0, 0.6 * negative + (0.45 if cue else 0.0))


def decide_intent(found: IntentCues, negative: float, positive: float, complaint: float) -> Intent:
    """Purchase intent beats the rest (unless it is clearly a complaint), then complaint,
    question, praise."""
    if found.lead and complaint < 0.7:
        return Intent.LEAD
    if complaint >= 0.5:
        return Intent.COMPLAINT
    if found.question:
        return Intent.QUESTION
    if positive >= 0.8 or (found.praise and positive >= 0.4 and negative < 0.5):
        return Intent.PRAISE
    return Intent.OTHER
