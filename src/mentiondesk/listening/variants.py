"""Derive the spellings of a brand name that people write but nobody types into a profile.

Everything here works on folded text (see ``normalise``): "Biedronkę" is "biedronke".
Polish declines brand names like any noun ("w Biedronce", "z Playem", "Allegrze"); Italian
elides articles and prepositions ("all'Esselunga"), which folding and word boundaries already
handle, so Italian needs only an explanation, not extra forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import combinations

# Locative/dative stem alternations: final consonant(s) -> what precedes the -e ending.
_SOFTENING = (
    ("st", "scie"), ("zd", "zdzie"), ("sl", "sle"), ("ch", "sze"),
    ("k", "ce"), ("g", "dze"), ("r", "rze"), ("t", "cie"), ("d", "dzie"), ("s", "sie"),
    ("z", "zie"), ("n", "nie"), ("m", "mie"), ("p", "pie"), ("b", "bie"), ("f", "fie"),
    ("w", "wie"), ("l", "le"),
)  # fmt: skip
_VOWELS = frozenset("aeiouy")
_MASCULINE_ENDINGS = ("a", "u", "owi", "em", "y", "i", "ow", "om", "ami", "ach")
_FEMININE_ENDINGS = ("y", "i", "e", "o", "om", "ami", "ach")
_NEUTER_ENDINGS = ("a", "u", "em", "om", "ami", "ach")
_FOREIGN_ENDINGS = ("a", "u", "owi", "m")

# Stem rules, longest ending first: ending -> what it stands for at the end of the stem.
STEM_RULES = (
    ("dzie", "d"), ("scie", "st"), ("owi", ""), ("ami", ""), ("ach", ""), ("iem", ""),
    ("cie", "t"), ("dze", "g"), ("rze", "r"), ("sie", "s"), ("zie", "z"), ("nie", "n"),
    ("mie", "m"), ("pie", "p"), ("bie", "b"), ("wie", "w"), ("fie", "f"),
    ("em", ""), ("om", ""), ("ow", ""), ("ce", "k"), ("ie", ""),
    ("a", ""), ("e", ""), ("i", ""), ("o", ""), ("u", ""), ("y", ""),
)  # fmt: skip
MIN_STEM = 3

ITALIAN_ELISIONS = (
    "l", "all", "dell", "nell", "dall", "sull", "coll", "un", "dell", "quell", "quest", "d",
)  # fmt: skip
_ELISION_BEFORE = re.compile(r"(?:^|[^a-z])(" + "|".join(ITALIAN_ELISIONS) + r")'$")


def _soften(stem: str) -> str | None:
    for ending, softened in _SOFTENING:
        if stem.endswith(ending):
            return stem[: -len(ending)] + softened
    return None


def _word_forms(word: str) -> Iterator[tuple[str, str]]:
    """(form, grammatical description) for one folded Polish-declinable word."""
    if len(word) < 3 or not word.isalpha():
        return
    last = word[-1]
    if last == "a":
        stem = word[:-1]
        velar = stem.endswith(("k", "g"))
        for ending in _FEMININE_ENDINGS:
            if not (velar and ending == "y"):
                yield stem + ending, "declined"
        locative = _soften(stem)
        yield (locative or stem + "y"), "locative"
        if len(stem) > 2 and stem[-1] == "k" and stem[-2] not in _VOWELS:
            yield stem[:-1] + "ek", "genitive plural"
    elif last == "o" and word[-2] not in _VOWELS:
        stem = word[:-1]
        for ending in _NEUTER_ENDINGS:
            yield stem + ending, "declined"
        locative = _soften(stem)
        if locative:
            yield locative, "locative"
    elif last == "e":
        for ending in _FOREIGN_ENDINGS:
            yield word + ending, "declined"
    elif last not in _VOWELS or word.endswith(("ay", "ey", "oy")):
        velar = last in ("k", "g")
        for ending in _MASCULINE_ENDINGS:
            if ending == "y" and (velar or last == "y"):
                continue
            yield word + ending, "declined"
        if velar:
            yield word + "iem", "instrumental"
        locative = _soften(word)
        if locative and last not in ("k", "g", "l", "y", "j", "c"):
            yield locative, "locative"


def polish_forms(folded_name: str) -> dict[str, str]:
    """Declined forms of a folded name -> description. Only the last word declines:
    "media markt" gives "media markcie"; the name itself is not included."""
    words = folded_name.split(" ")
    head, last = words[:-1], words[-1]
    forms: dict[str, str] = {}
    for form, description in _word_forms(last):
        full = " ".join([*head, form])
        if full != folded_name:
            forms.setdefault(full, description)
    return forms


def joined_forms(folded_name: str, written: str = "") -> set[str]:
    """A multi-word name glued or hyphenated ("media markt" -> "mediamarkt"), and a
    camel-case name split apart ("JetBlue" -> "jet blue"); ``written`` is the name as typed."""
    words = folded_name.split(" ")
    if len(words) == 1:
        pieces = [p.lower() for p in re.findall(r"[A-Z][a-z]+|[a-z]+|[A-Z]+(?![a-z])", written)]
        if len(pieces) < 2 or "".join(pieces) != folded_name:
            return set()
        words = pieces
    return {sep.join(words) for sep in ("", " ", "-", "_", ".")} - {folded_name}


# The stem rules grouped by their last letter, order kept, so a word is tried only against
# the few endings it can have: this runs once for every new word of the stream.
_RULES_BY_LAST: dict[str, tuple[tuple[str, str], ...]] = {}
for _ending, _restored in STEM_RULES:
    _RULES_BY_LAST[_ending[-1]] = (*_RULES_BY_LAST.get(_ending[-1], ()), (_ending, _restored))


def polish_stem(word: str) -> str:
    """Strip one Polish case ending, undoing its stem alternation: "biedronce" -> "biedronk".
    Applied alike to names and to post words, so equal stems mean two forms of one word."""
    for ending, restored in _RULES_BY_LAST.get(word[-1:], ()):
        if word.endswith(ending) and len(word) - len(ending) + len(restored) >= MIN_STEM:
            return word[: -len(ending)] + restored
    return word


def edit_budget(length: int) -> int:
    """How many edits still read as the same name: none below 5 letters ("Lidl" vs "lid"),
    one up to 8, two from 9 ("Biedronka")."""
    if length < 5:
        return 0
    return 1 if length < 9 else 2


def italian_elision_before(folded_text: str, start: int) -> str | None:
    """The elided article or preposition right before ``start`` ("all'"), if any."""
    window = folded_text[max(0, start - 8) : start]
    found = _ELISION_BEFORE.search(window)
    return found.group(1) + "'" if found else None


def deletions(word: str, depth: int) -> set[str]:
    """Every string made by deleting up to ``depth`` characters (the word included).

    Keeping ``len(word) - d`` characters in order is deleting ``d``: ``combinations`` and
    ``str.join`` enumerate them in C, several times faster than slicing in a comprehension,
    and this runs for every word of the stream not seen before."""
    found = {word}
    for kept in range(len(word) - 1, max(len(word) - depth, 0) - 1, -1):
        found.update(map("".join, combinations(word, kept)))
    return found
