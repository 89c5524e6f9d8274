"""Per-language phrase lists (``phrases_<lang>.json``) compiled into one regex per check.

The lists are data so that a linguist can extend them without reading the checks. Every list
of every language is applied to every reply: replies are short, agents mix languages, and a
post's language label is sometimes wrong; the phrases are distinct enough across pl/it/en.
Patterns compile on first use and are cached, so importing the guard costs nothing.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from mentiondesk.replies.guard.text import fold

__all__ = [
    "LANGUAGES",
    "accent_tolerant",
    "nicknames",
    "phrase_pattern",
    "phrase_spans",
    "redirect_patterns",
    "words",
]

LANGUAGES: tuple[str, ...] = ("en", "pl", "it")


@cache
def _data(language: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath(f"phrases_{language}.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def accent_tolerant(pattern: str) -> str:
    """``pattern`` with each accented letter also matching its plain form ("ą" -> "[ąa]"):
    agents often type Polish and Italian without diacritics ("przepraszamy za opoznienie")."""
    out: list[str] = []
    in_class = escaped = False
    for char in pattern:
        plain = fold(char) if not char.isascii() and char.isalpha() else char
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif len(plain) != 1 or plain == char:
            out.append(char)
            if char == "[" and not in_class:
                in_class = True
            elif char == "]" and in_class:
                in_class = False
        else:
            out.append(char + plain if in_class else f"[{char}{plain}]")
    return "".join(out)


def _compile(patterns: list[str], accents: bool = True) -> re.Pattern[str]:
    # Longest first, so alternation prefers the fullest phrase at a position.
    ordered = sorted(set(patterns), key=len, reverse=True)
    if accents:
        ordered = [accent_tolerant(p) for p in ordered]
    return re.compile(r"(?<!\w)(?:" + "|".join(ordered) + r")(?!\w)", re.IGNORECASE)


@cache
def phrase_pattern(group: str) -> re.Pattern[str]:
    """One regex matching any phrase of ``group`` (e.g. "blame") in any language. Accented
    letters also match their plain forms, except in ``step_verbs``: word endings such as
    "-łem" or "-erà" tell a verb only with their accent ("problem", "sera")."""
    patterns: list[str] = []
    for language in LANGUAGES:
        patterns.extend(_data(language).get(group, []))
    return _compile(patterns, accents=group != "step_verbs")


@lru_cache(maxsize=256)
def phrase_spans(group: str, text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each phrase of ``group`` in ``text``. Several checks read the same
    groups of the same reply (apologies, boilerplate); the cache runs each regex once."""
    return tuple(m.span() for m in phrase_pattern(group).finditer(text))


@cache
def redirect_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(kind, regex) for each redirect kind that has phrases (``url`` is matched separately)."""
    kinds: dict[str, list[str]] = {}
    for language in LANGUAGES:
        for kind, patterns in _data(language).get("redirect", {}).items():
            kinds.setdefault(kind, []).extend(patterns)
    return tuple((kind, _compile(patterns)) for kind, patterns in kinds.items())


@cache
def words(group: str) -> tuple[str, ...]:
    """A plain list (greetings, honorifics, not_names) across languages, as regex sources."""
    out: list[str] = []
    for language in LANGUAGES:
        out.extend(_data(language).get(group, []))
    return tuple(dict.fromkeys(out))


@cache
def nicknames() -> dict[str, frozenset[str]]:
    """Lower-case first name -> the names it may be shortened to or stands for, both ways
    ("thomas" -> tom, tommy; "tom" -> thomas, tommaso)."""
    pairs: dict[str, set[str]] = {}
    for language in LANGUAGES:
        for full, shorts in _data(language).get("nicknames", {}).items():
            pairs.setdefault(full, set()).update(shorts)
            for short in shorts:
                pairs.setdefault(short, set()).add(full)
    return {name: frozenset(forms) for name, forms in pairs.items()}
