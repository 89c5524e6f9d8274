"""Small text helpers shared by the checks: accent folding and sentence spans."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

__all__ = ["fold", "sentences"]

_EXTRA_FOLD = {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "đ": "d", "Đ": "D"}
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on first sight of each character, so folding a long
    reply runs in C after the first few calls."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in _EXTRA_FOLD:
            folded = _EXTRA_FOLD[char]
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c))
        self[code] = folded
        return folded


@cache
def _table() -> _FoldTable:
    return _FoldTable()


def fold(text: str) -> str:
    """Lower case without diacritics, for comparing names typed with or without Polish or
    Italian accents ("Łukasz" ~ "lukasz")."""
    if text.isascii():
        return text.casefold()
    return text.translate(_table()).casefold()


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
