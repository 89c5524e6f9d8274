"""Turn a brand profile into the table of folded forms a matcher searches for.

Each form carries what it stands for (which profile term, in which role) and how it was
derived, so a match can later explain itself to the agent reading the inbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import ahocorasick

from mentiondesk.domain.profiles import BrandProfile
from mentiondesk.listening.normalise import fold_term
from mentiondesk.listening.variants import joined_forms, polish_forms


class Role(Enum):
    NAME = "name"
    PRODUCT = "product"
    HANDLE = "handle"
    HASHTAG = "hashtag"
    COMPETITOR = "competitor"
    CONTEXT = "context"
    EXCLUDE = "exclude"


@dataclass(frozen=True, slots=True)
class Term:
    """One profile entry as written, e.g. ``Biedronka`` (name) or ``@ocado`` (handle)."""

    id: int
    text: str
    role: Role
    folded: str
    common: bool = False


@dataclass(frozen=True, slots=True)
class Form:
    """A folded string that stands for ``term``; ``derivation`` is "" for the term itself."""

    term: Term
    length: int
    derivation: str = ""


@dataclass(frozen=True, slots=True)
class TermTable:
    terms: tuple[Term, ...]
    automaton: ahocorasick.Automaton
    exact_words: frozenset[str]  # every single-word folded form, so fuzzy skips them
    fuzzy_terms: tuple[tuple[str, int], ...]  # (compact folded key, term id)


def _entries(profile: BrandProfile) -> list[tuple[str, Role]]:
    entries: list[tuple[str, Role]] = [(n, Role.NAME) for n in (*profile.names, *profile.aliases)]
    entries += [(p, Role.PRODUCT) for p in profile.products]
    entries += [("@" + h, Role.HANDLE) for h in profile.all_handles]
    entries += [("#" + h.lstrip("#"), Role.HASHTAG) for h in profile.hashtags]
    entries += [(c, Role.COMPETITOR) for c in profile.competitors]
    entries += [(c, Role.CONTEXT) for c in profile.context_terms]
    entries += [(e, Role.EXCLUDE) for e in profile.exclude_terms]
    return [(text.strip(), role) for text, role in entries if text.strip().lstrip("@#")]


def build_terms(profile: BrandProfile) -> TermTable:
    """Fold every profile entry, derive its variants and index them in one automaton."""
    polish = "pl" in profile.languages
    forms: dict[str, list[Form]] = {}
    terms: list[Term] = []
    fuzzy_terms: list[tuple[str, int]] = []

    def add(key: str, form: Form) -> None:
        bucket = forms.setdefault(key, [])
        if all(f.term.id != form.term.id for f in bucket):
            bucket.append(form)

    for text, role in _entries(profile):
        folded = fold_term(text)
        term = Term(len(terms), text, role, folded, profile.is_common_word(text))
        terms.append(term)
        add(folded, Form(term, len(folded)))
        if role in (Role.HANDLE, Role.HASHTAG, Role.CONTEXT, Role.EXCLUDE):
            continue
        for joined in joined_forms(folded, text):
            how = "written as one word" if " " in folded else "written as separate words"
            add(joined, Form(term, len(joined), how))
        if polish:
            for inflected, description in polish_forms(folded).items():
                add(inflected, Form(term, len(inflected), f"inflected Polish form ({description})"))
        if profile.fuzzy:
            fuzzy_terms.append((folded.replace(" ", ""), term.id))

    automaton = ahocorasick.Automaton()
    for key, bucket in forms.items():
        automaton.add_word(key, tuple(bucket))
    if forms:
        automaton.make_automaton()
    exact_words = frozenset(k for k in forms if k.isalnum())
    return TermTable(tuple(terms), automaton, exact_words, tuple(fuzzy_terms))
