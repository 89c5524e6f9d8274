"""Why the linear model read a post as it did: the post's own words with the most weight.

The model sees hashed n-grams, which mean nothing to an agent. For one post the hashing is
replayed with every n-gram's position kept, each n-gram's weight is shared among the words it
overlaps, and the words with the largest total are shown as the author wrote them. This runs
for the one post a case page shows (a few hundred n-grams), never on the ingest path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from mentiondesk.domain.posts import Post
from mentiondesk.domain.triage import TriageResult
from mentiondesk.triage.classifier import LinearClassifier
from mentiondesk.triage.features import CHAR_NGRAMS, featurize, normalize
from mentiondesk.triage.harm import abuse_phrases
from mentiondesk.triage.intent import cue_phrases

__all__ = ["post_why", "thread_why", "top_words"]

_SPACE = " "
_KEEP_RUNS = frozenset(" 0")  # runs the featuriser never squeezes
_LETTER = re.compile(r"\w", re.UNICODE)
_EDGE_PUNCT = re.compile(r"^\W+|\W+$", re.UNICODE)


def _squeezed(text: str) -> str:
    """The normalised post exactly as ``featurize`` hashes it (elongations cut to two)."""
    s = normalize(text, squeeze=False)
    return "".join(
        c
        for i, c in enumerate(s)
        if i < 2 or not (c == s[i - 1] == s[i - 2] and c not in _KEEP_RUNS)
    )


def _spans(s: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(every n-gram's span in featurisation order, every word's span)."""
    grams = [(a, a + n) for n in CHAR_NGRAMS for a in range(len(s) - n + 1)]
    words = [
        (i, j)
        for i in range(1, len(s) - 1)
        if s[i] != _SPACE and s[i - 1] == _SPACE
        for j in [s.index(_SPACE, i)]
    ]
    grams += words
    grams += [(words[k][0], words[k + 1][1]) for k in range(len(words) - 1)]
    return grams, words


def _as_written(text: str, word: str) -> str:
    """The word as the author wrote it (case and diacritics kept), else the normalised one."""
    core = _EDGE_PUNCT.sub("", word)
    if not core:
        return word
    found = re.search(re.escape(core), text, re.IGNORECASE)
    return found.group(0) if found else core


def top_words(
    text: str, weights: npt.NDArray[np.floating], *, toward: bool = True, top: int = 3
) -> list[str]:
    """Up to ``top`` words of ``text`` that push the head's score up (``toward``) or down."""
    feats = featurize([text])
    s = _squeezed(text)
    grams, words = _spans(s)
    if len(grams) != len(feats.buckets) or not words:
        return []  # the replay must match the hashing exactly, or it explains nothing
    contribution = np.asarray(weights[feats.buckets], dtype=np.float64)
    if not toward:
        contribution = -contribution
    spans = np.asarray(grams)
    starts = np.asarray([w[0] for w in words])
    stops = np.asarray([w[1] for w in words])
    # n-gram x word: does the n-gram touch the word? Its weight is shared among those it does.
    overlaps = (starts[None, :] < spans[:, 1:2]) & (stops[None, :] > spans[:, 0:1])
    share = contribution / np.maximum(overlaps.sum(axis=1), 1)
    totals = share @ overlaps
    out: list[str] = []
    for k in np.argsort(-totals):
        word = s[words[k][0] : words[k][1]]
        if totals[k] <= 0 or len(out) == top:
            break
        if not _LETTER.search(word) or word in ("@u", "http"):
            continue  # a placeholder for a link, a handle or digits is no reason to show
        shown = _as_written(text, word)
        if shown not in out:
            out.append(shown)
    return out


def post_why(triager: object, text: str, result: TriageResult) -> dict[str, list[str]]:
    """Why each label of one post reads as it does: the model's words for its learned heads,
    then any rule that fired. Labels with nothing to say are left out; an agent's correction
    (the stored label no longer the model's) is explained by the same words, so the agent sees
    what the model leaned on."""
    lowered = text.lower()
    phrases = cue_phrases(lowered)
    model = getattr(triager, "classifier", None)
    linear = model if isinstance(model, LinearClassifier) else None
    why: dict[str, list[str]] = {}

    sentiment = result.sentiment.value
    if linear is not None and sentiment != "neutral":
        words = linear.explain(text, "sentiment", toward=sentiment == "positive")
        why["sentiment"] = [f"'{w}'" for w in words]
    rule = {"negative": "complaint", "positive": "praise"}.get(sentiment)
    if rule and phrases.get(rule):
        why.setdefault("sentiment", []).append(f"{rule} phrase '{phrases[rule][0]}'")

    intent = result.intent.value
    for family in ("complaint", "lead", "praise", "market"):
        if phrases.get(family) and (family in (intent, "market")):
            why.setdefault("intent", []).append(f"{family} phrase '{phrases[family][0]}'")
    if intent == "question" and "?" in text:
        why.setdefault("intent", []).append("a question mark")

    if result.harmful or not result.sure("harmful"):
        insults = abuse_phrases(lowered, result.language)
        if linear is not None and result.language in linear.meta.get("harm_languages", ()):
            why["harmful"] = [f"'{w}'" for w in linear.explain(text, "harmful")]
        if insults:
            why.setdefault("harmful", []).append(f"insult list '{insults[0]}'")
    if result.sensitive:
        kinds = sorted({s.kind for s in result.sensitive})
        why["sensitive"] = [f"{kind} pattern" for kind in kinds]
    return {label: reasons for label, reasons in why.items() if reasons}


def thread_why(triager: object, posts: Iterable[Post | None]) -> dict[int, dict[str, list[str]]]:
    """:func:`post_why` for every triaged post of a case thread, by post id: what the case
    page and the case API show (a thread is a handful of posts, each explained on request)."""
    return {
        p.id: post_why(triager, p.inbound.text, p.triage)
        for p in posts
        if p is not None and p.triage is not None
    }
