"""Is this post somebody asking which product or service to pick? (PL, IT, EN)

People asking for a recommendation in the brand's category are the opportunity a desk most
often misses: nobody tagged the brand, nobody complained. The posts a workspace listens to
are already in its category (its listening profile matched them), so the question left is
only "is this a request for advice". Patterns on folded text, per language, written for
requests ("polećcie", "mi consigliate", "can anyone recommend") and not for statements
("polecam", "consiglio a tutti", "I recommend"), nor for a customer asking the brand itself
what to do ("any suggestions?", "what do you suggest?" under a cancelled flight); see
docs/data/recommendation-requests.md for their precision and recall.
"""

from __future__ import annotations

import re
from functools import cache

from mentiondesk.listening.normalise import normalise

__all__ = ["asks_for_recommendation"]

_PATTERNS: dict[str, tuple[str, ...]] = {
    "pl": (
        r"\bpolec(cie|acie|icie|isz|i ktos|ilby ktos|ilbys|enia)\b",
        r"\bktos (cos )?(poleci|polecal|moze polecic)\b",
        r"\b(co|kogo|ktory|ktora|ktore|jaki|jaka|jakie|gdzie) (byscie |wy )?"
        r"(polecacie|polecicie)\b",
        r"\bszukam (dobr\w+|jakiegos|jakiejs|czegos|polecen\w*|sprawdzon\w+|taniego|taniej)\b",
        r"\bczy warto (kupic|brac|wziac|wybrac|zamowic|isc)\b",
        r"\b(co|ktory|ktora|ktore|jaki|jaka|jakie) (\w+ )?(lepiej )?(wybrac|kupic|wziac)\b",
        r"\b(doradzcie|doradzi ktos|pomozcie wybrac|macie jakies polecenia)\b",
        r"\bco (myslicie|sadzicie) o\b.*\?",
    ),
    "it": (
        r"\b(mi )?consigl(iate|iatemi|iereste|i per|io per|i su)\b",
        r"\bqualcuno (mi )?(sa )?(consiglia|consigliare|puo consigliar\w*|ha consigli)\b",
        r"\b(cosa|quale|quali|che) (mi )?(consigliate|suggerite|prendereste|comprereste)\b",
        r"\bcerco (un|una|uno|dei|delle|degli|qualche) (buon\w*|brav\w*|valid\w*|consigl\w*)",
        r"\bvale la pena (comprar\w*|prender\w*|sceglier\w*|provar\w*)\b",
        r"\b(suggerimenti|raccomandazioni) (per|su)\b",
        r"\bmeglio \w+ o \w+.*\?",
        r"\b(quale|che cosa|cosa) (scegliere|comprare|prendere)\b",
    ),
    "en": (
        r"\bany (recommendations|recs)\b",
        r"\b(can|could) (anyone|someone|somebody|you|y ?all) (recommend|suggest)\b",
        r"\b(what|which|who) (\w+ ){1,4}(would|do|should|did) (you|i|y ?all) "
        r"(recommend|suggest|buy|get|choose|pick|go with|use)\b",
        r"\blooking for (a |an |some )?(good|decent|reliable|great|cheap|solid|recommended)\b",
        r"\b(suggestions|recommendations|recs) (for|on)\b",
        r"\bis (\w+ ){0,4}worth (it|buying|getting|the money)\b",
        r"\bwhich (one )?is better\b",
        r"\brecommend me\b",
        r"\b(thinking of|considering) (switching|getting|buying)\b.*\?",
    ),
}


@cache
def _compiled(language: str | None) -> re.Pattern[str]:
    languages = [language] if language in _PATTERNS else list(_PATTERNS)
    if language in ("pl", "it"):
        languages.append("en")  # English requests turn up in every language's stream
    return re.compile("|".join(p for lang in languages for p in _PATTERNS[lang]))


def asks_for_recommendation(text: str, language: str | None = None) -> bool:
    """Whether ``text`` asks others which product, shop or service to choose."""
    return _compiled(language).search(normalise(text).text) is not None
