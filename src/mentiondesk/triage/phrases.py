"""Phrase lists matched in one pass per post with an Aho-Corasick automaton.

Python's ``re`` tries every branch of a long alternation at every position, which cost tens of
microseconds a post for the cue lists; one automaton over all lists costs about one. An entry
ending in ``*`` matches as a word prefix (``kurw*``); entries marked ``^`` must start a word
and others may sit anywhere (``reklamacj`` matches ``reklamacja`` and ``reklamację``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import ahocorasick

__all__ = ["PhraseMatcher"]


class PhraseMatcher:
    """Finds which families of phrases occur in a lower-cased text."""

    def __init__(self, families: Mapping[str, Iterable[str]]) -> None:
        self._automaton: Any = ahocorasick.Automaton()
        entries: dict[str, list[tuple[str, bool, bool]]] = {}
        for family, phrases in families.items():
            for raw in phrases:
                prefix = raw.endswith("*")
                whole = raw.startswith("^")
                phrase = raw.strip("*^").lower()
                entries.setdefault(phrase, []).append((family, whole or prefix, whole))
        for phrase, meta in entries.items():
            self._automaton.add_word(phrase, (len(phrase), tuple(meta)))
        self._automaton.make_automaton()

    def families(self, lowered: str) -> set[str]:
        found: set[str] = set()
        for end, (length, meta) in self._automaton.iter(lowered):
            start = end - length + 1
            for family, word_start, word_end in meta:
                if family in found:
                    continue
                if word_start and start > 0 and lowered[start - 1].isalnum():
                    continue
                if word_end and end + 1 < len(lowered) and lowered[end + 1].isalnum():
                    continue
                found.add(family)
        return found

    def matches(self, lowered: str) -> dict[str, list[str]]:
        """Each family's matched phrases as they occur in ``lowered``: to say why a rule fired."""
        found: dict[str, list[str]] = {}
        for end, (length, meta) in self._automaton.iter(lowered):
            start = end - length + 1
            for family, word_start, word_end in meta:
                if word_start and start > 0 and lowered[start - 1].isalnum():
                    continue
                if word_end and end + 1 < len(lowered) and lowered[end + 1].isalnum():
                    continue
                stop = end + 1
                while stop < len(lowered) and lowered[stop].isalnum():
                    stop += 1  # a stem ("dzięk") is shown as the word it matched ("dziękuję")
                phrase = lowered[start:stop]
                if phrase not in found.setdefault(family, []):
                    found[family].append(phrase)
        return found
