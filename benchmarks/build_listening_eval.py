"""Build the listening evaluation set from real posts in /work/shared/data (seeded).

Each row is a real post, possibly rewritten the way people name brands: a tag turned into
the bare name, a name misspelt (transposed, doubled, dropped or neighbouring-key letters,
lost diacritics), a Polish case form in a short clause added to a Polish post, an Italian
elision added to an Italian post. Hard negatives are real posts using the brand word in its
ordinary sense and near names of other things. Every row records its source file, line and
the rewrite applied.

    PYTHONPATH=src:. python benchmarks/build_listening_eval.py
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

from benchmarks.listening_brands import (
    AIRLINE_NAMES,
    AIRLINES,
    ITALIAN_DISPLAY,
    ITALIAN_NAMES,
    ITALIAN_TEMPLATES,
    NEAR_NAMES,
    PLAY_CONTEXT,
    POLISH_FORMS,
    POLISH_TEMPLATES,
)

DATA = Path("/work/shared/data")
OUT = Path(__file__).resolve().parent / "data" / "listening_eval.jsonl.gz"
SEED = 20260310
BRAND_STEMS = re.compile(
    r"biedron|[zż]abk|[zż]abc|orlen|allegr|rossman|empik|play|lidl|essel|trenital|vodaf|fastw"
    r"|iliad|united|delta|american|southwest|jet ?blue|virgin|us ?airways|ocado",
    re.IGNORECASE,
)
AIRLINE_WORDS = re.compile(r"flight|airline|plane|airport|gate|baggage|pilot|crew", re.I)
COMMON_WORDS = re.compile(r"\b(play|playing|united|american|delta|orange|virgin)\b", re.I)
KEYBOARD = "qwertyuiop asdfghjkl zxcvbnm"
Row = dict[str, object]


def read(rel: str) -> Iterator[tuple[int, str]]:
    with (DATA / rel).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            yield number, json.loads(line)["text"]


def neighbour(char: str, rng: random.Random) -> str:
    lower = char.lower()
    index = KEYBOARD.find(lower)
    if index < 0:
        return char
    options = [KEYBOARD[i] for i in (index - 1, index + 1) if 0 <= i < len(KEYBOARD)]
    options = [o for o in options if o != " "]
    pick = rng.choice(options)
    return pick.upper() if char.isupper() else pick


def misspell(word: str, rng: random.Random) -> tuple[str, str]:
    """One realistic typo, never on the first letter; returns (typo, what was done)."""
    plain = word.translate(str.maketrans("ŻżĄąĘęŁłŚśĆćŃńÓóŹź", "ZzAaEeLlSsCcNnOoZz"))
    kinds = ["transpose", "double", "drop", "neighbour"] + (["diacritics"] if plain != word else [])
    kind = rng.choice(kinds)
    i = rng.randrange(1, len(word) - 1)
    if kind == "transpose":
        typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif kind == "double":
        typo = word[: i + 1] + word[i] + word[i + 1 :]
    elif kind == "drop":
        typo = word[:i] + word[i + 1 :]
    elif kind == "neighbour":
        typo = word[:i] + neighbour(word[i], rng) + word[i + 1 :]
    else:
        typo = plain
    if typo.lower() == word.lower():
        return misspell(word, rng)
    return typo, kind


def misspell_name(name: str, rng: random.Random) -> tuple[str, str]:
    words = name.split(" ")
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    words[longest], kind = misspell(words[longest], rng)
    return " ".join(words), kind


def row(
    text: str, lang: str, profile: str | None, category: str, source: str, line: int, transform: str
) -> Row:
    return {
        "text": text,
        "lang": lang,
        "profile": profile,
        "expect": profile is not None,
        "category": category,
        "source": source,
        "line": line,
        "transform": transform,
    }


def airline_rows(rng: random.Random) -> list[Row]:
    source = "sentiment/en-airline2015.jsonl"
    rows: list[Row] = []
    tagged = []
    for line, text in read(source):
        handles = {h.lower() for h in re.findall(r"@\w+", text)}
        mine = [(k, h) for k, h in AIRLINES.values() if h.lower() in handles]
        if len(mine) == 1 and len(BRAND_STEMS.findall(text.replace(mine[0][1], ""))) == 0:
            tagged.append((line, text, *mine[0]))
    rng.shuffle(tagged)
    for line, text, key, _handle in tagged[:300]:
        rows.append(row(text, "en", key, "direct", source, line, "as posted"))
    for line, text, key, handle in tagged[300:650]:
        name = rng.choice(AIRLINE_NAMES[key])
        bare = re.sub(re.escape(handle), name, text, flags=re.I)
        rows.append(row(bare, "en", key, "indirect", source, line, f"{handle} -> {name}"))
    for line, text, key, handle in tagged[650:950]:
        typo, kind = misspell_name(AIRLINE_NAMES[key][0], rng)
        bad = re.sub(re.escape(handle), typo, text, flags=re.I)
        rows.append(row(bad, "en", key, "fuzzy", source, line, f"{handle} -> {typo} ({kind})"))
    return rows


def clean_posts(rel: str, limit: int, rng: random.Random) -> list[tuple[int, str]]:
    posts = [(n, t) for n, t in read(rel) if not BRAND_STEMS.search(t) and len(t) > 20]
    rng.shuffle(posts)
    return posts[:limit]


def glue(text: str, clause: str, rng: random.Random) -> str:
    return f"{clause} {text}" if rng.random() < 0.5 else f"{text} {clause}"


def polish_rows(rng: random.Random) -> list[Row]:
    source = "sentiment/pl-mozetic2016.jsonl"
    posts = clean_posts(source, 900, rng)
    rows: list[Row] = []
    for index, (line, text) in enumerate(posts[:750]):
        key = rng.choice(sorted(POLISH_FORMS))
        case = rng.choice(sorted(POLISH_TEMPLATES))
        form = POLISH_FORMS[key][case]
        category = "indirect" if case == "nom" else "inflected"
        transform = f"{case} {form}"
        if index % 3 == 0:
            form, kind = misspell(form, rng)
            category, transform = "fuzzy", f"{case} {form} ({kind})"
        clause = rng.choice(POLISH_TEMPLATES[case]).format(form)
        if key == "play":
            clause += f", {rng.choice(PLAY_CONTEXT)}"
        rows.append(row(glue(text, clause, rng), "pl", key, category, source, line, transform))
    for line, text in posts[750:]:
        rows.append(row(text, "pl", None, "negative", source, line, "as posted"))
    return rows


def italian_rows(rng: random.Random) -> list[Row]:
    source = "sentiment/it-sentipolc2016.jsonl"
    posts = clean_posts(source, 600, rng)
    rows: list[Row] = []
    for index, (line, text) in enumerate(posts[:450]):
        key = rng.choice(ITALIAN_NAMES)
        template = rng.choice(ITALIAN_TEMPLATES)
        name = ITALIAN_DISPLAY[key]
        category = "inflected" if "'" in template or "’" in template else "indirect"
        transform = template.format(name)
        if index % 3 == 0:
            name, kind = misspell(name, rng)
            category, transform = "fuzzy", f"{template.format(name)} ({kind})"
        clause = template.format(name)
        rows.append(row(glue(text, clause, rng), "it", key, category, source, line, transform))
    for line, text in posts[450:]:
        rows.append(row(text, "it", None, "negative", source, line, "as posted"))
    return rows


def english_negatives(rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    for source in (
        "sentiment/en-tweeteval_sentiment.jsonl",
        "sentiment/en-umsab.jsonl",
        "sentiment/en-mozetic2016.jsonl",
    ):
        common, plain = [], []
        for line, text in read(source):
            if AIRLINE_WORDS.search(text) or re.search(r"@(united|delta|americanair)", text, re.I):
                continue
            if COMMON_WORDS.search(text):
                common.append((line, text))
            elif not BRAND_STEMS.search(text):
                plain.append((line, text))
        rng.shuffle(common)
        rng.shuffle(plain)
        for line, text in common[:120]:
            word = COMMON_WORDS.search(text).group(0)  # type: ignore[union-attr]
            rows.append(
                row(text, "en", None, "hard_negative", source, line, f"common word '{word}'")
            )
        for line, text in plain[:150]:
            rows.append(row(text, "en", None, "negative", source, line, "as posted"))
    return rows


def near_name_rows(rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    sources = {
        "pl": "sentiment/pl-mozetic2016.jsonl",
        "it": "sentiment/it-sentipolc2016.jsonl",
        "en": "sentiment/en-tweeteval_sentiment.jsonl",
    }
    bases = {lang: clean_posts(rel, 200, random.Random(SEED + 1)) for lang, rel in sources.items()}
    lang_of = {
        "zabka": "pl",
        "iliad": "it",
        "trenitalia": "it",
        "orlen": "en",
        "ocado": "en",
        "fastweb": "en",
        "empik": "en",
        "rossmann": "en",
    }
    for key, sentences in sorted(NEAR_NAMES.items()):
        lang = lang_of[key]
        for copy in range(10):
            line, text = bases[lang][(copy * 7 + len(key)) % len(bases[lang])]
            sentence = sentences[copy % len(sentences)]
            rows.append(
                row(
                    glue(text, sentence, rng),
                    lang,
                    None,
                    "hard_negative",
                    sources[lang],
                    line,
                    f"near name of {key}: '{sentence}'",
                )
            )
    return rows


def main() -> None:
    rng = random.Random(SEED)
    rows = airline_rows(rng) + polish_rows(rng) + italian_rows(rng)
    rows += english_negatives(rng) + near_name_rows(rng)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
        for item in rows:
            packed.write((json.dumps(item, ensure_ascii=False) + "\n").encode())
    counts: dict[str, int] = {}
    for item in rows:
        counts[str(item["category"])] = counts.get(str(item["category"]), 0) + 1
    print(f"wrote {len(rows)} rows to {OUT}: {counts}")


if __name__ == "__main__":
    main()
