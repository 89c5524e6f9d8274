"""Times, platform ids, conversations and URLs for the demo stream.

Ids follow each platform's real shape (X and Mastodon snowflakes carry their timestamp, Bluesky
record keys are TIDs, Reddit ids are base36) so that connectors and the inbox see what they would
see live. URLs use the platforms' real paths; forums and blogs live under ``.example`` domains.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import demo_stream_text as vocab

WARSAW = ZoneInfo("Europe/Warsaw")
START = datetime(2026, 11, 9, tzinfo=WARSAW)  # Monday 00:00
END = datetime(2026, 11, 15, 23, 59, 59, tzinfo=WARSAW)  # Sunday 23:59:59
CRISIS_START = datetime(2026, 11, 14, 13, 0, tzinfo=WARSAW)  # Saturday: flights cancelled
# People post little at night and most late in the morning and in the evening.
HOUR_WEIGHTS = (2, 1, 1, 0.5, 0.5, 1, 2, 4, 6, 8, 10, 11, 10, 9, 8, 8, 9, 10, 11, 12, 11, 8, 5, 3)
DAY_WEIGHTS = (1.1, 1.0, 1.0, 1.0, 1.05, 0.9, 0.85)
X_EPOCH_MS = 1288834974657
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
BRAND_HANDLE = {"x": "skylot", "instagram": "skylot.official", "mastodon": "skylot"}
FB_PAGE_ID = "104839265517302"


def rhythm_time(rng: random.Random, tz: ZoneInfo) -> datetime:
    """A moment in the week, weighted by the hour of day in the author's own zone."""
    while True:
        day = rng.choices(range(7), DAY_WEIGHTS)[0]
        hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
        local = datetime(2026, 11, 9 + day, hour, rng.randrange(60), rng.randrange(60), tzinfo=tz)
        if START <= local <= END:
            return local.astimezone(UTC)


def crisis_time(rng: random.Random) -> datetime:
    """Saturday afternoon: complaints build from 13:00 and peak around 15:30."""
    minutes = rng.triangular(0, 420, 150)
    return (CRISIS_START + timedelta(minutes=minutes, seconds=rng.randrange(60))).astimezone(UTC)


def follow_up_time(rng: random.Random, after: datetime) -> datetime:
    """Authors come back minutes to hours later, rarely the next day."""
    minutes = min(max(3.0, math.exp(rng.gauss(math.log(40), 1.1))), 36 * 60)
    return after + timedelta(minutes=minutes, seconds=rng.randrange(60))


def token(rng: random.Random, n: int, alphabet: str = B64[:62]) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def digits(rng: random.Random, n: int, lead: str = "") -> str:
    return lead + "".join(rng.choice("0123456789") for _ in range(n - len(lead)))


def slug(text: str) -> str:
    """A URL slug from the opening words, as blogs and forums make them."""
    folded = unicodedata.normalize("NFKD", text.lower().replace("ł", "l"))
    words = re.findall(r"[a-z0-9]+", re.sub(r"https?://\S+|@\S+", " ", folded))
    return "-".join(words)[:48].strip("-") or "post"


class Namer:
    """Gives each planned post its platform id, conversation and URL, in time order."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._taken: set[tuple[str, str]] = set()
        self._brand_posts: dict[str, list[tuple[datetime, str, str]]] = {}
        # conversation id -> what replies need for their URL: subreddit, forum thread, shortcode
        self._threads: dict[str, str] = {}
        self._reddit_next = int("1gq4k7e", 36)
        self._forum_next = 4_182_000

    def _claim(self, platform: str, make: Any) -> str:
        while True:
            value = str(make())
            if (platform, value) not in self._taken:
                self._taken.add((platform, value))
                return value

    def _snowflake(self, platform: str, when: datetime) -> str:
        ms = int(when.timestamp() * 1000) + self._rng.randrange(1000)
        if platform == "x":
            return self._claim("x", lambda: ((ms - X_EPOCH_MS) << 22) | self._rng.getrandbits(22))
        return self._claim(platform, lambda: (ms << 16) | self._rng.getrandbits(16))

    def _tid(self, when: datetime) -> str:
        def make() -> str:
            value = (int(when.timestamp() * 1_000_000) + self._rng.randrange(1000)) << 10
            value |= self._rng.getrandbits(10)
            return "".join(TID_ALPHABET[(value >> (60 - 5 * i)) & 31] for i in range(13))

        return self._claim("bluesky", make)

    def _brand_post(self, platform: str, when: datetime) -> tuple[str, str]:
        """The brand's own post a comment sits under: a recent one before the comment."""
        if platform not in self._brand_posts:
            posts = []
            times = [datetime(2026, 11, 8, 17, tzinfo=WARSAW)]
            for day in range(9, 16):
                times += [datetime(2026, 11, day, 10, tzinfo=WARSAW),
                          datetime(2026, 11, day, 17, tzinfo=WARSAW)]
            times.append(datetime(2026, 11, 14, 14, 20, tzinfo=WARSAW))  # crisis statement
            for at in sorted(times):
                if platform == "facebook":
                    extra = self._claim("facebook", lambda: digits(self._rng, 16, "1"))
                    post_id = f"{FB_PAGE_ID}_{extra}"
                elif platform == "instagram":
                    post_id = self._claim("instagram", lambda: digits(self._rng, 19, "3"))
                    extra = token(self._rng, 11, B64)
                else:
                    post_id, extra = self._snowflake(platform, at), ""
                posts.append((at.astimezone(UTC), post_id, extra))
            self._brand_posts[platform] = posts
        earlier = [p for p in self._brand_posts[platform] if p[0] < when]
        chosen = earlier[-1] if self._rng.random() < 0.7 or len(earlier) < 2 else earlier[-2]
        return chosen[1], chosen[2]

    def name(self, item: Any) -> None:
        """Fill ``post_id``, ``conversation_id`` and ``url`` on ``item``."""
        platform, when, person, parent = item.platform, item.when, item.person, item.parent
        handle = person.handle(platform)
        rng = self._rng
        if item.kind == "dm":
            item.post_id = {
                "x": lambda: "dm-" + self._snowflake("x", when),
                "facebook": lambda: "m_" + self._claim("facebook", lambda: token(rng, 22, B64)),
                "instagram": lambda: "ig-dm-" + self._claim("instagram",
                                                            lambda: digits(rng, 19, "3")),
            }[platform]()
            item.conversation_id = parent.conversation_id if parent else (
                f"{platform}-dm-{person.rng_seed:x}")
            return
        root: str | None
        if item.kind == "comment" and parent is None:
            root, extra = self._brand_post(platform, when)
            item.conversation_id = root
            self._threads[root] = extra
        else:
            root = parent.conversation_id if parent else None
            extra = self._threads.get(root or "", "")
        item.post_id, item.url, thread = self._post_id_and_url(item, handle, root, extra)
        if item.conversation_id is None and platform != "blog":
            item.conversation_id = root or item.post_id
        if thread:
            self._threads[item.conversation_id or ""] = thread

    def _post_id_and_url(self, item: Any, handle: str, root: str | None,
                         extra: str) -> tuple[str, str, str]:
        """Id, URL, and for a new thread the key its replies need to build their URLs."""
        platform, when, rng = item.platform, item.when, self._rng
        if platform in ("x", "mastodon"):
            post_id = self._snowflake(platform, when)
            if platform == "x":
                return post_id, f"https://x.com/{handle}/status/{post_id}", ""
            user, instance = handle.split("@")
            return post_id, f"https://{instance}/@{user}/{post_id}", ""
        if platform == "bluesky":
            post_id = self._tid(when)
            return post_id, f"https://bsky.app/profile/{handle}/post/{post_id}", ""
        if platform == "facebook":
            if root is None:
                pid = self._claim("facebook", lambda: digits(rng, 16, "1"))
                user_id = item.person.rng_seed + 10**14
                return f"{user_id}_{pid}", f"https://www.facebook.com/{handle}/posts/{pid}", ""
            owner_id, pid = root.split("_")
            cid = self._claim("facebook", lambda: digits(rng, 15, "1"))
            owner = "Skylot" if owner_id == FB_PAGE_ID else handle
            url = f"https://www.facebook.com/{owner}/posts/{pid}?comment_id={cid}"
            return f"{pid}_{cid}", url, ""
        if platform == "instagram":
            if root is None:
                code = token(rng, 11, B64)
                post_id = self._claim("instagram", lambda: digits(rng, 19, "3"))
                return post_id, f"https://www.instagram.com/p/{code}/", code
            cid = self._claim("instagram", lambda: digits(rng, 17, "18"))
            return cid, f"https://www.instagram.com/p/{extra}/c/{cid}/", ""
        if platform == "reddit":
            self._reddit_next += rng.randrange(40, 400)
            b36 = to_base36(self._reddit_next)
            if root is None:
                sub = rng.choice(vocab.SUBREDDITS[item.lang])
                return f"t3_{b36}", f"https://www.reddit.com/r/{sub}/comments/{b36}/", (
                    f"{sub}/{b36}")
            sub, thread = extra.split("/")
            url = f"https://www.reddit.com/r/{sub}/comments/{thread}/comment/{b36}/"
            return f"t1_{b36}", url, ""
        if platform == "forum":
            self._forum_next += rng.randrange(3, 60)
            number = self._forum_next
            thread = f"{slug(item.text)}/{number}" if root is None else extra
            url = f"https://{vocab.FORUMS[item.lang]}/t/{thread}#post-{number}"
            return str(number), url, thread if root is None else ""
        site = re.sub(r"[^a-z0-9]+", "-", handle.lower()).strip("-")
        base = f"{site}/{slug(item.text)}"
        post_id = base
        while ("blog", post_id) in self._taken:
            post_id = f"{base}-{rng.randrange(2, 99)}"
        self._taken.add(("blog", post_id))
        return post_id, f"https://{site}.blog.example/2026/11/{post_id.split('/')[1]}/", ""


def to_base36(value: int) -> str:
    chars = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while value:
        value, rem = divmod(value, 36)
        out = chars[rem] + out
    return out or "0"
