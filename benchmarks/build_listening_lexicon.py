"""Build ``listening/common_words.json``: frequent everyday words per language.

The matcher refuses to read an everyday word as a misspelt brand ("unite" is not "United").
Words come from the harmful-speech and emotion corpora in /work/shared/data, which the
listening evaluation set does not use, so the veto is not tuned on the evaluation posts.

    PYTHONPATH=src python benchmarks/build_listening_lexicon.py
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from mentiondesk.listening.normalise import normalise

DATA = Path("/work/shared/data")
OUT = Path(__file__).resolve().parents[1] / "src/mentiondesk/listening/common_words.json"
SOURCES = {
    "en": ["harmful/en-tweeteval_offensive.jsonl", "harmful/en-tweeteval_hate.jsonl"],
    "pl": ["harmful/pl-banpl.jsonl", "harmful/pl-poleval2019.jsonl"],
    "it": [
        "harmful/it-haspeede2018_tw.jsonl",
        "harmful/it-haspeede2018_fb.jsonl",
        "emotion/it-feelit.jsonl",
    ],
}
MIN_COUNT = 3
PER_LANGUAGE = 25_000
_NOISE = re.compile(r"https?://\S+|[@#]\w+")
_WORD = re.compile(r"[a-z]{4,24}")


def words_of(paths: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for rel in paths:
        with (DATA / rel).open(encoding="utf-8") as handle:
            for line in handle:
                text = _NOISE.sub(" ", json.loads(line)["text"])
                counts.update(_WORD.findall(normalise(text).text))
    return counts


def main() -> None:
    lexicon = {}
    for lang, paths in SOURCES.items():
        counts = words_of(paths)
        common = [w for w, n in counts.most_common(PER_LANGUAGE) if n >= MIN_COUNT]
        lexicon[lang] = sorted(common)
        print(f"{lang}: {len(common)} words")
    sources = {lang: paths for lang, paths in SOURCES.items()}
    payload = {
        "about": "frequent words; built by benchmarks/build_listening_lexicon.py",
        "sources": sources,
        "words": lexicon,
    }
    OUT.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
