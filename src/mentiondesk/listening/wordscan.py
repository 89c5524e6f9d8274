"""Decide which words of a post the fuzzy index must see, as fast as the machine allows.

Nearly every word of a stream is a word seen before and near no brand term; what matching
costs is mostly saying so, word after word. The compiled ``WordScanner`` (``_compiled.c``)
hashes each word where it stands in the text, settles it with a table look-up and probes a
new word's deletions without building them. ``PyWordScanner`` gives the same answers in
Python, for an installation made without a C compiler; the tests hold the two to that.

Both report every word the fuzzy index could match (and words marked to report, such as the
words of multi-word names), so the matcher's results do not depend on which one runs.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from itertools import pairwise
from typing import Protocol

from mentiondesk.listening.fuzzy import FuzzyIndex
from mentiondesk.listening.normalise import lower_camel_pieces

try:
    from mentiondesk.listening._compiled import WordScanner
except ImportError:  # built without a C compiler: the Python scanner below takes over
    WordScanner = None  # type: ignore[assignment,misc]

COMPILED = WordScanner is not None
MIN_LEN = 4  # shorter words have no edit budget against any key
MAX_LEN = 40  # longer runs are URL fragments and hashtag soup, never a misspelt name
MAX_PROBES = 512  # new words probed per post: a hostile post cannot stall the matcher
MEMO_LIMIT = 200_000  # settled words remembered before the memo starts over
MAX_RUN = 64  # letters of a camel-case run read (the compiled scanner's word buffer)

_WORD_RUN = re.compile(r"[^\W_]+")
_ASCII_RUN = re.compile(r"[A-Za-z]+")
_CAMEL_CHANGE = re.compile(r"[a-z][A-Z]")

Window = tuple[str, str, str]  # two neighbouring post words glued, and the two words


class Scanner(Protocol):
    def scan(self, text: str, original: str) -> tuple[list[str], list[Window]]:
        """The words of folded ``text`` the fuzzy index must see: words that may be near a
        term, words marked to report, and the lowercased camel-case pieces of ``original``
        (the text as written) that may be. Then the windows: two neighbouring words, one
        of them marked, glued ("jetblu"), where the glued form may be near a term."""
        ...

    def remember(self, word: str, report: bool) -> None:
        """Record the index's verdict on a reported word: keep reporting it when it had hits,
        otherwise skip it from now on."""
        ...

    def forget(self) -> None:
        """Drop everything learnt while scanning."""
        ...

    def __len__(self) -> int: ...


def build_scanner(
    index: FuzzyIndex,
    *,
    skip: Iterable[str],
    report: Iterable[str],
    compiled: bool = COMPILED,
    memo_limit: int = MEMO_LIMIT,
) -> Scanner:
    """A scanner for ``index``. ``skip``: words never worth a probe (exact forms, everyday
    words); ``report``: words always handed back (they matter beyond fuzzy matching)."""
    if compiled:
        if WordScanner is None:
            raise RuntimeError("the compiled word scanner was not built with this install")
        return WordScanner(
            **index.scan_spec(),  # type: ignore[arg-type]
            skip=skip,
            report=report,
            min_len=MIN_LEN,
            max_len=MAX_LEN,
            max_probes=MAX_PROBES,
            memo_limit=memo_limit,
            seed=secrets.randbits(64),  # per process: nobody can aim words at one slot
        )
    return PyWordScanner(index, skip=skip, report=report, memo_limit=memo_limit)


class PyWordScanner:
    """The compiled scanner's behaviour, in Python."""

    def __init__(
        self,
        index: FuzzyIndex,
        *,
        skip: Iterable[str],
        report: Iterable[str],
        memo_limit: int = MEMO_LIMIT,
    ) -> None:
        self._index = index
        self._fixed = dict.fromkeys(skip, False) | dict.fromkeys(report, True)
        self._memo: dict[str, bool] = {}
        self._memo_limit = memo_limit

    def __len__(self) -> int:
        return len(self._memo)

    def scan(self, text: str, original: str) -> tuple[list[str], list[Window]]:
        probes = [0]
        runs = _WORD_RUN.findall(text)
        words: list[str] = []
        windows: list[Window] = []
        fixed, wanted = self._fixed, self._wanted
        # Word by word, each followed by its window with the word before, in the order the
        # compiled scanner spends its probes: past MAX_PROBES the same words go unprobed.
        for first, second in pairwise(["", *runs]):
            if wanted(second, probes):
                words.append(second)
            if first and (fixed.get(first) or fixed.get(second)) and wanted(first + second, probes):
                windows.append((first + second, first, second))
        if _CAMEL_CHANGE.search(original):
            for whole in _ASCII_RUN.findall(original):
                run = whole[:MAX_RUN]
                if _CAMEL_CHANGE.search(run):
                    pieces = lower_camel_pieces(run)
                    words += [piece for piece in pieces if self._wanted(piece, probes)]
        return words, windows

    def remember(self, word: str, report: bool) -> None:
        if len(word) > MAX_LEN or word in self._fixed:
            return  # never asked about, or settled for good: no room taken in the memo
        if len(self._memo) >= self._memo_limit:
            self._memo.clear()
        self._memo[word] = report

    def forget(self) -> None:
        self._memo.clear()

    def _wanted(self, word: str, probes: list[int]) -> bool:
        if len(word) > MAX_LEN:
            return False
        status = self._fixed.get(word)
        if status is None:
            status = self._memo.get(word)
        if status is not None:
            return status
        if len(word) < MIN_LEN or probes[0] >= MAX_PROBES:
            return False
        probes[0] += 1
        if self._index.may_match(word):
            return True
        self.remember(word, False)
        return False
