"""Hashed character and word n-grams, computed for a whole batch at once with numpy.

Hashing the n-grams one by one in Python would cost more than the whole triage budget (about
200 µs a post), so every post in a batch is normalised, joined into one code-point array, and the
hash of every substring is taken from a prefix hash in a handful of vectorised operations. The
same function feeds training (as a sparse matrix) and inference (as bucket ids), so the two can
never disagree about what a feature is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["BITS", "DIM", "Features", "featurize", "normalize", "normalize_many"]

BITS = 19
DIM = 1 << BITS
CHAR_NGRAMS = (3, 4, 5)

_U64 = np.uint64
_MOD = 1 << 64
_BASE = 0x100000001B3  # odd, so it has an inverse modulo 2**64
_BASE_INV = pow(_BASE, -1, _MOD)
_MIX = np.array([0x9E3779B97F4A7C15], dtype=_U64)
_SHIFT = np.array([64 - BITS], dtype=_U64)
_SPACE = 32
_ZERO = 48

_URL = re.compile(r"https?://[^\s]+|www\.[^\s]+")
_MENTION = re.compile(r"@\w+|\{username\}|\[pseudonym\]")
_DIGIT = re.compile(r"\d")
# Three or more of the same letter or mark ("soooo", "!!!!!") become two: "soooo" and "sooooooo"
# then share every n-gram, while "soo" still differs from "so". Digits are left alone (they
# are already folded to 0 and a long run of them says "phone or order number").
_ELONGATION = re.compile(r"([^\d\s])\1{2,}")
_ODD_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SPACES = re.compile(r" {2,}")
_NEWLINES = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # what str.split would cut

IntArray = npt.NDArray[np.int64]


def normalize_many(texts: Sequence[str], *, squeeze: bool = True) -> list[str]:
    """Lower-case, with links, handles and digits reduced to placeholders, elongated letters
    squeezed, padded by spaces.

    The regexes run once over the joined batch (one line per post): per-post calls cost more
    than everything else in featurisation. The result only feeds the hashing; anything that
    reports positions in a post (the sensitive-data scan) works on the raw text, so the
    placeholders may change lengths freely. ``squeeze=False`` gives the normalisation the
    corpus splits were first hashed with, which keeps the held-out splits fixed.
    """
    joined = "\n".join(texts)
    if len(texts) > 1 or _NEWLINES.search(joined):
        joined = "\n".join(_NEWLINES.sub(" ", t) for t in texts)
    joined = joined.lower()
    joined = _URL.sub(" http ", joined)
    joined = _MENTION.sub(" @u ", joined)
    joined = _DIGIT.sub("0", joined)
    if squeeze:
        joined = _ELONGATION.sub(r"\1\1", joined)
    joined = _ODD_SPACES.sub(" ", joined)
    joined = _SPACES.sub(" ", joined)
    return [" " + line.strip(" ") + " " for line in joined.split("\n")]


def normalize(text: str, *, squeeze: bool = True) -> str:
    """One post normalised as in :func:`normalize_many`."""
    return normalize_many([text], squeeze=squeeze)[0]


@dataclass(frozen=True, slots=True)
class Features:
    """Bucket ids of every n-gram of every post; ``docs[i]`` says which post ``buckets[i]`` is in.

    A post's vector is the bucket counts divided by the square root of its n-gram count.
    """

    docs: IntArray
    buckets: IntArray
    n_docs: int

    def scale(self) -> npt.NDArray[np.float64]:
        counts = np.bincount(self.docs, minlength=self.n_docs).astype(np.float64)
        return 1.0 / np.sqrt(np.maximum(counts, 1.0))


def _powers(base: int, n: int) -> npt.NDArray[np.uint64]:
    out = np.full(n, base, dtype=_U64)
    out[0] = 1
    return np.cumprod(out, dtype=_U64)


def _bucket(hashes: npt.NDArray[np.uint64], salt: int) -> IntArray:
    salted = hashes ^ np.array([salt * 0x2545F4914F6CDD1D % _MOD], dtype=_U64)
    return ((salted * _MIX) >> _SHIFT).astype(np.int64)


def _squeeze_codes(
    codes: npt.NDArray[np.uint64], doc_of: IntArray
) -> tuple[npt.NDArray[np.uint64], IntArray]:
    """:data:`_ELONGATION` on code points: drop the third and later of a run of one character.

    The regex costs as much as the rest of normalisation together; three array comparisons do
    the same. Runs of spaces and of the digit placeholder are kept, as in the regex; every post
    starts and ends with a space, so no run spans two posts.
    """
    if codes.size < 3:
        return codes, doc_of
    run = np.zeros(codes.size, dtype=bool)
    run[2:] = (codes[2:] == codes[1:-1]) & (codes[1:-1] == codes[:-2])
    run &= (codes != _SPACE) & (codes != _ZERO)
    if not run.any():
        return codes, doc_of
    keep = ~run
    return codes[keep], doc_of[keep]


def featurize(texts: Sequence[str]) -> Features:
    """The n-gram buckets of ``texts`` (character 3-5-grams, word unigrams and bigrams)."""
    normalised = normalize_many(texts, squeeze=False) if texts else []
    n_docs = len(normalised)
    if n_docs == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Features(empty, empty, 0)
    lengths = np.fromiter((len(t) for t in normalised), dtype=np.int64, count=n_docs)
    codes = np.frombuffer("".join(normalised).encode("utf-32-le"), dtype=np.uint32).astype(_U64)
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    codes, doc_of = _squeeze_codes(codes, doc_of)
    lengths = np.bincount(doc_of, minlength=n_docs)
    total = codes.size
    ends = np.cumsum(lengths)
    doc_end = ends[doc_of]

    # prefix[i] is the polynomial hash of codes[:i]; any substring hash follows from two entries.
    powers = _powers(_BASE, total + 1)
    inv_powers = _powers(_BASE_INV, total)
    prefix = np.zeros(total + 1, dtype=_U64)
    prefix[1:] = powers[:total] * np.cumsum(codes * inv_powers, dtype=_U64)

    def substring(starts: IntArray, stops: IntArray) -> npt.NDArray[np.uint64]:
        return prefix[stops] - prefix[starts] * powers[stops - starts]

    docs: list[IntArray] = []
    buckets: list[IntArray] = []
    positions = np.arange(total, dtype=np.int64)
    for n in CHAR_NGRAMS:
        starts = positions[positions + n <= doc_end]
        docs.append(doc_of[starts])
        buckets.append(_bucket(substring(starts, starts + n), n))

    is_space = codes == _SPACE
    inner = positions[1:-1]
    word_starts = inner[~is_space[1:-1] & is_space[:-2]]
    word_stops = inner[~is_space[1:-1] & is_space[2:]] + 1
    docs.append(doc_of[word_starts])
    buckets.append(_bucket(substring(word_starts, word_stops), 101))
    same_doc = doc_of[word_starts[:-1]] == doc_of[word_starts[1:]]
    pair_starts = word_starts[:-1][same_doc]
    docs.append(doc_of[pair_starts])
    buckets.append(_bucket(substring(pair_starts, word_stops[1:][same_doc]), 102))

    return Features(np.concatenate(docs), np.concatenate(buckets), n_docs)
