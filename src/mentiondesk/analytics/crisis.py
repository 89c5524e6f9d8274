"""Crisis detection on a stream of posts: a pure, streaming detector.

Crises break out when nobody is watching (a Saturday afternoon), so the desk must notice a
surge of negative posts and complaints itself, within a minute of its onset, and say which
posts caused the alert. Three rules, per workspace and channel:

* **Volume** (per channel, and over all the workspace's channels together):
  negative posts and complaints counted in sliding windows of 1, 5 and 15 minutes
  are held against what that hour of the week usually brings. The usual rate is robust: per
  hour of the week (in the workspace's time zone) the counts of the last weeks and of the two
  neighbouring hours, of which the median and the mean without the largest are taken, the
  larger of the two, never below a floor; until a few weeks are known the channel's overall
  hourly rate (an EWMA) stands in. A window alarms when its count reaches the smallest
  ``k`` with P(Poisson(λ·dispersion) ≥ k) ≤ ``alpha`` and at least ``min_count``. The short
  window raises big surges fast; the long ones catch slower ones.
* **Surge** (same streams, same baseline): a small surge (a few posts a minute) stays under
  those thresholds for minutes, so each negative post that opens a new conversation in the
  last ``surge_windows_s`` also asks how rare its company is: with ``n`` conversations in the
  window, P(Poisson(λ·w) ≥ n - 1) ≤ β and n ≥ ``surge_min_count`` raise an alert (the
  post itself is given: the tail is of the others). β is not guessed but spent from a
  budget: by Palm's formula the expected number of false alarms a week under the usual rate is
  at most β × windows × the negative posts the stream usually gets in a week (the sum of its
  hour-of-week profile), so β = ``surge_alarms_per_week`` / (windows × that sum), per stream.
  Conversations, not posts, are counted: one angry back-and-forth is not a crisis (a single
  thread that takes off is the viral rule's).
* **Viral**: one thread whose replies and shares grow fast: at least ``viral_min`` in the last
  ``viral_window`` and ``viral_growth`` times as many as in the window before. Activity comes
  from replies seen in the stream and from engagement counts a platform reports for a post.

After an alert, its workspace and channel (or thread) stay quiet for ``cooldown``; hours
under alert enter the baseline clipped, so a crisis does not teach the detector that crises
are normal. ``prime`` learns past weeks as they were, unclipped: a weekly rush in the history is
the usual, not a crisis.

Everything here is pure: callers hand in observations in time order (``observe``,
``observe_engagement``) and advance time with ``tick``; nothing reads a clock or a database.

Wired in ``crisis_watch.py``: the ``PostReceived`` handler feeds each stored post to one
long-lived detector per workspace, primed from the last weeks of posts at start; each
:class:`Alert` is recorded and told to the on-call rota (``alerts.py``).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from statistics import median
from zoneinfo import ZoneInfo

__all__ = [
    "ALL_CHANNELS",
    "Alert",
    "AlertKind",
    "CrisisConfig",
    "CrisisDetector",
    "Observation",
    "poisson_threshold",
]

HOURS_PER_WEEK = 7 * 24
ALL_CHANNELS = "*"
"""The channel name of alerts on a workspace's channels added together: a crisis that spreads
over every channel may stay under each one's threshold."""


class AlertKind(StrEnum):
    VOLUME = "volume"
    VIRAL = "viral"


@dataclass(frozen=True, slots=True)
class Observation:
    """One post as the detector sees it: its labels reduced to "negative or a complaint"."""

    at: datetime
    workspace_id: int
    channel: str
    post_id: str
    negative: bool
    thread: str | None = None  # the conversation a reply or share belongs to
    is_reply: bool = False


@dataclass(frozen=True, slots=True)
class Alert:
    kind: AlertKind
    workspace_id: int
    channel: str
    at: datetime  # when it was raised
    onset: datetime  # the first post of the window that raised it
    observed: int
    expected: float  # in that window (volume) or the window before (viral)
    threshold: int
    window_s: float
    posts: tuple[str, ...]
    thread: str | None = None


@dataclass(frozen=True, slots=True)
class CrisisConfig:
    windows_s: tuple[float, ...] = (60.0, 300.0, 900.0)
    alpha: float = 1e-6
    dispersion: float = 2.0  # real streams are burstier than Poisson: conversations, retweets
    min_count: int = 5
    surge_windows_s: tuple[float, ...] = (60.0, 120.0)
    surge_alarms_per_week: float = 0.2  # per stream: each channel, and all channels together
    surge_min_count: int = 4  # three voices are a bad hour, not yet a crisis
    floor_per_hour: float = 0.5
    history_weeks: int = 4
    min_history: int = 6  # values needed before the hour-of-week profile is trusted
    ewma_alpha: float = 0.05
    cooldown: timedelta = timedelta(minutes=60)
    viral_window_s: float = 600.0
    viral_min: int = 15
    viral_growth: float = 3.0
    max_posts: int = 50
    all_channels: bool = True  # also watch the workspace's channels added together


def poisson_threshold(expected: float, alpha: float, minimum: int) -> int:
    """The smallest ``k`` >= ``minimum`` with P(Poisson(expected) >= k) <= ``alpha``."""
    k, term = 0, math.exp(-expected)
    tail = 1.0 - term  # P(X >= 1)
    while tail > alpha:
        k += 1
        term *= expected / k
        tail -= term
    return max(minimum, k + 1)


@dataclass(slots=True)
class _Channel:
    """Counts of one workspace and channel: recent negative posts and the hourly history."""

    recent: deque[tuple[float, str, str]] = field(default_factory=deque)  # at, post, thread
    history: dict[int, deque[int]] = field(default_factory=dict)
    hour: int | None = None  # the current hour, as hours since the epoch
    hour_count: int = 0
    hour_alerted: bool = False
    ewma: float | None = None
    per_week: float = 0.0  # negative posts it usually gets in a week
    per_week_hour: int | None = None  # when that was summed
    quiet_until: float = -math.inf


@dataclass(slots=True)
class _Thread:
    events: deque[tuple[float, str, int]] = field(default_factory=deque)
    last_total: int = 0
    quiet_until: float = -math.inf
    channel: str = ""


class CrisisDetector:
    """One detector for many workspaces; feed it observations in time order."""

    def __init__(
        self, config: CrisisConfig | None = None, time_zones: Mapping[int, str] | None = None
    ) -> None:
        self.config = config or CrisisConfig()
        self._zones = {ws: ZoneInfo(tz) for ws, tz in (time_zones or {}).items()}
        self._channels: dict[tuple[int, str], _Channel] = {}
        self._threads: dict[tuple[int, str], _Thread] = {}
        self._longest = max(self.config.windows_s + self.config.surge_windows_s)
        self._priming = False

    # -- the baseline --------------------------------------------------------------------------

    def _hour_of_week(self, workspace_id: int, hour: int) -> int:
        zone = self._zones.get(workspace_id)
        at = datetime.fromtimestamp(hour * 3600, UTC)
        local = at.astimezone(zone) if zone else at
        return local.weekday() * 24 + local.hour

    def _close_hours(self, ws: int, state: _Channel, until_hour: int) -> None:
        """Move the finished hours before ``until_hour`` into the history (empty ones too)."""
        if state.hour is None:
            state.hour = until_hour
            return
        cfg = self.config
        last = min(until_hour, state.hour + HOURS_PER_WEEK)  # a week of silence is enough
        while state.hour < last:
            count = state.hour_count
            if state.hour_alerted and not self._priming:  # a crisis is not the usual
                count = min(count, math.ceil(2 * self.rate(ws, state, state.hour)))
            slot = self._hour_of_week(ws, state.hour)
            state.history.setdefault(slot, deque(maxlen=cfg.history_weeks)).append(count)
            state.ewma = (
                float(count)
                if state.ewma is None
                else (1 - cfg.ewma_alpha) * state.ewma + cfg.ewma_alpha * count
            )
            state.hour += 1
            state.hour_count, state.hour_alerted = 0, False
        state.hour = until_hour

    def rate(self, ws: int, state: _Channel, hour: int) -> float:
        """Negative posts an hour usually brings at ``hour`` (hours since the epoch)."""
        return self._usual(state, self._hour_of_week(ws, hour))

    def _usual(self, state: _Channel, slot: int) -> float:
        cfg = self.config
        values = [
            v
            for s in ((slot - 1) % HOURS_PER_WEEK, slot, (slot + 1) % HOURS_PER_WEEK)
            for v in state.history.get(s, ())
        ]
        if len(values) >= cfg.min_history:
            trimmed = sorted(values)[:-1]
            usual = max(float(median(values)), sum(trimmed) / len(trimmed))
        else:
            usual = state.ewma or 0.0
        return max(cfg.floor_per_hour, usual)

    def baseline(self, workspace_id: int, channel: str, at: datetime) -> tuple[float, float]:
        """The negative posts ``channel`` usually gets in the hour of ``at``, and in a week."""
        state = self._channel(workspace_id, channel)
        return self.rate(workspace_id, state, int(at.timestamp() // 3600)), self._per_week(state)

    def _per_week(self, state: _Channel) -> float:
        """Summed at most once a day: a day's hours hardly move a week's sum."""
        hour = state.hour or 0
        if state.per_week_hour is None or hour - state.per_week_hour >= 24:
            state.per_week = sum(self._usual(state, slot) for slot in range(HOURS_PER_WEEK))
            state.per_week_hour = hour
        return state.per_week

    # -- observations --------------------------------------------------------------------------

    def _channel(self, ws: int, channel: str) -> _Channel:
        key = (ws, channel)
        if key not in self._channels:
            self._channels[key] = _Channel()
        return self._channels[key]

    def tick(self, now: datetime) -> None:
        """Let time pass without posts: close finished hours, forget old threads."""
        ts = now.timestamp()
        hour = int(ts // 3600)
        for (ws, _), state in self._channels.items():
            if state.hour is not None and state.hour < hour:
                self._close_hours(ws, state, hour)
        horizon = ts - 2 * self.config.viral_window_s
        for key in [
            k for k, th in self._threads.items() if not th.events or th.events[-1][0] < horizon
        ]:
            del self._threads[key]

    def observe(self, obs: Observation) -> list[Alert]:
        """Count one post; the alerts it completes (usually none)."""
        alerts: list[Alert] = []
        ts = obs.at.timestamp()
        hour = int(ts // 3600)
        channels = (obs.channel, ALL_CHANNELS) if self.config.all_channels else (obs.channel,)
        for channel in channels:
            state = self._channel(obs.workspace_id, channel)
            if state.hour is None or hour > state.hour:
                self._close_hours(obs.workspace_id, state, hour)
            if not obs.negative:
                continue
            state.hour_count += 1
            state.recent.append((ts, obs.post_id, obs.thread or obs.post_id))
            while state.recent and state.recent[0][0] <= ts - self._longest:
                state.recent.popleft()
            if self._priming:
                continue  # what was, was usual: no rule to ask
            alert = self._volume(obs, channel, state, ts, hour)
            if alert is not None:
                alerts.append(alert)
        if obs.thread is not None and obs.is_reply:
            alert = self._activity(
                obs.workspace_id, obs.channel, obs.thread, obs.at, obs.post_id, 1
            )
            if alert is not None:
                alerts.append(alert)
        return alerts

    def observe_engagement(
        self, at: datetime, workspace_id: int, channel: str, thread: str, total: int
    ) -> list[Alert]:
        """A platform's count of replies plus shares of the thread's first post, at ``at``."""
        state = self._threads.get((workspace_id, thread))
        grown = total - (state.last_total if state else 0)
        alert = self._activity(workspace_id, channel, thread, at, thread, grown, total=total)
        return [alert] if alert else []

    def prime(self, observations: Iterable[Observation]) -> int:
        """Learn the usual from past posts, taken as they are (unclipped) and raising nothing;
        returns how many were read."""
        n = 0
        self._priming = True
        try:
            for obs in observations:
                self.observe(obs)
                n += 1
        finally:
            self._priming = False
        for state in self._channels.values():
            state.quiet_until = -math.inf
        for thread in self._threads.values():
            thread.quiet_until = -math.inf
        return n

    # -- the rules -----------------------------------------------------------------------------

    def _volume(
        self, obs: Observation, channel: str, state: _Channel, ts: float, hour: int
    ) -> Alert | None:
        cfg = self.config
        if ts < state.quiet_until:
            state.hour_alerted = True
            if self._over(obs.workspace_id, state, ts, hour) is not None:
                state.quiet_until = ts + cfg.cooldown.total_seconds()  # still going: stay quiet
            return None
        found = self._over(obs.workspace_id, state, ts, hour)
        if found is None:
            return None
        window, expected, threshold, observed, posts = found
        state.quiet_until = ts + cfg.cooldown.total_seconds()
        state.hour_alerted = True
        return Alert(
            AlertKind.VOLUME,
            obs.workspace_id,
            channel,
            obs.at,
            datetime.fromtimestamp(posts[0][0], UTC),
            observed,
            expected,
            threshold,
            window,
            tuple(p for _, p, _ in posts[-cfg.max_posts :]),
        )

    def _over(
        self, ws: int, state: _Channel, ts: float, hour: int
    ) -> tuple[float, float, int, int, list[tuple[float, str, str]]] | None:
        """The first window whose count is too rare for the usual rate: the window, the posts
        expected in it, the threshold, the count and the window's posts."""
        cfg = self.config
        per_hour = self.rate(ws, state, hour)
        for window in cfg.windows_s:
            posts = [p for p in state.recent if p[0] > ts - window]
            expected = per_hour * window / 3600
            threshold = poisson_threshold(expected * cfg.dispersion, cfg.alpha, cfg.min_count)
            if len(posts) >= threshold:
                return window, expected, threshold, len(posts), posts
        return self._surge(state, ts, per_hour)

    def _surge(
        self, state: _Channel, ts: float, per_hour: float
    ) -> tuple[float, float, int, int, list[tuple[float, str, str]]] | None:
        """The surge rule: is the newest post, opening a conversation in the window, in
        company too rare for the usual rate, at the stream's share of the false-alarm budget?"""
        cfg = self.config
        if not cfg.surge_windows_s or cfg.surge_alarms_per_week <= 0:
            return None
        need = max(1, cfg.surge_min_count)
        if len(state.recent) < need or state.recent[-need][0] <= ts - max(cfg.surge_windows_s):
            return None  # too few posts in the longest window for any to reach the minimum
        newest = state.recent[-1]
        beta = cfg.surge_alarms_per_week / (len(cfg.surge_windows_s) * self._per_week(state))
        for window in cfg.surge_windows_s:
            posts = [p for p in state.recent if p[0] > ts - window]
            threads = {p[2] for p in posts[:-1]}
            if newest[2] in threads:
                continue  # the same conversation again: not a new voice
            expected = per_hour * window / 3600
            threshold = max(cfg.surge_min_count, poisson_threshold(expected, beta, 0) + 1)
            if len(threads) + 1 >= threshold:  # told as posts: what the alert's title says
                return window, expected, threshold, len(posts), posts
        return None

    def _activity(
        self,
        ws: int,
        channel: str,
        thread: str,
        at: datetime,
        post_id: str,
        grown: int,
        *,
        total: int | None = None,
    ) -> Alert | None:
        cfg = self.config
        key = (ws, thread)
        state = self._threads.setdefault(key, _Thread(channel=channel))
        if total is not None:
            state.last_total = max(state.last_total, total)
        ts = at.timestamp()
        if grown > 0:
            state.events.append((ts, post_id, grown))
        while state.events and state.events[0][0] <= ts - 2 * cfg.viral_window_s:
            state.events.popleft()
        now = [e for e in state.events if e[0] > ts - cfg.viral_window_s]
        before = sum(e[2] for e in state.events if e[0] <= ts - cfg.viral_window_s)
        count = sum(e[2] for e in now)
        needed = max(cfg.viral_min, math.ceil(cfg.viral_growth * before))
        if count < needed or ts < state.quiet_until:
            return None
        state.quiet_until = ts + cfg.cooldown.total_seconds()
        return Alert(
            AlertKind.VIRAL,
            ws,
            channel,
            at,
            datetime.fromtimestamp(now[0][0], UTC),
            count,
            float(before),
            needed,
            cfg.viral_window_s,
            tuple(dict.fromkeys(e[1] for e in now[-cfg.max_posts :])),
            thread,
        )
