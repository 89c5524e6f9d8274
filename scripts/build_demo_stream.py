"""Build the bundled demo stream (`src/mentiondesk/demo/stream.jsonl.gz`) from the shared corpora.

The demo replays a week of customer posts about the fictional airline Skylot. Texts are real
posts from the labelled corpora, changed only to name the brand, to mask other people's handles
and to undo a known corruption in the airline corpus; authors, platforms, ids and times are
generated. Spam is the one wholly synthetic kind. A fixed seed makes the output byte-identical.

    python scripts/build_demo_stream.py [--data /work/shared/data] [--out PATH] [--summary]
"""

from __future__ import annotations

import argparse
import gzip
import random
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

import demo_stream_ids as ids
import demo_stream_pools as pools
import demo_stream_text as vocab
from demo_stream_people import People, Person

SEED = 20261109
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "src" / "mentiondesk" / "demo" / "stream.jsonl.gz"

# Root posts per language: (care, of which crisis, unrelated, spam, abuse).
PLAN = {"en": (860, 120, 112, 35, 40), "pl": (522, 72, 72, 22, 30), "it": (522, 72, 72, 22, 30)}
FOLLOW_UP_SHARE = 0.10
CROSS_PLATFORM_PEOPLE = 30

KIND_WEIGHTS = {"post": 68, "comment": 20, "dm": 12}
PLATFORMS_BY_KIND = {
    "post": {"x": 40, "facebook": 18, "instagram": 14, "mastodon": 6, "bluesky": 7,
             "reddit": 6, "forum": 5, "blog": 4},
    "comment": {"facebook": 50, "instagram": 35, "x": 10, "mastodon": 5},
    "dm": {"facebook": 40, "instagram": 30, "x": 30},
}
REWRITES = {
    "pl": {"direct": 32, "indirect": 18, "inflected": 20, "misspelled": 12, "hashtag": 18},
    "it": {"direct": 32, "indirect": 18, "inflected": 20, "misspelled": 12, "hashtag": 18},
    "en": {"direct": 45, "indirect": 22, "misspelled": 15, "hashtag": 18},
}
CRISIS_REWRITES = {"direct": 40, "hashtag": 35, "indirect": 25}
HANDLE_PLATFORMS = frozenset(vocab.DIRECT_HANDLES)


@dataclass
class Item:
    """One post being planned; text and ids are filled in once times are known."""

    lang: str
    row: pools.Row | None
    kind: str
    platform: str
    rewrite: str
    person: Person
    when: datetime = ids.START
    crisis: bool = False
    parent: Item | None = None
    text: str = ""
    post_id: str = ""
    conversation_id: str | None = None
    url: str | None = None
    spam_template: int = 0
    children: list[Item] = field(default_factory=list)

    @property
    def to_brand(self) -> bool:
        return self.kind in ("comment", "dm")

    def children_chain(self) -> list[Item]:
        """Follow-ups form a single chain: each replies to the one before."""
        chain: list[Item] = []
        node = self
        while node.children:
            node = node.children[0]
            chain.append(node)
        return chain


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def plan_roots(rng: random.Random, lang: str, drawer: pools.Drawer, people: People) -> list[Item]:
    """Lay out one language's root posts: care (some in the crisis), unrelated, spam, abuse."""
    care, crisis, unrelated, spam, abuse = PLAN[lang]
    items: list[Item] = []
    for n in range(care):
        in_crisis = n < crisis
        row = drawer.take(lang, "crisis" if in_crisis else "care")
        kind = pick(rng, KIND_WEIGHTS)
        platform = pick(rng, PLATFORMS_BY_KIND[kind])
        if kind != "post":
            rewrite = kind
        else:
            table = dict(CRISIS_REWRITES) if in_crisis else dict(REWRITES[lang])
            if lang != "en" and in_crisis:
                table["inflected"] = 15
            rewrite = pick(rng, table)
            if rewrite == "direct" and platform not in HANDLE_PLATFORMS:
                rewrite = "indirect"
        items.append(Item(lang, row, kind, platform, rewrite, people.new(lang), crisis=in_crisis))
    for _ in range(unrelated):
        platform = pick(rng, PLATFORMS_BY_KIND["post"])
        items.append(Item(lang, drawer.take(lang, "unrelated"), "post", platform, "unrelated",
                          people.new(lang)))
    for n in range(spam):
        kind = "comment" if n % 3 == 0 else "post"
        platform = rng.choice(("facebook", "instagram")) if kind == "comment" else rng.choice(
            ("x", "x", "instagram", "facebook"))
        item = Item(lang, None, kind, platform, "synthetic_spam", people.spammer(lang))
        item.spam_template = rng.randrange(len(vocab.SPAM[lang]))
        items.append(item)
    for n in range(abuse):
        kind = "comment" if n % 2 == 0 else "post"
        platform = pick(rng, PLATFORMS_BY_KIND["comment"]) if kind == "comment" else rng.choice(
            ("x", "x", "facebook"))
        items.append(Item(lang, drawer.take(lang, "abuse"), kind, platform, "abuse",
                          people.new(lang)))
    return items


def share_people(rng: random.Random, roots: list[Item]) -> None:
    """Let a few people post twice: some on a second platform, some again on the same one."""
    posts = [i for i in roots if i.kind == "post" and i.rewrite != "synthetic_spam"]
    rng.shuffle(posts)
    used: set[int] = set()
    moved = 0
    for first in posts:
        if moved >= CROSS_PLATFORM_PEOPLE or id(first) in used:
            continue
        for second in posts:
            if (id(second) not in used and second is not first and second.lang == first.lang
                    and second.platform != first.platform):
                second.person = first.person
                used.update((id(first), id(second)))
                moved += 1
                break


def add_follow_ups(rng: random.Random, roots: list[Item], drawer: pools.Drawer) -> list[Item]:
    """Authors who come back to their own thread with another real post."""
    eligible = [i for i in roots if i.rewrite not in ("synthetic_spam", "unrelated", "abuse")
                and i.platform != "blog"]
    chosen = rng.sample(eligible, round(len(eligible) * FOLLOW_UP_SHARE))
    added: list[Item] = []
    for root in chosen:
        parent = root
        for _ in range(2 if rng.random() < 0.2 else 1):
            kind_pool = "crisis" if root.crisis else "follow_up"
            child = Item(root.lang, drawer.take(root.lang, kind_pool), root.kind, root.platform,
                         "followup", root.person, crisis=root.crisis, parent=parent)
            parent.children.append(child)
            added.append(child)
            parent = child
    return added


def assign_times(rng: random.Random, roots: list[Item]) -> None:
    """Daily rhythm in each author's zone, plus the Saturday-afternoon crisis spike."""
    for item in roots:
        item.when = ids.crisis_time(rng) if item.crisis else ids.rhythm_time(rng, item.person.tz)
        parent = item
        for child in item.children_chain():
            child.when = ids.follow_up_time(rng, parent.when)
            parent = child


def weave(rng: random.Random, item: Item) -> str:
    """Name the brand in the post the way ``item.rewrite`` says."""
    if item.row is None:
        link = f"https://{rng.choice(vocab.SPAM_DOMAINS)}/{ids.token(rng, 6)}"
        return vocab.SPAM[item.lang][item.spam_template].format(link=link)
    lead, body = pools.split_lead(item.row.text)
    polarity = item.row.polarity
    gender = item.person.gender
    rewrite = item.rewrite
    handle = rng.choice(vocab.DIRECT_HANDLES.get(item.platform, {}).get(item.lang, ("Skylot",)))
    has_inner = pools.SLOT in body

    if rewrite == "direct" or (rewrite == "abuse" and item.kind == "post"):
        text = body.replace(pools.SLOT, handle, 1) if has_inner and not lead else f"{handle} {body}"
    elif rewrite in ("comment", "dm", "abuse"):
        text = body
    elif rewrite == "followup":
        text = body
        if item.platform in ("x", "mastodon") and item.kind == "post" and rng.random() < 0.5:
            text = f"{handle} {body}"
    elif rewrite == "unrelated":
        text = pools.frame(rng, vocab.FRAMES[item.lang]["unrelated"]["any"], body, "", gender)
    elif has_inner:
        form = {"hashtag": "#Skylot", "misspelled": rng.choice(vocab.MISSPELLINGS)}.get(
            rewrite, "Skylot")
        text = body.replace(pools.SLOT, form, 1)
    elif rewrite == "misspelled" and item.lang == "en" and lead and rng.random() < 0.4:
        typos = [m for m in vocab.MISSPELLINGS if m.replace(" ", "").lower() != "skylot"]
        typo = rng.choice(typos)
        text = "@" + typo.replace(" ", "").lower() + " " + body
    else:
        frames = vocab.FRAMES[item.lang]["indirect" if rewrite == "misspelled" else rewrite]
        brand = rng.choice(vocab.MISSPELLINGS) if rewrite == "misspelled" else "Skylot"
        text = pools.frame(rng, frames[polarity], body, brand, gender)
    return text.replace(pools.SLOT, "Skylot").strip()


def record(item: Item) -> dict[str, Any]:
    """The exact object the demo reads, one per line."""
    row = item.row
    source = row.source if row else "synthetic/spam"
    return {
        "platform": item.platform,
        "platform_post_id": item.post_id,
        "kind": item.kind,
        "conversation_id": item.conversation_id,
        "in_reply_to": item.parent.post_id if item.parent else None,
        "author_handle": item.person.handle(item.platform),
        "author_name": item.person.display_name(item.platform),
        "author_followers": item.person.followers(item.platform),
        "text": item.text,
        "created_at": item.when.astimezone(UTC).isoformat(timespec="seconds"),
        "url": item.url,
        "country": item.person.country,
        "to_brand": item.to_brand,
        "meta": {
            "source": source,
            "source_line": row.line if row else None,
            "source_label": row.label if row else "spam",
            "lang": item.lang,
            "rewrite": item.rewrite,
            "licence": vocab.LICENCES[source],
        },
    }


def build(data: Path, seed: int = SEED) -> list[dict[str, Any]]:
    """Every record of the stream, sorted by time."""
    rng = random.Random(seed)
    drawer = pools.Drawer.load(data, random.Random(seed + 1))
    people = People(random.Random(seed + 2))
    roots: list[Item] = []
    for lang in PLAN:
        roots += plan_roots(rng, lang, drawer, people)
    share_people(rng, roots)
    items = roots + add_follow_ups(rng, roots, drawer)
    assign_times(rng, roots)
    items = [i for i in items if i.when <= ids.END]
    items.sort(key=lambda i: (i.when, i.lang, i.platform))
    namer = ids.Namer(random.Random(seed + 3))
    for item in items:
        item.text = weave(rng, item)
        namer.name(item)
    return [record(i) for i in items]


def write(records: Sequence[dict[str, Any]], out: Path) -> None:
    """Gzip with a zero mtime so that rebuilding gives the same bytes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = b"".join(orjson.dumps(r) + b"\n" for r in records)
    with out.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                              compresslevel=9, mtime=0) as gz:
        gz.write(payload)


def summary(records: Sequence[dict[str, Any]]) -> str:
    """Markdown count tables for PROVENANCE.md."""
    lines = [f"Total posts: {len(records)}", ""]
    columns = {"language": ("meta", "lang"), "platform": ("platform",), "kind": ("kind",),
               "rewrite": ("meta", "rewrite"), "source": ("meta", "source")}
    for title, path in columns.items():
        counts = Counter(r[path[0]] if len(path) == 1 else r[path[0]][path[1]] for r in records)
        lines += [f"| {title} | posts | share |", "|---|---:|---:|"]
        lines += [f"| {k} | {v} | {v / len(records):.1%} |" for k, v in counts.most_common()]
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--summary", action="store_true", help="print count tables")
    args = parser.parse_args(argv)
    records = build(args.data, args.seed)
    write(records, args.out)
    print(f"wrote {len(records)} posts to {args.out} ({args.out.stat().st_size:,} bytes)")
    if args.summary:
        print(summary(records))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
