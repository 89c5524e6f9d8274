"""Find the profile term a misspelt word stands for in a few dictionary look-ups.

Comparing every word of every post with thousands of terms is what makes naive fuzzy
matching slow. Instead every term is stored under each string reachable by deleting up to
its edit budget of letters; a word then looks up its own deletions, and only the few terms
sharing one are confirmed with a bounded optimal-string-alignment distance, which counts a
transposition ("Ocdao") as one edit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz.distance import OSA

from mentiondesk.listening.variants import (
    MIN_STEM,
    STEM_RULES,
    deletions,
    edit_budget,
    polish_stem,
)

# Every indexed string (a key less up to its budget of letters) has at least this many
# letters: keys allowing an edit have five or more, and lose at most one per edit allowed.
_GRAM = 4


@dataclass(frozen=True, slots=True)
class FuzzyKey:
    key: str  # folded, spaces removed; a Polish stem when ``stem`` is set
    term_id: int
    stem: bool
    budget: int


@dataclass(frozen=True, slots=True)
class FuzzyHit:
    word: str  # as found in the post (folded)
    compared: str  # the word, or its stem, as compared with ``key``
    key: FuzzyKey
    distance: int


class FuzzyIndex:
    """A deletion-neighbourhood index of folded terms (and their Polish stems)."""

    def __init__(self, terms: Iterable[tuple[str, int]], *, stems: bool) -> None:
        self.stems = stems
        self._buckets: dict[str, list[FuzzyKey]] = {}
        self.max_budget = 0
        # Per kind of key (full form, stem): for each deletion depth, the shortest word
        # that can need it, and the longest word any key can reach (see ``_depth``).
        self._from: dict[bool, list[int]] = {False: [], True: []}
        self._longest = {False: -1, True: -1}
        for key, term_id in terms:
            self._add(FuzzyKey(key, term_id, False, edit_budget(len(key))))
            if stems:
                stem = polish_stem(key)
                self._add(FuzzyKey(stem, term_id, True, edit_budget(len(stem))))
        # Intersecting a word's deletions with these sets is one C-level pass; most words
        # share no deletion with any term and never reach a Python loop. One set per kind
        # of key: a word's full form is compared only with full keys and its stem only with
        # stems, so "jetbu" (a deletion of the stem "jetblu") is no match for the full form.
        self._keys = {
            stem: frozenset(d for d, es in self._buckets.items() if any(e.stem is stem for e in es))
            for stem in (False, True)
        }
        # The first and last letters of every indexed string, by kind of key: a cheap test
        # that rules out most words before their deletions are built (see ``_may_reach``).
        self._heads = {stem: {d[:_GRAM] for d in keys} for stem, keys in self._keys.items()}
        self._tails = {stem: {d[-_GRAM:] for d in keys} for stem, keys in self._keys.items()}
        self._depths = {stem: _depth_table(self._from[stem]) for stem in (False, True)}

    def __len__(self) -> int:
        return len(self._buckets)

    def _add(self, entry: FuzzyKey) -> None:
        if entry.budget == 0:
            return
        if len(entry.key) - entry.budget < _GRAM:
            raise ValueError(f"fuzzy key {entry.key!r} is too short for its edit budget")
        self.max_budget = max(self.max_budget, entry.budget)
        length, thresholds = len(entry.key), self._from[entry.stem]
        self._longest[entry.stem] = max(self._longest[entry.stem], length + entry.budget)
        # A word within ``budget`` of the key shares with it a string of at least
        # ``length - budget`` letters, reached by deleting ``depth <= budget`` of its own.
        for depth in range(entry.budget + 1):
            shortest = length - entry.budget + depth
            if depth == len(thresholds):
                thresholds.append(shortest)
            thresholds[depth] = min(thresholds[depth], shortest)
        for deleted in deletions(entry.key, entry.budget):
            self._buckets.setdefault(deleted, []).append(entry)

    def lookup(self, word: str) -> list[FuzzyHit]:
        """Terms within their edit budget of ``word`` or, for Polish, of its stem; the
        closest first. An exact equality of full forms is not a fuzzy hit."""
        found: dict[tuple[int, bool], FuzzyHit] = {}
        self._probe(word, word, False, found)
        if self.stems:
            stem = polish_stem(word)
            if stem != word or not found:
                self._probe(word, stem, True, found)
        hits = [
            h
            for h in found.values()
            if not (h.distance == 0 and not h.key.stem) and not _another_word(h)
        ]
        hits.sort(key=lambda h: (h.distance, h.key.stem, h.key.term_id))
        return hits

    def _probe(
        self, word: str, compared: str, stem: bool, found: dict[tuple[int, bool], FuzzyHit]
    ) -> None:
        depth = self._depth(compared, stem)
        if depth < 0:
            return
        buckets = self._buckets
        for deleted in deletions(compared, depth) & self._keys[stem]:
            for entry in buckets[deleted]:
                if entry.stem is not stem or abs(len(entry.key) - len(compared)) > entry.budget:
                    continue
                distance = OSA.distance(compared, entry.key, score_cutoff=entry.budget)
                if distance > entry.budget:
                    continue
                slot = (entry.term_id, stem)
                best = found.get(slot)
                if best is None or distance < best.distance:
                    found[slot] = FuzzyHit(word, compared, entry, distance)

    def _depth(self, compared: str, stem: bool) -> int:
        """How many letters to delete from ``compared`` when probing; -1: no key of this
        kind can be within reach, so there is nothing to probe."""
        length = len(compared)
        if length > self._longest[stem]:
            return -1  # beyond every key's reach (URL fragments, long hashtags)
        depths = self._depths[stem]
        depth = depths[length] if length < len(depths) else depths[-1]
        return depth if depth >= 0 and self._may_reach(compared, stem, depth) else -1

    def may_match(self, word: str) -> bool:
        """Whether ``lookup`` could find a term for ``word``: some deletion of it is indexed
        for a full key, or some deletion of its Polish stem for a stem. No distance is
        computed, so this is the cheap first test. ``_may_reach`` only saves work here: it
        never turns away a word with such a deletion, so the answer is the definition's."""
        for compared, stem in ((word, False), (polish_stem(word), True)):
            if stem and not self.stems:
                break
            depth = self._depth(compared, stem)
            if depth >= 0 and not self._keys[stem].isdisjoint(deletions(compared, depth)):
                return True
        return False

    def scan_spec(self) -> dict[str, object]:
        """What the compiled word scanner needs to answer ``may_match`` on its own."""
        return {
            "full_deletions": self._keys[False],
            "stem_deletions": self._keys[True] if self.stems else frozenset(),
            "full_depths": self._depths[False],
            "longest_full": self._longest[False],
            "stem_depths": self._depths[True] if self.stems else [],
            "longest_stem": self._longest[True],
            "stem_rules": STEM_RULES,
            "min_stem": MIN_STEM,
        }

    def _may_reach(self, compared: str, stem: bool, depth: int) -> bool:
        """False when no string indexed for this kind of key can be a deletion of
        ``compared``: such a string keeps ``_GRAM`` letters or more, so its first four are
        four of the word's first ``_GRAM + depth``, in order, and likewise at the end.
        Checking the few ways to pick them is a tenth of the cost of building every
        deletion, and rules out most words."""
        if self._heads[stem].isdisjoint(
            map("".join, combinations(compared[: _GRAM + depth], _GRAM))
        ):
            return False
        ends = compared[-_GRAM - depth :]
        return not self._tails[stem].isdisjoint(map("".join, combinations(ends, _GRAM)))


def _depth_table(thresholds: list[int]) -> list[int]:
    """Deletion depth to probe, by word length: the deepest depth some key can need from a
    word that long (-1: none). A 7-letter word needs no 2-letter deletions when only keys of
    9 letters or more allow two edits, which saves most of its deletions."""
    if not thresholds:
        return [-1]
    table = [-1] * (max(thresholds) + 1)
    for length in range(len(table)):
        table[length] = max((d for d, t in enumerate(thresholds) if length >= t), default=-1)
    return table


def _another_word(hit: FuzzyHit) -> bool:
    """The term with letters added at its end ("Iliade", "fastwebs") is usually another word
    or a foreign inflection, not a typo; a doubled last letter ("Ocadoo") is a typo."""
    key, compared = hit.key.key, hit.compared
    if hit.key.stem or len(compared) <= len(key) or not compared.startswith(key):
        return False
    return compared[len(key) :] != key[-1] * (len(compared) - len(key))


def describe_edit(written: str, term: str, distance: int) -> str:
    """Say in words how ``written`` differs from ``term`` (both folded)."""
    if distance == 1:
        if len(written) == len(term):
            for i in range(len(term) - 1):
                swapped = term[:i] + term[i + 1] + term[i] + term[i + 2 :]
                if swapped == written:
                    return "1 transposition"
            return "1 wrong letter"
        if len(written) == len(term) + 1:
            for i in range(1, len(written)):
                if written[i] == written[i - 1] and written[:i] + written[i + 1 :] == term:
                    return "1 doubled letter"
            return "1 extra letter"
        return "1 missing letter"
    return f"{distance} edits"


class HitCache:
    """The fuzzy index's answer per word, in two generations, so memory stays bounded without
    the per-access bookkeeping of an exact LRU: when the young generation is full it becomes
    the old one and the previous old one is dropped; a word found in the old generation is
    promoted, so words still in use survive. Only words the scanner could not settle on its
    own reach this cache, so it holds few words with no hits."""

    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit
        self._young: dict[str, tuple[FuzzyHit, ...]] = {}
        self._old: dict[str, tuple[FuzzyHit, ...]] = {}

    def __len__(self) -> int:
        return len(self._young) + len(self._old)

    def get(self, word: str) -> tuple[FuzzyHit, ...] | None:
        """The remembered hits of ``word`` (possibly none), or ``None`` when never looked up."""
        found = self._young.get(word)
        if found is None:
            found = self._old.get(word)
            if found is not None:
                self.put(word, found)
        return found

    def put(self, word: str, hits: tuple[FuzzyHit, ...]) -> None:
        if len(self._young) >= self.limit:
            self._old, self._young = self._young, {}
        self._young[word] = hits
