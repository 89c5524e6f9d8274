"""Everyday words that must never be read as a misspelt brand ("unite" is not "United").

The list ships with the package (``common_words.json``, built by
``benchmarks/build_listening_lexicon.py``) and is read on first use, not at import.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def _words_by_language() -> dict[str, frozenset[str]]:
    raw = resources.files("mentiondesk.listening").joinpath("common_words.json").read_text()
    data = json.loads(raw)
    return {lang: frozenset(words) for lang, words in data["words"].items()}


@cache
def common_words(languages: tuple[str, ...]) -> frozenset[str]:
    """Folded everyday words of ``languages``; English is always included because brand
    conversations everywhere borrow it."""
    table = _words_by_language()
    merged: set[str] = set(table.get("en", ()))
    for lang in languages:
        merged |= table.get(lang, frozenset())
    return frozenset(merged)
