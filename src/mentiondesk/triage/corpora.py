"""The labelled corpora, their licences, and the deterministic splits made from them.

Splits of the shared corpora are decided by a hash of the normalised text, so a tweet and its
retweet (or any exact duplicate) always land in the same split: no test post is seen in training
under another id. The project's own customer-care corpus (``caredesk``, shipped in the package)
has no duplicates and is split by a hash of each post's id.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mentiondesk.triage.features import normalize

__all__ = [
    "CAREDESK",
    "CAREDESK_DIR",
    "CORPORA",
    "DATA_DIR",
    "CareCorpus",
    "CarePost",
    "Corpus",
    "Example",
    "caredesk_split",
    "load",
    "load_caredesk",
    "split_of",
]

DATA_DIR = Path("/work/shared/data")
TEST_PERCENT = 20
DEV_PERCENT = 10


@dataclass(frozen=True, slots=True)
class Corpus:
    task: str
    lang: str
    source: str
    licence: str
    permissive: bool  # CC BY, CC BY-SA, MIT or Apache: may train the default shipped model

    @property
    def key(self) -> str:
        return f"{self.lang}-{self.source}"

    @property
    def path(self) -> Path:
        return Path(self.task) / f"{self.key}.jsonl"


CORPORA: tuple[Corpus, ...] = (
    Corpus("sentiment", "pl", "mozetic2016", "CC BY-SA 4.0", True),
    Corpus("sentiment", "en", "mozetic2016", "CC BY-SA 4.0", True),
    Corpus("emotion", "it", "feelit", "MIT", True),
    Corpus("harmful", "pl", "banpl", "CC BY 4.0", True),
    Corpus("sentiment", "it", "sentipolc2016", "CC BY-NC-SA 3.0 IT", False),
    Corpus("sentiment", "it", "umsab", "Apache-2.0 repo, SENTIPOLC-derived terms", False),
    Corpus("sentiment", "en", "umsab", "Apache-2.0 repo, SemEval terms", False),
    Corpus("sentiment", "en", "airline2015", "CC BY-NC-SA 4.0", False),
    Corpus("sentiment", "en", "crowdflower_sxsw", "CrowdFlower open data (unstated)", False),
    Corpus("sentiment", "en", "tweeteval_sentiment", "SemEval terms", False),
    Corpus("complaint", "en", "complaints2019", "research data, no licence", False),
    Corpus("harmful", "pl", "poleval2019", "unknown", False),
    Corpus("harmful", "en", "tweeteval_offensive", "SemEval terms", False),
    Corpus("harmful", "en", "tweeteval_hate", "SemEval terms", False),
    Corpus("harmful", "it", "haspeede2018_tw", "CC BY-NC-SA 4.0", False),
    Corpus("harmful", "it", "haspeede2018_fb", "CC BY-NC-SA 4.0", False),
)

# FEEL-IT labels emotions; joy is positive and the other three are negative.
_EMOTION_TO_SENTIMENT = {"joy": "positive", "anger": "negative", "fear": "negative",
                         "sadness": "negative"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str
    corpus: Corpus


def split_of(text: str) -> str:
    """``train``, ``dev`` or ``test``, from a stable hash of the normalised text.

    The hash uses the normalisation the splits were first made with (no squeezing of
    elongations), so a change to the features never moves a post between splits and scores
    stay comparable across model versions.
    """
    key = normalize(text, squeeze=False)
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    bucket = int.from_bytes(digest, "big") % 100
    if bucket < TEST_PERCENT:
        return "test"
    return "dev" if bucket < TEST_PERCENT + DEV_PERCENT else "train"


def load(corpus: Corpus, data_dir: Path = DATA_DIR) -> Iterator[tuple[str, Example]]:
    """(split, example) for every usable row; SENTIPOLC's ``mixed`` is left out (not 3-class)."""
    with (data_dir / corpus.path).open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            label = str(row["label"])
            if corpus.task == "emotion":
                label = _EMOTION_TO_SENTIMENT[label]
            if label == "mixed":
                continue
            text = str(row["text"])
            yield split_of(text), Example(text, label, corpus)


CAREDESK_DIR = Path(__file__).parent / "data" / "caredesk"
CAREDESK_TEST_PERCENT = 20
CAREDESK_SEED = 0


@dataclass(frozen=True, slots=True)
class CareCorpus:
    """The project's own customer-care corpus: written and labelled for the project, licensed
    with it, so any model the project ships may train on it (``docs/data/caredesk-corpus.md``)."""

    source: str
    langs: tuple[str, ...]
    sectors: tuple[str, ...]
    intents: tuple[str, ...]
    sentiments: tuple[str, ...]
    licence: str
    permissive: bool = True

    def path(self, lang: str, data_dir: Path = CAREDESK_DIR) -> Path:
        return data_dir / f"{lang}.jsonl.gz"


CAREDESK = CareCorpus(
    source="caredesk",
    langs=("pl", "it", "en"),
    sectors=("airlines", "telecoms", "retail", "food", "banking", "games"),
    intents=("complaint", "question", "praise", "lead", "no_reply", "off_topic", "abuse"),
    sentiments=("negative", "neutral", "positive"),
    licence="Apache-2.0 (the project's own)",
)


@dataclass(frozen=True, slots=True)
class CarePost:
    """One labelled post; ``tagged`` says whether it @-tags the brand it is about."""

    id: str
    lang: str
    sector: str
    brand: str
    text: str
    intent: str
    sentiment: str
    tagged: bool


def caredesk_split(post_id: str, seed: int = CAREDESK_SEED) -> str:
    """``train`` (80 %) or ``test`` (20 %), from a stable hash of the id.

    Ids never change once published, so adding posts never moves an old one between splits.
    """
    digest = hashlib.blake2b(f"{seed}:{post_id}".encode(), digest_size=8).digest()
    bucket = int.from_bytes(digest, "big") % 100
    return "test" if bucket < CAREDESK_TEST_PERCENT else "train"


def load_caredesk(lang: str, data_dir: Path = CAREDESK_DIR) -> Iterator[tuple[str, CarePost]]:
    """(split, post) for every post of one language, in file order."""
    with gzip.open(CAREDESK.path(lang, data_dir), "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            post = CarePost(
                id=str(row["id"]),
                lang=str(row["lang"]),
                sector=str(row["sector"]),
                brand=str(row["brand"]),
                text=str(row["text"]),
                intent=str(row["intent"]),
                sentiment=str(row["sentiment"]),
                tagged=bool(row["tagged"]),
            )
            yield caredesk_split(post.id), post
