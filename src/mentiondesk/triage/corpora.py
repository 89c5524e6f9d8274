"""The shared labelled corpora, their licences, and the deterministic splits made from them.

Splits are decided by a hash of the normalised text, so a tweet and its retweet (or any exact
duplicate) always land in the same split: no test post is seen in training under another id.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mentiondesk.triage.features import normalize

__all__ = ["CORPORA", "DATA_DIR", "Corpus", "Example", "load", "split_of"]

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
