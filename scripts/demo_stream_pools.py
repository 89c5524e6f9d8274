"""Real posts for the demo stream, read from the shared corpora and sorted into pools.

Each pool is ordered by how plausible its posts are for an airline's care desk, so a build takes
the most fitting ones first. Other people's handles are replaced by stable pseudonyms here, before
any text leaves this module; the brand is woven in later.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import demo_stream_text as vocab
import orjson

SLOT = "\ue000"  # where an English post named its real airline; becomes a Skylot form
POLARITY = {"negative": "neg", "complaint": "neg", "harmful": "neg", "positive": "pos"}
CRISIS_REASONS = frozenset({"Cancelled Flight", "Lost Luggage", "Late Flight", "Damaged Luggage",
                            "Flight Booking Problems"})
FALLBACK = {"crisis": ("care",), "follow_up": ("care",), "care": ("follow_up",)}

_MENTION = re.compile(r"(?<![\w.])@(\w{1,30})")
_PLACEHOLDER = re.compile(r"\{USERNAME\}|\[pseudonym\]|@anonymized_account\b|@user\b|@USER\b")
_LEAD = re.compile(rf"^(?:(?:@[\w.]+|{SLOT})[:,]?\s+)+")
_GENDERED = re.compile(r"\[([^|\]]+)\|([^\]]+)\]")
_RETWEET = re.compile(r"(^|\s)RT\b|^\"@")
_NORMAL = re.compile(r"@\w+|https?://\S+|\W+")


@dataclass(frozen=True, slots=True)
class Row:
    """A prepared corpus post: where it came from and its text, handles already masked."""

    source: str
    line: int
    lang: str
    label: str
    text: str

    @property
    def polarity(self) -> str:
        return POLARITY.get(self.label, "neu")


def split_lead(text: str) -> tuple[str, str]:
    """The run of @-mentions a reply opens with, and the rest of the post."""
    match = _LEAD.match(text)
    return (match.group(0), text[match.end():]) if match else ("", text)


def frame(rng: random.Random, options: Iterable[str], text: str, brand: str, gender: str) -> str:
    """Put ``text`` into one of ``options``, agreeing the frame's verbs with the author."""
    chosen = rng.choice(list(options))
    chosen = _GENDERED.sub(lambda m: m.group(1 if gender == "m" else 2), chosen)
    return chosen.replace("{b}", brand).replace("{t}", text.strip())


class Masker:
    """Stable pseudonyms for real handles; anonymised placeholders get a fresh one each time."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._seen: dict[str, str] = {}

    def _fresh(self) -> str:
        words = [w for group in vocab.HANDLE_WORDS.values() for w in group]
        first, second = self._rng.sample(words, 2)
        return f"@{first}_{second}{self._rng.randrange(10, 999)}"

    def __call__(self, text: str) -> str:
        text = _PLACEHOLDER.sub(lambda _: self._fresh(), text)

        def stable(match: re.Match[str]) -> str:
            key = match.group(1).lower()
            if key not in self._seen:
                self._seen[key] = self._fresh()
            return self._seen[key]

        return _MENTION.sub(stable, text)


def read(data: Path, source: str) -> Iterable[tuple[int, dict[str, object]]]:
    with (data / f"{source}.jsonl").open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            yield number, orjson.loads(line)


def ranked(rng: random.Random, rows: list[Row], score: Callable[[Row], float]) -> list[Row]:
    """Best first; ties broken at random so the corpus order leaks into nothing."""
    keyed = [(score(r), rng.random(), r) for r in rows]
    keyed.sort(key=lambda k: (-k[0], k[1]))
    return [k[2] for k in keyed]


def interleave(rng: random.Random, groups: list[tuple[list[Row], float]]) -> list[Row]:
    """Shuffle each group and deal from them by weight, so any prefix keeps the mix."""
    decks = [(rng.sample(rows, len(rows)), weight) for rows, weight in groups]
    out: list[Row] = []
    while any(deck for deck, _ in decks):
        live = [(deck, weight) for deck, weight in decks if deck]
        deck = rng.choices([d for d, _ in live], [w for _, w in live])[0]
        out.append(deck.pop())
    return out


def body_ok(text: str, lo: int = 15, hi: int = 280) -> bool:
    """Long enough to say something once the opening mentions go, and not mangled."""
    body = split_lead(text)[1]
    return lo <= len(body) <= hi and "\ufffd" not in text


def english(data: Path, rng: random.Random, mask: Masker) -> dict[str, list[Row]]:
    """Airline tweets with the airline as a slot, plus complaints, chatter and abuse."""
    airline: list[tuple[Row, str | None]] = []
    for line, obj in read(data, "sentiment/en-airline2015"):
        text = str(obj["text"])
        for broken, word in vocab.EN_AIRLINE_REPAIRS:
            text = text.replace(broken, word)
        text = vocab.EN_AIRLINE_HANDLES.sub(SLOT, text)
        text = re.sub(rf"{SLOT}(\s+{SLOT})+", SLOT, text)
        if (SLOT not in text or vocab.EN_OTHER_AIRLINES.search(text)
                or vocab.US_PLACES.search(text) or _RETWEET.search(text) or not body_ok(text)):
            continue
        row = Row("sentiment/en-airline2015", line, "en", str(obj["label"]), mask(text))
        airline.append((row, obj.get("negativereason")))  # type: ignore[arg-type]

    complaints: list[Row] = []
    chatter: list[Row] = []
    for line, obj in read(data, "complaint/en-complaints2019"):
        text, label, domain = str(obj["text"]), str(obj["label"]), obj["domain"]
        if domain in ("random_tweet", "random_reply"):
            masked = mask(text)
            if not _RETWEET.search(text) and body_ok(masked, 30):
                chatter.append(Row("complaint/en-complaints2019", line, "en", label, masked))
            continue
        text = vocab.EN_AIRLINE_HANDLES.sub(SLOT, text)
        if SLOT not in text:  # the complained-to company is the first handle named
            text = _MENTION.sub(SLOT, text, count=1)
        if (not vocab.EN_CARE_WORDS.search(text) or vocab.EN_NOT_AIRLINE.search(text)
                or vocab.EN_OTHER_AIRLINES.search(text)):
            continue
        if SLOT in text and body_ok(text):
            complaints.append(Row("complaint/en-complaints2019", line, "en", label, mask(text)))

    abuse = []
    for line, obj in read(data, "harmful/en-tweeteval_offensive"):
        text = re.sub(r"\bURL\b", "", str(obj["text"])).strip()
        if (obj["label"] == "harmful" and not vocab.SLURS.search(text)
                and not vocab.EN_POLITICS.search(text) and body_ok(text, 20, 200)):
            abuse.append(Row("harmful/en-tweeteval_offensive", line, "en", "harmful", mask(text)))

    by_label = {label: [r for r, _ in airline if r.label == label]
                for label in ("negative", "neutral", "positive")}
    care = interleave(rng, [(by_label["negative"], 56), (by_label["neutral"], 20),
                            (by_label["positive"], 16), (complaints, 8)])
    return {
        "care": care,
        "crisis": ranked(rng, [r for r, why in airline if why in CRISIS_REASONS], lambda r: 0),
        "follow_up": ranked(rng, [r for r, _ in airline if r.label != "positive"], lambda r: 0),
        "unrelated": ranked(rng, chatter, lambda r: 0),
        "abuse": ranked(rng, abuse, lambda r: -len(r.text)),
    }


def european(data: Path, rng: random.Random, mask: Masker, *, lang: str,
             general: Iterable[str], harmful: Iterable[str]) -> dict[str, list[Row]]:
    """Polish or Italian posts: travel-flavoured ones for care, political ones for chatter."""
    travel, generic, politics = vocab.TRAVEL[lang], vocab.GENERIC[lang], vocab.POLITICS[lang]
    not_ours = vocab.NOT_OURS[lang]
    care: list[Row] = []
    chatter: list[Row] = []
    abuse: list[Row] = []
    for source in general:
        for line, obj in read(data, source):
            text = str(obj["text"])
            if _RETWEET.search(text) or not body_ok(text, 20) or not_ours.search(text):
                continue
            row = Row(source, line, lang, str(obj["label"]), mask(text))
            (chatter if politics.search(text) else care).append(row)
    for source in harmful:
        for line, obj in read(data, source):
            text, label = str(obj["text"]), str(obj["label"])
            if (not body_ok(text, 12, 220) or politics.search(text) or vocab.SLURS.search(text)
                    or not_ours.search(text)):
                continue
            row = Row(source, line, lang, label, mask(text))
            if label == "harmful":
                abuse.append(row)
            elif label == "not_harmful" and travel.search(text):
                care.append(row)

    def fit(row: Row) -> float:
        score = 3.0 * bool(travel.search(row.text)) + bool(generic.search(row.text))
        return score - 0.5 * ("http" in row.text) + rng.random()

    negatives = [r for r in care if r.polarity == "neg"]
    return {
        "care": ranked(rng, care, fit),
        "crisis": ranked(rng, negatives, fit),
        "follow_up": ranked(rng, negatives, fit),
        "unrelated": ranked(rng, chatter, lambda r: 0),
        "abuse": ranked(rng, abuse, lambda r: ("@" in r.text[:3]) - len(r.text) / 400),
    }


class Drawer:
    """Hands out each corpus line and each distinct text at most once."""

    def __init__(self, pools: dict[str, dict[str, list[Row]]]) -> None:
        self._pools = pools
        self._cursor: dict[tuple[str, str], int] = {}
        self._used: set[tuple[str, int]] = set()
        self._texts: set[str] = set()

    @classmethod
    def load(cls, data: Path, rng: random.Random) -> Drawer:
        mask = Masker(rng)
        return cls({
            "en": english(data, rng, mask),
            "pl": european(data, rng, mask, lang="pl", general=["sentiment/pl-mozetic2016"],
                           harmful=["harmful/pl-banpl"]),
            "it": european(data, rng, mask, lang="it",
                           general=["sentiment/it-sentipolc2016", "sentiment/it-umsab"],
                           harmful=["harmful/it-haspeede2018_tw", "harmful/it-haspeede2018_fb"]),
        })

    def take(self, lang: str, pool: str) -> Row:
        for name in (pool, *FALLBACK.get(pool, ())):
            rows = self._pools[lang][name]
            at = self._cursor.get((lang, name), 0)
            while at < len(rows):
                row = rows[at]
                at += 1
                norm = _NORMAL.sub(" ", row.text.lower()).strip()
                if (row.source, row.line) in self._used or norm in self._texts:
                    continue
                self._cursor[(lang, name)] = at
                self._used.add((row.source, row.line))
                self._texts.add(norm)
                return row
            self._cursor[(lang, name)] = at
        raise LookupError(f"the {lang} {pool} pool ran dry")

    def sizes(self) -> dict[str, dict[str, int]]:
        return {lang: {k: len(v) for k, v in p.items()} for lang, p in self._pools.items()}
