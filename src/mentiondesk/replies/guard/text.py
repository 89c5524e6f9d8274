"""Small text helpers shared by the checks: accent folding and sentence spans."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "sentences"]

_EXTRA_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "ß": "ss", "đ": "d"})
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


@lru_cache(maxsize=65536)
def _fold_cached(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """Lower case without diacritics, for comparing names typed with or without Polish or
    Italian accents ("Łukasz" ~ "lukasz")."""
    return _fold_cached(text) if len(text) < 64 else _fold_cached.__wrapped__(text)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty sentence or line of ``text``."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans
