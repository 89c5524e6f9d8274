"""Fold post text once so that every later step compares plain lowercase Latin letters.

Folding lowercases, strips diacritics ("Żabka" -> "zabka"), maps homoglyphs (Cyrillic "о",
fullwidth and mathematical letters) to Latin and drops invisible characters. Every folded
character remembers the original character it came from, so a match found in folded text is
reported at its offsets in the text the user wrote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

try:
    from mentiondesk.listening._compiled import TextFolder
except ImportError:  # built without a C compiler: ``PyTextFolder`` takes over
    TextFolder = None  # type: ignore[assignment,misc]

# Characters with no visible width that people (and spammers) put inside words.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u3164\ufe0e\ufe0f\ufeff\uffa0"
)
_NEEDS_SLOW_PATH = re.compile(f"[{_INVISIBLE}\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff]")

# Letters that look Latin but are not, and letters NFKD does not decompose.
_HOMOGLYPHS = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ɡ": "g", "ʏ": "y",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ϲ": "c", "ω": "w",
    "ł": "l", "đ": "d", "ð": "d", "ø": "o", "ħ": "h", "ı": "i", "ŀ": "l", "ŧ": "t",
    "ɫ": "l", "ƚ": "l", "ɨ": "i", "ʉ": "u",
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'", "`": "'",
    "\u00b4": "'", "\uff07": "'",
}  # fmt: skip
_FOLDED_BLOCKS = (
    (0x00C0, 0x024F),  # Latin-1 supplement, Latin extended A and B
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x052F),  # Cyrillic
    (0x1E00, 0x1EFF),  # Latin extended additional
    (0x2100, 0x214F),  # letterlike symbols
    (0x24B6, 0x24E9),  # circled letters
    (0xFF01, 0xFF5E),  # fullwidth ASCII
    (0x1D400, 0x1D7FF),  # mathematical alphanumerics
    (0x1F130, 0x1F189),  # squared and circled capitals
)


@cache
def fold_table() -> dict[int, str]:
    """Lowercased character -> one folded character. Built on first use, not at import."""
    table: dict[int, str] = {}
    for low, high in _FOLDED_BLOCKS:
        for cp in range(low, high + 1):
            char = chr(cp)
            lowered = char.lower()
            if len(lowered) != 1:
                continue
            decomposed = unicodedata.normalize("NFKD", lowered)
            base = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
            if len(base) == 1 and base.isascii() and base != lowered:
                table[ord(lowered)] = base
    for char, latin in _HOMOGLYPHS.items():
        table[ord(char)] = latin
    return table


@dataclass(slots=True)
class Normalised:
    """Folded text plus, where folding dropped characters, where each one came from."""

    original: str
    text: str
    origin: tuple[int, ...] | None = None  # origin[i]: index in ``original`` of text[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the original text of the folded slice ``text[start:end]``."""
        if self.origin is None:
            return start, end
        if start >= end:
            point = self.origin[start] if start < len(self.origin) else len(self.original)
            return point, point
        return self.origin[start], self.origin[end - 1] + 1

    def original_char(self, index: int) -> str:
        """The original character behind folded position ``index`` ("" past the end)."""
        if index < 0 or index >= len(self.text):
            return ""
        return self.original[index if self.origin is None else self.origin[index]]


class PyTextFolder:
    """The compiled ``TextFolder``'s behaviour, in Python, for an install without a compiler."""

    def __init__(self, table: dict[int, str], slow: str) -> None:
        self._table = table
        self._slow = re.compile(f"[{re.escape(slow)}]")

    def fold(self, lowered: str) -> str | None:
        """``lowered`` mapped through the table (ASCII text as it is), or ``None`` when it
        holds a slow character."""
        if self._slow.search(lowered):
            return None
        return lowered if lowered.isascii() else lowered.translate(self._table)


# Characters whose removal must be tracked in an offset map: invisible and combining ones.
_SLOW_CHARS = _INVISIBLE + "".join(
    chr(cp)
    for low, high in ((0x300, 0x36F), (0x1AB0, 0x1AFF), (0x20D0, 0x20FF))
    for cp in range(low, high + 1)
)


@cache
def text_folder(compiled: bool = True) -> PyTextFolder | TextFolder:
    """The folder for the fast path: compiled where the install could build it."""
    if compiled and TextFolder is not None:
        return TextFolder(fold_table(), _SLOW_CHARS)
    return PyTextFolder(fold_table(), _SLOW_CHARS)


def normalise(text: str) -> Normalised:
    """Fold ``text``; ASCII and ordinary accented text take a fast path with no offset map."""
    if text.isascii():  # most posts: no invisible, combining or foreign characters to map
        return Normalised(text, text.lower())
    lowered = text.lower()
    if len(lowered) == len(text):
        folded = text_folder().fold(lowered)
        if folded is not None:
            return Normalised(text, folded)
    return _normalise_slowly(text)


def _normalise_slowly(text: str) -> Normalised:
    table = fold_table()
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if _NEEDS_SLOW_PATH.match(char):
            continue
        lowered = char.lower()[:1]
        chars.append(table.get(ord(lowered), lowered))
        origin.append(index)
    return Normalised(text, "".join(chars), tuple(origin))


def fold_term(term: str) -> str:
    """Fold a profile or query term the way post text is folded, collapsing whitespace."""
    return " ".join(normalise(term).text.split())


def is_word_char(char: str) -> bool:
    return char.isalnum()


def camel_break(norm: Normalised, index: int) -> bool:
    """True where the original text changes from lower to upper case or letter to digit."""
    before, after = norm.original_char(index - 1), norm.original_char(index)
    if not before or not after:
        return False
    if before.islower() and after.isupper():
        return True
    return before.isdigit() != after.isdigit()


def glue_at(norm: Normalised, start: int, end: int) -> str | None:
    """How ``text[start:end]`` stands in the text: as a ``word``, glued in ``camel`` case
    ("OcadoFail"), glued inside a ``hashtag`` ("#ocadofail"), or ``None`` when it is only
    part of a longer word ("display" does not contain "play")."""
    text = norm.text
    left_free = start == 0 or not text[start - 1].isalnum()  # ``is_word_char``, inlined
    right_free = end >= len(text) or not text[end].isalnum()
    if left_free and right_free:
        return "word"
    left_ok = left_free or camel_break(norm, start)
    right_ok = right_free or camel_break(norm, end)
    if left_ok and right_ok:
        return "camel"
    if not (left_ok or right_ok) or end - start < 4:
        return None
    first = start
    while first > 0 and is_word_char(text[first - 1]) and start - first < 64:
        first -= 1
    if first > 0 and text[first - 1] == "#":
        return "hashtag"
    return None


_CAMEL_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_WORD_RUN = re.compile(r"[^\W_]+")


def camel_pieces(word: str) -> list[str]:
    """Split an original-case ASCII word at case changes: "OcdaoFail" -> ["Ocdao", "Fail"]."""
    return _CAMEL_WORD.findall(word)


# ASCII bytes that are not letters or digits, mapped to spaces: on ASCII text (most posts)
# ``bytes.translate`` plus ``split`` yields the runs of ``_WORD_RUN`` several times faster.
_NOT_ALNUM = bytes(c if chr(c).isalnum() else 32 for c in range(128)) + b" " * 128


def word_runs(text: str) -> list[str]:
    r"""The letter-and-digit runs of folded ``text``, as ``[^\W_]+`` finds them."""
    if text.isascii():
        return text.encode().translate(_NOT_ALNUM).decode().split()
    return _WORD_RUN.findall(text)


@lru_cache(maxsize=1 << 16)
def lower_camel_pieces(glued: str) -> tuple[str, ...]:
    """Lowercased camel-case pieces of a word; handles such as "SouthwestAir" recur."""
    return tuple(p.lower() for p in camel_pieces(glued))
