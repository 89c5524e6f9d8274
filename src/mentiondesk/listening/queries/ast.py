"""The parsed form of a Boolean listening query.

Words and phrases are stored folded (lowercase, no diacritics), the way post text is
folded before it is searched. ``position`` is the 0-based offset in the query text, kept so
that validation can point at the part it rejects.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # folded; may hold the wildcards * and ?
    position: int

    @property
    def is_pattern(self) -> bool:
        return "*" in self.text or "?" in self.text


@dataclass(frozen=True, slots=True)
class Phrase:
    words: tuple[str, ...]
    position: int


@dataclass(frozen=True, slots=True)
class Near:
    left: Node
    right: Node
    distance: int  # at most this many words between the two sides
    position: int


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node
    position: int


@dataclass(frozen=True, slots=True)
class Filter:
    field: str  # lang, platform, country, author, followers
    op: str  # "=" for all fields; followers also takes > >= < <=
    value: str
    position: int


Node = Word | Phrase | Near | And | Or | Not | Filter
