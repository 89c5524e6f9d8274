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
from mentiondesk.triage.phrases import PhraseMatcher

__all__ = ["IntentCues", "cue_phrases", "cues", "decide_intent"]

_QUESTION_START = re.compile(
    r"^\W*(?:@\w+\s+)*(?:what|why|how|when|where|who|which|can you|could you|is there|are you"
    r"|do you|does|did|anyone|czy|jak|jaki|jaka|jakie|dlaczego|czemu|kiedy|gdzie|ile|który|która"
    r"|które|co\s|come|perché|perche|quando|dove|chi|quale|quali|quanto|quanti|cosa|che cosa"
    r"|potete|posso|si può|è possibile)\b",
)
_CUES = {
    "lead": (
        "recommend", "any suggestions", "which one should i", "looking for a ", "want to buy",
        "wanting to buy", "where can i buy", "where can i get", "where do i buy", "how much is",
        "how much does", "how much for", "thinking of buying", "thinking of switching",
        "thinking about switching", "interested in buying", "ready to buy", "ready to order",
        "polecicie", "polecacie", "polećcie", "polecisz", "co polecacie", "co byście wybrali",
        "co warto kupić", "co wybrać", "który wybrać", "którą wybrać", "szukam dobr",
        "chcę kupić", "chce kupić", "chciałbym kupić", "chciałabym kupić", "chcę zamówić",
        "gdzie kupi", "gdzie zamówi", "ile kosztuj", "jaka cena", "jaka jest cena", "cennik",
        "consigli", "quale scegliere", "quale comprare", "quale prendere", "cerco un",
        "vorrei comprare", "vorrei acquistare", "vorrei ordinare", "vorrei passare",
        "dove comprare", "dove posso comprare", "dove acquistare", "quanto costa", "che prezzo",
    ),
    "complaint": (
        "not working", "doesn't work", "doesnt work", "does not work", "still waiting",
        "never arrived", "never received", "never came", "refund", "worst", "terrible", "awful",
        "cancelled", "canceled", "delayed", "broken", "charged twice", "charged me twice",
        "no response", "disappointed", "unacceptable", "fix this", "fix it", "on hold",
        "lost my bag", "lost my luggage", "lost my order", "lost our", "missing bag",
        "missing luggage", "zgubi", "zgubion", "zaginął", "zaginion", "fataln", "wściek",
        "odwołan", "anulowan", "smarrit", "perso il", "persa la", "cancellat",
        "nie działa", "nie dziala", "reklamacj", "skandal", "oszu*", "nadal czekam",
        "wciąż czekam", "ciągle czekam", "zwrot pieniędzy", "zwrot kasy", "nie dotar",
        "nie doszł", "nie przysz", "opóźni", "zepsu", "najgorsz", "beznadziej", "żenad",
        "brak odpowiedzi", "nikt nie odbiera", "nie da się", "rozczarow",
        "non funziona", "reclamo", "rimborso", "ancora aspetto", "ancora in attesa",
        "sto aspettando", "mai arrivat", "vergogna", "pessim", "truffa", "disservizio",
        "in ritardo", "nessuna risposta", "^rotto", "^rotta", "deluso", "delusa",
    ),
    # Remarks about the company as an investment ("shares up again") are not about service.
    "market": (
        "shares up", "shares down", "share price", "stock price", "shareholder", "investors",
        "akcje", "kurs akcji", "notowania", "giełd", "gield", "akcjonariusz",
        "azioni", "in borsa", "titolo in", "azionisti",
    ),
    "praise": (
        "thank", "^thx", "love it", "love you", "love this", "great", "amazing", "awesome",
        "excellent", "well done", "kudos", "dzięk", "dziek", "super", "świetn", "swietn",
        "polecam", "brawo", "rewelac", "kocham", "grazie", "complimenti", "bravissim", "ottim*",
        "fantastic", "stupend", "perfett",
    ),
}  # fmt: skip
_MATCHER = PhraseMatcher(_CUES)


class IntentCues:
    """Which phrase families a post contains."""

    __slots__ = ("complaint", "lead", "market", "praise", "question")

    def __init__(
        self, question: bool, lead: bool, complaint: bool, praise: bool, market: bool = False
    ) -> None:
        self.question = question
        self.lead = lead
        self.complaint = complaint
        self.praise = praise
        self.market = market


def cues(lowered: str) -> IntentCues:
    """The cue families in a lower-cased post."""
    asks = "?" in lowered or bool(_QUESTION_START.match(lowered))
    found = _MATCHER.families(lowered)
    return IntentCues(
        asks, "lead" in found, "complaint" in found, "praise" in found, "market" in found
    )


def complaint_score(negative: float, cue: bool, model: float | None) -> float:
    """The model's complaint probability when it has one, nudged up by an explicit cue;
    otherwise negativity weighted by whether the post says what went wrong."""
    if model is not None:
        return max(model, 0.5 + 0.5 * negative) if cue else model
    return min(1.0, 0.55 * negative + (0.45 if cue else 0.0))


def decide_intent(found: IntentCues, negative: float, positive: float, complaint: float) -> Intent:
    """Purchase intent beats the rest (unless it is clearly a complaint), then complaint,
    question, praise; a market remark that says nothing went wrong is none of them."""
    if found.lead and complaint < 0.7:
        return Intent.LEAD
    if found.market and not found.complaint and not found.question:
        return Intent.OTHER  # a remark on the share price, however gloomy, is no complaint
    if complaint >= 0.5 or (found.complaint and positive < 0.5):
        return Intent.COMPLAINT  # saying what went wrong is a complaint unless clearly happy
    if found.question:
        return Intent.QUESTION
    if positive >= 0.8 or (found.praise and positive >= 0.4 and negative < 0.5):
        return Intent.PRAISE
    return Intent.OTHER


def cue_phrases(lowered: str) -> dict[str, list[str]]:
    """The phrases of each cue family found in a lower-cased post (for the case's "why")."""
    return _MATCHER.matches(lowered)
