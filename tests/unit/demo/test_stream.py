"""The bundled demo stream keeps the promises the demo and its users rely on."""

from __future__ import annotations

import gzip
import re
from collections import Counter
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import pytest

WARSAW = ZoneInfo("Europe/Warsaw")
KEYS = {
    "platform",
    "platform_post_id",
    "kind",
    "conversation_id",
    "in_reply_to",
    "author_handle",
    "author_name",
    "author_followers",
    "text",
    "created_at",
    "url",
    "country",
    "to_brand",
    "meta",
}
META_KEYS = {"source", "source_line", "source_label", "lang", "rewrite", "licence"}
PLATFORMS = {"facebook", "instagram", "x", "mastodon", "bluesky", "reddit", "blog", "forum"}
ANY_BRAND = re.compile(r"sky\s?(l{1,2}ott?|ot|lto|loc)", re.I)
OFFICIAL_HANDLES = re.compile(
    r"@(skylot|SkylotPL|SkylotIT|skylot\.official|Skylot|skylot@mastodon\.social)(?![\w@]|\.\w)"
)
INFLECTED = re.compile(r"Skylot(em|u|owi)\b|Skylocie|\b(con|da|di|a) Skylot\b")
REAL_AIRLINES = re.compile(
    r"@(united|americanair|southwestair|jetblue|usairways|virginamerica|delta)\b", re.I
)
UNRESOLVED_PLACEHOLDERS = re.compile(
    r"\{USERNAME\}|\[pseudonym\]|@anonymized_account|@user\b", re.I
)


@cache
def stream() -> tuple[dict[str, Any], ...]:
    blob = resources.files("mentiondesk.demo").joinpath("stream.jsonl.gz").read_bytes()
    return tuple(orjson.loads(line) for line in gzip.decompress(blob).splitlines())


def when(post: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(post["created_at"])


def test_the_file_stays_small_enough_to_ship() -> None:
    blob = resources.files("mentiondesk.demo").joinpath("stream.jsonl.gz").read_bytes()
    assert len(blob) < 1_000_000


def test_it_holds_enough_posts_in_exactly_the_documented_shape() -> None:
    posts = stream()
    assert len(posts) >= 2000
    for post in posts:
        assert set(post) == KEYS
        assert set(post["meta"]) == META_KEYS
        assert post["platform"] in PLATFORMS
        assert post["kind"] in {"post", "comment", "dm"}
        assert isinstance(post["author_followers"], int) and post["author_followers"] >= 0
        assert post["country"] in {"PL", "IT", "GB", "US", None}
        assert post["text"].strip()


@pytest.mark.parametrize("lang", ["pl", "it", "en"])
def test_each_language_is_at_least_a_quarter(lang: str) -> None:
    langs = Counter(p["meta"]["lang"] for p in stream())
    assert langs[lang] / len(stream()) >= 0.25


def test_ids_are_unique_per_platform() -> None:
    keys = [(p["platform"], p["platform_post_id"]) for p in stream()]
    assert len(keys) == len(set(keys))


def test_timestamps_are_aware_sorted_and_span_the_demo_week() -> None:
    times = [when(p) for p in stream()]
    assert all(t.utcoffset() == timedelta(0) for t in times)
    assert times == sorted(times)
    first, last = times[0].astimezone(WARSAW), times[-1].astimezone(WARSAW)
    assert first >= datetime(2026, 11, 9, tzinfo=WARSAW)
    assert last < datetime(2026, 11, 16, tzinfo=WARSAW)
    weekdays = {t.astimezone(WARSAW).weekday() for t in times}
    assert {5, 6} <= weekdays  # Saturday and Sunday


def test_nights_are_quiet_and_saturday_afternoon_spikes() -> None:
    local = [when(p).astimezone(WARSAW) for p in stream()]
    night = sum(3 <= t.hour < 6 for t in local)
    late_morning = sum(10 <= t.hour < 13 for t in local)
    assert night * 5 < late_morning
    afternoon = Counter(t.day for t in local if 13 <= t.hour < 20)
    saturday = afternoon.pop(14)
    assert saturday > 2.5 * max(afternoon.values())


def test_follow_ups_answer_an_earlier_post_by_the_same_author_in_the_same_thread() -> None:
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    follow_ups = 0
    for post in stream():
        if post["in_reply_to"] is not None:
            parent = seen.get((post["platform"], post["in_reply_to"]))
            assert parent is not None, post["platform_post_id"]
            assert parent["conversation_id"] == post["conversation_id"] is not None
            assert parent["author_handle"] == post["author_handle"]
            follow_ups += 1
        seen[(post["platform"], post["platform_post_id"])] = post
    assert follow_ups >= 100


def test_comments_and_dms_are_the_ones_addressed_to_the_brand() -> None:
    for post in stream():
        assert post["to_brand"] is (post["kind"] in {"comment", "dm"})
        if post["kind"] == "dm":
            assert post["url"] is None and post["conversation_id"]


def test_every_post_names_the_brand_unless_its_context_already_does() -> None:
    for post in stream():
        rewrite = post["meta"]["rewrite"]
        if post["to_brand"] or post["in_reply_to"] or rewrite == "synthetic_spam":
            continue
        assert ANY_BRAND.search(post["text"]), post["text"]


def test_each_rewrite_names_the_brand_the_way_it_claims() -> None:
    by_rewrite: dict[str, list[str]] = {}
    for post in stream():
        by_rewrite.setdefault(post["meta"]["rewrite"], []).append(post["text"])
    assert {
        "direct",
        "indirect",
        "inflected",
        "misspelled",
        "hashtag",
        "unrelated",
        "synthetic_spam",
        "abuse",
        "comment",
        "dm",
        "followup",
    } <= set(by_rewrite)
    assert all(OFFICIAL_HANDLES.search(t) for t in by_rewrite["direct"])
    assert all(INFLECTED.search(t) for t in by_rewrite["inflected"])
    assert all("#Skylot" in t for t in by_rewrite["hashtag"])
    assert not any(re.search(r"\bSkylot\b", t) for t in by_rewrite["misspelled"])
    assert not any("all'Skylot" in t for texts in by_rewrite.values() for t in texts)
    unrelated_share = len(by_rewrite["unrelated"]) / len(stream())
    assert 0.05 <= unrelated_share <= 0.15


def test_real_handles_and_corpus_placeholders_never_reach_the_stream() -> None:
    for post in stream():
        assert not REAL_AIRLINES.search(post["text"]), post["text"]
        assert not UNRESOLVED_PLACEHOLDERS.search(post["text"]), post["text"]


def test_provenance_points_at_a_corpus_line_except_for_synthetic_spam() -> None:
    for post in stream():
        meta = post["meta"]
        assert meta["licence"]
        if meta["rewrite"] == "synthetic_spam":
            assert meta["source"].startswith("synthetic/") and meta["source_line"] is None
        else:
            assert re.fullmatch(r"(sentiment|complaint|harmful)/(pl|it|en)-\w+", meta["source"])
            assert isinstance(meta["source_line"], int) and meta["source_line"] >= 1
            assert meta["source"].split("/")[1][:2] == meta["lang"]


def test_platform_mix_leans_on_the_big_three_but_uses_them_all() -> None:
    platforms = Counter(p["platform"] for p in stream())
    assert set(platforms) == PLATFORMS
    big_three = platforms["x"] + platforms["facebook"] + platforms["instagram"]
    assert big_three / len(stream()) >= 0.7
