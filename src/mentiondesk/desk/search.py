"""Inbox search: what an agent types, turned into patterns over a case's folded search text.

A case is found by its opening post, its author's handle and name, and the tags put on its
posts (added to the text as they are put on).

Text is folded as the listening matcher folds posts (lower case, no diacritics), so "opoznienie"
finds "opóźnienie". A plain word also finds its inflected forms: Polish case endings are
stripped with the matcher's own stemmer ("opóźnienia", "opóźnieniem") and an Italian final
vowel is dropped ("ritardo" finds "ritardi"). A phrase in double quotes is matched as written
(folded), with no inflection.
"""

from __future__ import annotations

import re

from mentiondesk.listening.normalise import fold_term
from mentiondesk.listening.variants import MIN_STEM, polish_stem
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["add_tag_to_search", "search_patterns", "search_text"]

_QUOTED = re.compile(r'"([^"]+)"')
_ITALIAN_VOWELS = ("a", "e", "i", "o")
MAX_TERMS = 8


def search_text(summary: str, handle: str, name: str) -> str:
    """What a case is found by: its opening post and who wrote it."""
    return fold_term(f"{summary} {handle} {name}")


def add_tag_to_search(uow: UnitOfWork, workspace_id: int, case_id: int | None, tag: str) -> None:
    """Make the case findable by a tag put on one of its posts (once per tag)."""
    if case_id is None:
        return
    text = uow.cases.search_text(workspace_id, case_id) or ""
    folded = fold_term(tag)
    if folded and folded not in text.split():
        uow.cases.set_search_text(workspace_id, case_id, f"{text} {folded}".strip())


def _inflected(word: str) -> str:
    """The shortest stem of the word's Polish or Italian forms (never below three letters)."""
    stems = [word, polish_stem(word)]
    if len(word) > 4 and word.endswith(_ITALIAN_VOWELS):
        stems.append(word[:-1])
    return min((s for s in stems if len(s) >= MIN_STEM), key=len, default=word)


def search_patterns(query: str) -> tuple[str, ...]:
    """Substrings every matching case's search text contains (all of them), folded."""
    phrases = [fold_term(p) for p in _QUOTED.findall(query)]
    rest = _QUOTED.sub(" ", query)
    words = [w.strip(".,;:!?()[]'@") for w in fold_term(rest).split()]
    patterns = [p for p in phrases if p]
    patterns += [_inflected(w) for w in words if w]
    return tuple(dict.fromkeys(patterns))[:MAX_TERMS]
