"""Matching throughput with 1,000 and 10,000 profile terms, fuzzy on, on one core.

The stream is real posts from /work/shared/data (the evaluation set plus other sentiment
posts), each post seen once. "cold" starts with empty caches; "warm" first runs the other
posts of the corpora, as a matcher that has been listening for a while would; "seen" runs the
timed posts again, so every word is cached: the per-post floor. The terms are the evaluation
brands plus seeded synthetic brand-like names. The baseline is the plain approach: one
compiled regex of all terms over diacritic-stripped lowercase text, plus rapidfuzz's best
match of every word against all terms. Recall of both is measured on the evaluation set's
positive rows. Times are the process's CPU time, pinned to one core, because the development
machine is shared: wall-clock rates swing with other work, CPU time much less. Posts are
built before timing; the pipeline hands the matcher posts, not strings.

    PYTHONPATH=src:. python benchmarks/bench_listening.py [--posts 20000] [--baseline-posts 1500]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import time
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from benchmarks.eval_listening import load
from benchmarks.listening_brands import PROFILES
from mentiondesk.domain.posts import AuthorRef, InboundPost, Platform
from mentiondesk.domain.profiles import BrandProfile
from mentiondesk.listening.matching import ProfileMatcher
from mentiondesk.listening.variants import edit_budget
from mentiondesk.listening.wordscan import COMPILED

DATA = Path("/work/shared/data")
STREAM_SOURCES = (
    "sentiment/en-tweeteval_sentiment.jsonl",
    "sentiment/pl-mozetic2016.jsonl",
    "sentiment/it-sentipolc2016.jsonl",
    "sentiment/en-airline2015.jsonl",
)
SYLLABLES = [
    "ka",
    "lo",
    "ri",
    "ve",
    "na",
    "to",
    "mi",
    "sa",
    "de",
    "po",
    "lu",
    "ze",
    "bra",
    "flo",
    "tri",
    "gen",
    "vo",
    "sol",
    "mar",
    "tek",
    "nex",
    "qui",
]
Matcher = Callable[[str], set[str]]
Clock = Callable[[], float]


def brand_terms() -> dict[str, str]:
    """Every evaluation brand's names -> its profile key."""
    terms: dict[str, str] = {}
    for key, profile in PROFILES.items():
        for name in (*profile.names, *profile.aliases, *profile.products):
            terms[name] = key
        for handle in profile.all_handles:
            terms["@" + handle] = key
    return terms


def synthetic_terms(count: int, rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        if rng.random() < 0.1:
            word += " " + "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()
        names.add(word)
    return sorted(names)


def stream(limit: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """``limit`` distinct posts to time, and the other posts, to warm caches with."""
    texts = [row["text"] for row in load()]
    for rel in STREAM_SOURCES:
        with (DATA / rel).open(encoding="utf-8") as handle:
            texts += [json.loads(line)["text"] for line in handle]
    rng.shuffle(texts)
    distinct = list(dict.fromkeys(texts))
    return distinct[:limit], distinct[limit:]


def fold_plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ł", "l")


def baseline(terms: list[str]) -> Matcher:
    folded = sorted({fold_plain(t) for t in terms}, key=len, reverse=True)
    by_folded = {fold_plain(t): t for t in terms}
    regex = re.compile(r"(?<![\w@])(?:" + "|".join(map(re.escape, folded)) + r")(?!\w)")
    fuzzy = [f for f in folded if not f.startswith("@") and edit_budget(len(f)) > 0]
    words = re.compile(r"\w{4,}")

    def match(text: str) -> set[str]:
        plain = fold_plain(text)
        found = {by_folded[m.group(0)] for m in regex.finditer(plain)}
        for word in set(words.findall(plain)):
            budget = edit_budget(len(word))
            if budget == 0:
                continue
            best = process.extractOne(word, fuzzy, scorer=OSA.distance, score_cutoff=budget)
            if best is not None:
                found.add(by_folded[best[0]])
        return found

    return match


def profile_matcher(terms: list[str], *, compiled: bool = True) -> ProfileMatcher:
    handles = tuple(t[1:] for t in terms if t.startswith("@"))
    names = tuple(t for t in terms if not t.startswith("@"))
    profile = BrandProfile("bench", names, handles={"x": handles})
    return ProfileMatcher(profile, compiled=compiled)


def as_posts(texts: list[str]) -> list[InboundPost]:
    author = AuthorRef(Platform.X, "someone")
    at = datetime(2026, 3, 10, tzinfo=UTC)
    return [InboundPost(Platform.X, "b", text, at, author) for text in texts]


def ours(terms: list[str]) -> Matcher:
    matcher = profile_matcher(terms)

    def match(text: str) -> set[str]:
        return {m.term for m in matcher.match(as_posts([text])[0])}

    return match


def throughput(match: Matcher, texts: list[str], clock: Clock = time.process_time) -> float:
    started = clock()
    for text in texts:
        match(text)
    return len(texts) / (clock() - started)


def post_throughput(
    matcher: ProfileMatcher, posts: list[InboundPost], clock: Clock = time.process_time
) -> float:
    match = matcher.match
    started = clock()
    for post in posts:
        match(post)
    return len(posts) / (clock() - started)


def recall(match: Matcher, owner: dict[str, str]) -> float:
    rows = [r for r in load() if r["expect"]]
    hits = sum(1 for r in rows if any(owner.get(t) == r["profile"] for t in match(r["text"])))
    return hits / len(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--baseline-posts", type=int, default=1_500)
    parser.add_argument("--wall", action="store_true", help="wall-clock instead of CPU time")
    args = parser.parse_args()
    clock = time.perf_counter if args.wall else time.process_time
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    rng = random.Random(7)
    texts, earlier = stream(args.posts, rng)
    posts, earlier_posts = as_posts(texts), as_posts(earlier)
    owner = brand_terms()
    what = "wall-clock" if args.wall else "CPU"
    print(f"stream: {len(texts):,} distinct real posts timed ({what} time); one core; fuzzy on")
    if not COMPILED:
        print("the C extension is not built: every figure below is the pure-Python scanner's")
    for size in (1_000, 10_000):
        terms = sorted(owner) + synthetic_terms(size - len(owner), random.Random(size))
        started = clock()
        cold = profile_matcher(terms)
        compile_s = clock() - started
        cold_rate = post_throughput(cold, posts, clock)
        seen_rate = post_throughput(cold, posts, clock)
        warmed = profile_matcher(terms)
        post_throughput(warmed, earlier_posts)
        warm_rate = post_throughput(warmed, posts, clock)
        python_rate = post_throughput(profile_matcher(terms, compiled=False), posts, clock)
        mine_recall = recall(ours(terms), owner)
        plain = baseline(terms)
        plain_rate = throughput(plain, texts[: args.baseline_posts], clock)
        plain_recall = recall(plain, owner)
        print(
            f"{size:>6,} terms (compiled in {compile_s:.1f} s)\n"
            f"  listening: {cold_rate:>7,.0f} posts/s cold, {warm_rate:>7,.0f} warm (after "
            f"{len(earlier):,} other posts), {seen_rate:>7,.0f} seen; recall {mine_recall:.3f}\n"
            f"  same, pure-Python scanner (an install without a C compiler): "
            f"{python_rate:>7,.0f} posts/s cold\n"
            f"  regex+rapidfuzz: {plain_rate:>7,.0f} posts/s; recall {plain_recall:.3f}\n"
            f"  ratio: {cold_rate / plain_rate:,.1f}x cold, {warm_rate / plain_rate:,.1f}x warm, "
            f"{seen_rate / plain_rate:,.1f}x seen"
        )


if __name__ == "__main__":
    main()
