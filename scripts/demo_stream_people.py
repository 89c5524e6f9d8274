"""Generated authors for the demo stream: names, per-platform handles, followers, home zone.

Names are drawn from common first names and surnames, so no real person is meant; follower
counts follow a long-tailed distribution, as on real platforms, where most people have a few
hundred followers and a handful have tens of thousands.
"""

from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import demo_stream_text as vocab

COUNTRIES = {"pl": (("PL", 90), ("GB", 6), (None, 4)), "it": (("IT", 90), ("GB", 5), (None, 5)),
             "en": (("GB", 60), ("US", 22), (None, 18))}
ZONES = {"PL": "Europe/Warsaw", "IT": "Europe/Rome", "GB": "Europe/London",
         "US": "America/New_York"}
DEFAULT_ZONE = {"pl": "Europe/Warsaw", "it": "Europe/Rome", "en": "Europe/London"}
SPAM_NAMES = {"pl": ("Tanie Loty 24", "Promocje Dnia", "Szybka Kasa"),
              "it": ("Offerte Voli", "Guadagno Facile", "Promo Viaggi"),
              "en": ("Travel Deals", "Cash From Home", "Follow Boost")}


def ascii_fold(text: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in "._"))


@dataclass
class Person:
    """One generated person; ``base`` is the handle they reuse, adapted to each platform."""

    lang: str
    gender: str
    first: str
    last: str
    base: str
    country: str | None
    rng_seed: int
    spam: bool = False
    _followers: dict[str, int] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(ZONES[self.country] if self.country else DEFAULT_ZONE[self.lang])

    def handle(self, platform: str) -> str:
        flat = self.base.replace(".", "_")
        if platform == "x":
            return flat[:15]
        if platform == "mastodon":
            instances = vocab.MASTODON_INSTANCES[self.lang]
            return f"{flat}@{instances[self.rng_seed % len(instances)]}"
        if platform == "bluesky":
            return f"{flat.replace('_', '-')}.bsky.social"
        if platform == "facebook":
            return f"{self.base.replace('_', '.')}.{self.rng_seed % 900 + 100}"
        return self.base if platform in ("instagram", "blog") else flat

    def display_name(self, platform: str) -> str:
        if self.spam:
            return self.last
        if platform in ("reddit", "forum"):
            return self.handle(platform)
        if platform in ("x", "mastodon", "bluesky") and self.rng_seed % 5 == 0:
            return f"{self.first} {self.last[0]}."
        return f"{self.first} {self.last}"

    def followers(self, platform: str) -> int:
        if platform not in self._followers:
            rng = random.Random(f"{self.rng_seed}:{platform}")
            if self.spam:
                count = int(math.exp(rng.gauss(3.0, 1.5)))
            else:
                count = int(math.exp(rng.gauss(5.0, 1.5)))
                if rng.random() < 0.015:
                    count *= rng.randint(20, 300)
            self._followers[platform] = min(count, 2_500_000)
        return self._followers[platform]


class People:
    """Makes people with handles unique across the stream."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._bases: set[str] = set()

    def _unique(self, base: str) -> str:
        base = base.lower()[:22].strip("._")
        while base in self._bases:
            base = f"{base[:19]}{self._rng.randrange(10, 999)}"
        self._bases.add(base)
        return base

    def new(self, lang: str) -> Person:
        rng = self._rng
        gender = rng.choice("mf")
        first = rng.choice(vocab.FIRST_NAMES[lang][gender == "f"])
        if lang == "pl":
            last = rng.choice(vocab.PL_SURNAMES)[gender == "f"]
        else:
            last = rng.choice(vocab.SURNAMES[lang])
        f, s = ascii_fold(first).lower(), ascii_fold(last).lower()
        word = rng.choice(vocab.HANDLE_WORDS[lang])
        yy = rng.randrange(60, 100) if rng.random() < 0.5 else rng.randrange(0, 10)
        base = rng.choice((f"{f}.{s}", f"{f}{s}{yy:02d}", f"{f}_{s[0]}", f"{f[0]}{s}",
                           f"{word}_{f}", f"{f}.{word}", f"{word}{rng.randrange(1, 999)}"))
        countries = COUNTRIES[lang]
        country = rng.choices([c for c, _ in countries], [w for _, w in countries])[0]
        return Person(lang, gender, first, last, self._unique(base), country,
                      rng.randrange(1 << 30))

    def spammer(self, lang: str) -> Person:
        rng = self._rng
        stem = rng.choice(vocab.SPAM_HANDLE_STEMS)
        base = self._unique(f"{stem}_{rng.choice(vocab.HANDLE_WORDS[lang])}{rng.randrange(1000)}")
        return Person(lang, "m", "", rng.choice(SPAM_NAMES[lang]), base, None,
                      rng.randrange(1 << 30), spam=True)
