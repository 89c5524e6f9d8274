"""Compose the labelled guard replies (PL, IT, EN) from the pools in ``guard_reply_pools.py``.

    PYTHONPATH=src python benchmarks/build_guard_replies.py [--per-language 420]

Writes ``tests/unit/replies/data/tone/replies_{lang}.jsonl``. Each pool's items are split
train/test first (seed 0, about 70/30), then train replies are composed only from train items
and test replies only from test items: a test reply's apology, blame, boilerplate, redirect,
next step and closing are phrasings no train reply uses. ``fresh`` replies are composed from
``guard_reply_pools_fresh.py``, phrasings written after the rules were last changed. Replies
vary in length, order and noise (diacritics dropped, lower case, a typo, no final full stop).
Labels follow ``docs/data/guard-replies.md``; they come from which parts a reply was made of.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import unicodedata
from pathlib import Path
from typing import Any

from guard_reply_pools import AGENTS, BRANDS, CUSTOMERS, PHONES, POOLS, TLD
from guard_reply_pools_fresh import FRESH

OUT = Path(__file__).parent.parent / "tests" / "unit" / "replies" / "data" / "tone"
KINDS = ("phone", "email", "chat", "form", "dm", "url", "other_team", "cant_help")
SHARED = {"greeting", "complaint", "question", "praise", "sig_team", "sig_signoff"}
_APOLOGETIC = re.compile(r"przeprasz|scus|apolog|regret", re.I)
_WORD = re.compile(r"[^\W\d_]{5,}")


def split_pools(lang: str, rng: random.Random) -> dict[str, dict[str, list[str]]]:
    """train/test halves of every pool; greetings, posts and signature frames are shared."""
    parts: dict[str, dict[str, list[str]]] = {"train": {}, "test": {}}
    for name, items in POOLS[lang].items():
        if name in SHARED:
            parts["train"][name] = parts["test"][name] = items
            continue
        shuffled = items[:]
        rng.shuffle(shuffled)
        cut = max(2, round(len(shuffled) * 0.3))
        parts["test"][name], parts["train"][name] = shuffled[:cut], shuffled[cut:]
    return parts


def strip_accents(text: str) -> str:
    out = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in out if not unicodedata.combining(c))


def typo(text: str, rng: random.Random) -> str:
    words = list(_WORD.finditer(text))
    if not words:
        return text
    m = rng.choice(words)
    i = rng.randrange(m.start(), m.end() - 1)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def signature(
    lang: str, pools: dict[str, list[str]], rng: random.Random, brand: str
) -> tuple[str, str]:
    """(text to append, the signature the guard should report)."""
    agent = rng.choice(AGENTS[lang])
    surname = rng.choice("ABCDKLMNPRSTW")
    style = rng.choice(["^", "-", "- ", "/", "~", "— ", "team", "signoff", "bare", "^2"])
    if style == "^":
        ini = agent[0] + surname
        return f"^{ini}", ini
    if style == "^2":
        return f"^{agent}", agent
    if style in ("-", "- ", "/", "~", "— "):
        return f"{style}{agent}", agent
    if style == "team":
        text = rng.choice(pools["sig_team"]).format(agent=agent, brand=brand)
        return text, text
    if style == "signoff":
        return rng.choice(pools["sig_signoff"]).format(agent=agent), agent
    return agent, agent


def compose(lang: str, pools: dict[str, list[str]], rng: random.Random) -> dict[str, Any]:
    brand = rng.choice(BRANDS)
    fill = {
        "name": rng.choice(CUSTOMERS[lang]),
        "brand": brand,
        "num": rng.choice(PHONES[lang]),
        "mail": rng.choice(["pomoc", "help", "reklamacje", "assistenza", "care"])
        + f"@{brand.lower()}.{TLD[lang]}",
        "url": rng.choice(["https://", "www.", ""])
        + f"{brand.lower()}.{TLD[lang]}/"
        + rng.choice(["pomoc", "help", "faq", "status", "assistenza"]),
        "ref": f"#{rng.randint(10000, 99999)}",
    }
    intent = rng.choices(["complaint", "question", "praise"], [0.6, 0.25, 0.15])[0]
    labels: dict[str, Any] = {"blame": False, "boilerplate": False, "redirect": []}
    parts: list[str] = []
    if rng.random() < 0.8:
        parts.append(rng.choice(pools["greeting"]))
    apology = rng.random() < (0.5 if intent == "complaint" else 0.12)
    if apology:
        parts.append(rng.choice(pools["apology"]))
    elif rng.random() < 0.6:
        parts.append(rng.choice(pools["no_apology"]))
    if rng.random() < 0.2:
        labels["blame"] = True
        parts.append(rng.choice(pools["blame"]))
    elif rng.random() < 0.12:
        parts.append(rng.choice(pools["no_blame"]))
    if rng.random() < 0.4:
        parts.append(rng.choice(pools["answer"]))
    if rng.random() < 0.25:
        labels["boilerplate"] = True
        item = rng.choice(pools["boilerplate"])
        apology = apology or bool(_APOLOGETIC.search(item))
        parts.insert(rng.randint(1, len(parts)) if parts else 0, item)
    if rng.random() < 0.55:
        kinds = rng.sample(KINDS, 2 if rng.random() < 0.12 else 1)
        for kind in kinds:
            parts.append(rng.choice(pools[f"redirect_{kind}"]))
        labels["redirect"] = sorted(kinds)
    roll = rng.random()
    labels["next_step"] = roll < 0.5
    if roll < 0.5:
        parts.append(rng.choice(pools["next_step"]))
    elif roll < 0.75:
        parts.append(rng.choice(pools["vague"]))
    if rng.random() < 0.2:
        parts.append(rng.choice(pools["closer"]))
    texts = [p.format(**fill) for p in parts] or [rng.choice(pools["vague"])]
    if len(texts) > 1 and texts[0].endswith(",") and parts[0] in pools["greeting"]:
        if rng.random() < 0.5:
            texts[1] = texts[1][0].lower() + texts[1][1:]
        else:
            texts[0] += "\n"
    body = " ".join(texts).replace("\n ", "\n")
    sig_text, sig = "", None
    if rng.random() < 0.55:
        sig_text, sig = signature(lang, pools, rng, brand)
    elif rng.random() < 0.5:
        body += "\n" + rng.choice(pools["tail"]).format(**fill)
    noise = []
    if rng.random() < 0.2:
        body, sig_text = strip_accents(body), strip_accents(sig_text)
        sig = strip_accents(sig) if sig else None
        noise.append("no_accents")
    if rng.random() < 0.1:
        body = body.lower()
        noise.append("lower")
    if rng.random() < 0.15:
        body = typo(body, rng)
        noise.append("typo")
    if rng.random() < 0.15 and body.endswith("."):
        body = body[:-1]
        noise.append("no_stop")
    if sig_text:
        body += rng.choice(["\n", "\n\n", " "] if sig_text[0] in "^-/~—" else ["\n", "\n\n"])
    reply = body + sig_text
    labels["apology_missing"] = intent == "complaint" and not apology
    labels["signature"] = sig
    return {
        "post": rng.choice(POOLS[lang][intent]),
        "intent": intent,
        "reply": reply,
        "labels": labels,
        "noise": noise,
    }


def build(lang: str, per_language: int, n_fresh: int = 120, seed: int = 0) -> list[dict[str, Any]]:
    rng = random.Random(f"{seed}-{lang}")
    parts = split_pools(lang, rng)
    n_test = round(per_language * 0.3)
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    parts["fresh"] = {k: v for k, v in POOLS[lang].items() if k in SHARED} | FRESH[lang]
    splits = (("train", per_language - n_test), ("test", n_test), ("fresh", n_fresh))
    for split, count in splits:
        made = 0
        while made < count:
            line = compose(lang, parts[split], rng)
            if line["reply"] in seen:
                continue
            seen.add(line["reply"])
            made += 1
            out.append(
                {"id": f"{lang}-{split}-{made:03d}", "language": lang, "split": split, **line}
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-language", type=int, default=500)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for lang in POOLS:
        lines = build(lang, args.per_language)
        path = args.out / f"replies_{lang}.jsonl"
        path.write_text(
            "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8"
        )
        print(f"{path}: {len(lines)} replies")


if __name__ == "__main__":
    main()
