"""The crisis detector: surges of negative posts against the usual for that hour of the week,
and single threads going viral."""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mentiondesk.analytics.crisis import (
    ALL_CHANNELS,
    AlertKind,
    CrisisConfig,
    CrisisDetector,
    Observation,
    poisson_threshold,
)

MONDAY = datetime(2026, 10, 5, 0, 0, tzinfo=UTC)  # a Monday, four weeks before the test week
WS = 1


def steady(
    start: datetime, weeks: int, per_hour: float, seed: int = 1, channel: str = "x"
) -> Iterator[Observation]:
    """Negative posts at ``per_hour`` (Poisson arrivals), every hour of ``weeks`` weeks."""
    rng = random.Random(seed)
    at, end, n = start, start + timedelta(weeks=weeks), 0
    while True:
        at += timedelta(seconds=rng.expovariate(per_hour / 3600))
        if at >= end:
            return
        n += 1
        yield Observation(at, WS, channel, f"{channel}-{seed}-{n}", negative=True)


def burst(start: datetime, count: int, every_s: float, prefix: str = "b") -> list[Observation]:
    return [
        Observation(start + timedelta(seconds=i * every_s), WS, "x", f"{prefix}{i}", negative=True)
        for i in range(count)
    ]


def primed(per_hour: float = 2.0, *, all_channels: bool = False) -> CrisisDetector:
    detector = CrisisDetector(CrisisConfig(all_channels=all_channels))
    detector.prime(steady(MONDAY, 4, per_hour))
    return detector


def feed(detector: CrisisDetector, observations: list[Observation]) -> list:
    alerts = []
    for obs in sorted(observations, key=lambda o: o.at):
        alerts += detector.observe(obs)
    return alerts


def test_the_poisson_threshold_is_the_first_count_rare_enough() -> None:
    for expected in (0.01, 0.5, 3.0, 20.0):
        k = poisson_threshold(expected, 1e-6, 1)
        tail = 1 - sum(math.exp(-expected) * expected**i / math.factorial(i) for i in range(k))
        below = tail + math.exp(-expected) * expected ** (k - 1) / math.factorial(k - 1)
        assert tail <= 1e-6 < below
    assert poisson_threshold(0.0, 1e-6, 5) == 5  # the minimum count holds on a silent channel


def test_a_surge_of_negative_posts_raises_an_alert_within_a_minute_naming_its_posts() -> None:
    detector = primed()
    onset = MONDAY + timedelta(weeks=4, days=2, hours=14, minutes=7)
    spike = burst(onset, 12, every_s=5)
    alerts = feed(detector, list(steady(MONDAY + timedelta(weeks=4), 1, 2.0, seed=9)) + spike)
    volume = [a for a in alerts if a.kind is AlertKind.VOLUME]
    assert len(volume) == 1
    alert = volume[0]
    assert onset <= alert.at <= onset + timedelta(seconds=60)
    assert alert.onset >= onset - timedelta(minutes=15)
    assert set(alert.posts) >= {p.post_id for p in spike if p.at <= alert.at}
    assert alert.observed >= alert.threshold > alert.expected


def test_a_steady_week_raises_nothing() -> None:
    detector = primed()
    assert feed(detector, list(steady(MONDAY + timedelta(weeks=4), 1, 2.0, seed=5))) == []


def test_the_baseline_knows_the_hour_of_the_week() -> None:
    """A channel that is busy every Monday morning is not in crisis on Monday morning; the
    same volume at 3 a.m. on a Sunday is a crisis."""
    detector = CrisisDetector(CrisisConfig(all_channels=False))
    history = []
    for week in range(4):
        rush = MONDAY + timedelta(weeks=week, hours=9)
        history += burst(rush, 60, every_s=60, prefix=f"w{week}-")
    history += list(steady(MONDAY, 4, 0.5, seed=3))
    detector.prime(sorted(history, key=lambda o: o.at))
    monday_rush = MONDAY + timedelta(weeks=4, hours=9)
    assert feed(detector, burst(monday_rush, 60, every_s=60, prefix="m")) == []
    sunday_night = MONDAY + timedelta(weeks=4, days=6, hours=3)
    alerts = feed(detector, burst(sunday_night, 60, every_s=60, prefix="s"))
    assert [a.kind for a in alerts] == [AlertKind.VOLUME]


def test_a_long_crisis_alerts_once_and_does_not_become_the_usual() -> None:
    detector = primed()
    saturday = MONDAY + timedelta(weeks=4, days=5, hours=18)
    alerts = feed(detector, burst(saturday, 240, every_s=15, prefix="a"))  # an hour of it
    assert len(alerts) == 1
    next_saturday = saturday + timedelta(weeks=1)
    detector.tick(next_saturday)
    again = feed(detector, burst(next_saturday, 40, every_s=15, prefix="c"))
    assert [a.kind for a in again] == [AlertKind.VOLUME]


def test_channels_and_workspaces_are_counted_apart() -> None:
    detector = primed()
    at = MONDAY + timedelta(weeks=4, hours=12)
    spread = [
        Observation(at + timedelta(seconds=i), ws, channel, f"{ws}{channel}{i}", negative=True)
        for i, (ws, channel) in enumerate([(1, "facebook"), (2, "x"), (1, "instagram")] * 2)
    ]
    assert feed(detector, spread) == []


def test_a_surge_spread_over_every_channel_alerts_on_all_channels_together() -> None:
    detector = CrisisDetector()
    channels = ("x", "facebook", "instagram", "mastodon")
    detector.prime(
        heapq.merge(
            *(steady(MONDAY, 4, 0.5, seed=i, channel=c) for i, c in enumerate(channels)),
            key=lambda o: o.at,
        )
    )
    at = MONDAY + timedelta(weeks=4, days=5, hours=15)
    spread = [
        Observation(at + timedelta(seconds=12 * i), WS, channel, f"s{i}", negative=True)
        for i, channel in enumerate(["x", "facebook", "instagram", "mastodon"] * 3)
    ]
    alerts = feed(detector, spread)
    assert [(a.kind, a.channel) for a in alerts] == [(AlertKind.VOLUME, ALL_CHANNELS)]
    assert set(alerts[0].posts) <= {p.post_id for p in spread}


def test_positive_posts_do_not_count() -> None:
    detector = primed()
    at = MONDAY + timedelta(weeks=4, hours=12)
    praise = [
        Observation(at + timedelta(seconds=i), WS, "x", f"p{i}", negative=False) for i in range(50)
    ]
    assert feed(detector, praise) == []


def test_one_thread_going_viral_raises_a_viral_alert_with_its_thread() -> None:
    detector = primed()
    at = MONDAY + timedelta(weeks=4, days=1, hours=10)
    replies = [
        Observation(at + timedelta(seconds=10 * i), WS, "x", f"r{i}", False, "thread-9", True)
        for i in range(20)
    ]
    alerts = feed(detector, replies)
    assert [(a.kind, a.thread) for a in alerts] == [(AlertKind.VIRAL, "thread-9")]
    assert alerts[0].at <= at + timedelta(seconds=150)
    assert "r0" in alerts[0].posts


def test_a_thread_that_grows_slowly_is_not_viral() -> None:
    detector = primed()
    at = MONDAY + timedelta(weeks=4, days=1, hours=10)
    replies = [
        Observation(at + timedelta(seconds=90 * i), WS, "x", f"r{i}", False, "thread-1", True)
        for i in range(100)
    ]
    assert feed(detector, replies) == []


def test_engagement_counts_reported_by_the_platform_count_as_growth() -> None:
    detector = CrisisDetector(CrisisConfig(viral_min=100))
    at = MONDAY + timedelta(weeks=4)
    assert detector.observe_engagement(at, WS, "x", "post-1", 40) == []
    assert detector.observe_engagement(at + timedelta(minutes=12), WS, "x", "post-1", 60) == []
    alerts = detector.observe_engagement(at + timedelta(minutes=14), WS, "x", "post-1", 200)
    assert [(a.kind, a.observed) for a in alerts] == [
        (AlertKind.VIRAL, 160)
    ]  # 20 + 140 in the last 10 min


@pytest.mark.parametrize("zone", ["Europe/Warsaw", "America/New_York"])
def test_the_hour_of_the_week_is_local_to_the_workspace(zone: str) -> None:
    detector = CrisisDetector(CrisisConfig(all_channels=False), time_zones={WS: zone})
    history = []
    for week in range(4):
        # 9:00 local on Mondays, whatever that is in UTC
        local = datetime(2026, 10, 5, 9, tzinfo=ZoneInfo(zone)) + timedelta(weeks=week)
        history += burst(local.astimezone(UTC), 60, every_s=60, prefix=f"w{week}-")
    detector.prime(sorted(history, key=lambda o: o.at))
    rush = datetime(2026, 11, 2, 9, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    assert feed(detector, burst(rush, 60, every_s=60, prefix="m")) == []


def ordinary_weeks(start: datetime, weeks: int, seed: int) -> Iterator[Observation]:
    """Negative posts with busy days (20 an hour, 9:00-21:00) and quiet nights (1 an hour),
    each in its own conversation: Poisson arrivals thinned from the busiest rate."""
    rng = random.Random(seed)
    at, end, n = start, start + timedelta(weeks=weeks), 0
    while True:
        at += timedelta(seconds=rng.expovariate(20 / 3600))
        if at >= end:
            return
        if 9 <= at.hour < 21 or rng.random() < 1 / 20:
            n += 1
            yield Observation(at, WS, "x", f"o{seed}-{n}", negative=True)


def test_a_small_surge_is_raised_within_a_minute_though_the_old_windows_miss_it() -> None:
    """Four complaints a minute from separate people, on a channel that usually has two an
    hour: too few for the volume windows' thresholds in the first minute, rare enough for the
    surge rule."""
    onset = MONDAY + timedelta(weeks=4, days=5, hours=19, minutes=30)  # a Saturday evening
    small = [
        Observation(onset + timedelta(seconds=15 * i), WS, "x", f"s{i}", negative=True)
        for i in range(40)
    ]
    ordinary = list(steady(MONDAY + timedelta(weeks=4), 1, 2.0, seed=9))
    without_rule = CrisisDetector(CrisisConfig(all_channels=False, surge_windows_s=()))
    without_rule.prime(steady(MONDAY, 4, 2.0))
    late = [a for a in feed(without_rule, ordinary + small) if a.kind is AlertKind.VOLUME]
    assert late and late[0].at > onset + timedelta(seconds=60)

    alerts = [a for a in feed(primed(), ordinary + small) if a.kind is AlertKind.VOLUME]
    assert len(alerts) == 1
    alert = alerts[0]
    assert onset <= alert.at <= onset + timedelta(seconds=60)
    assert alert.window_s == 60.0
    assert {"s0", "s1", "s2", "s3"} <= set(alert.posts)


def test_one_conversation_going_back_and_forth_is_not_a_surge() -> None:
    detector = primed()
    at = MONDAY + timedelta(weeks=4, days=2, hours=11)
    chat = [
        Observation(at + timedelta(seconds=12 * i), WS, "x", f"c{i}", True, "thread-3", i > 0)
        for i in range(4)
    ]
    assert feed(detector, chat) == []
    others = [
        Observation(at + timedelta(minutes=90, seconds=12 * i), WS, "x", f"d{i}", negative=True)
        for i in range(4)
    ]
    assert [a.kind for a in feed(detector, others)] == [AlertKind.VOLUME]


def test_ordinary_weeks_with_busy_days_and_quiet_nights_raise_nothing() -> None:
    detector = CrisisDetector(CrisisConfig(all_channels=False))
    detector.prime(ordinary_weeks(MONDAY, 4, seed=1))
    assert feed(detector, list(ordinary_weeks(MONDAY + timedelta(weeks=4), 1, seed=2))) == []


def test_the_surge_rule_keeps_to_its_false_alarm_budget() -> None:
    """Under the usual rates the expected false alarms are at most ``surge_alarms_per_week``
    a week on a stream; over twelve ordinary weeks that is at most 2.4 in all."""
    config = CrisisConfig(all_channels=False)
    detector = CrisisDetector(config)
    detector.prime(ordinary_weeks(MONDAY, 4, seed=3))
    weeks = 12
    alerts = feed(detector, list(ordinary_weeks(MONDAY + timedelta(weeks=4), weeks, seed=4)))
    assert len(alerts) <= config.surge_alarms_per_week * weeks
