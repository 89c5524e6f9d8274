"""Business time of many intervals at once.

``BusinessCalendar.business_seconds_between`` walks the open periods of each interval, which
is right for one SLA clock but too slow for the tens of thousands of cases a report covers.
:class:`OpenTime` lays the calendar's open periods of a window end to end once, with the open
seconds before each, so that the open time up to any instant is one binary search; the open
time between two instants is the difference. Instants are POSIX seconds (floats).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from mentiondesk.domain.business_time import BusinessCalendar

__all__ = ["OpenTime", "percentile", "percentiles"]

Floats = npt.NDArray[np.float64]


class OpenTime:
    """The open periods of ``calendar`` between ``start`` and ``end`` (with a day's margin)."""

    def __init__(self, calendar: BusinessCalendar, start: datetime, end: datetime) -> None:
        zone = calendar.zone
        day = start.astimezone(zone).date() - timedelta(days=1)
        last = end.astimezone(zone).date() + timedelta(days=1)
        spans: list[tuple[float, float]] = []
        while day <= last:
            for period in calendar.periods_on(day):
                spans.append((period.opens_at.timestamp(), period.closes_at.timestamp()))
            day += timedelta(days=1)
        spans.sort()
        merged: list[list[float]] = []
        for lo, hi in spans:  # overlapping or adjoining periods count once
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            elif hi > lo:
                merged.append([lo, hi])
        self._starts: Floats = np.array([m[0] for m in merged], dtype=np.float64)
        self._ends: Floats = np.array([m[1] for m in merged], dtype=np.float64)
        lengths = self._ends - self._starts
        self._before: Floats = np.concatenate(([0.0], np.cumsum(lengths)[:-1]))
        self.window = (start.astimezone(UTC), end.astimezone(UTC))

    def open_until(self, at: Floats) -> Floats:
        """Open seconds from the window's first period up to each instant."""
        if not len(self._starts):
            return np.zeros_like(at)
        i = np.searchsorted(self._starts, at, side="right") - 1
        inside = np.clip(at - self._starts[np.maximum(i, 0)], 0.0, None)
        length = self._ends[np.maximum(i, 0)] - self._starts[np.maximum(i, 0)]
        counted = self._before[np.maximum(i, 0)] + np.minimum(inside, length)
        return np.where(i < 0, 0.0, counted)

    def between(self, start: Floats, end: Floats) -> Floats:
        """Open seconds in [start, end) for each pair; 0 where ``end`` is not after ``start``."""
        return np.maximum(self.open_until(end) - self.open_until(start), 0.0)


def percentile(values: Floats, q: float) -> float | None:
    """Linear interpolation between closest ranks (as ``statistics.quantiles`` with
    ``method="inclusive"``); ``None`` for no values."""
    return percentiles(values, (q,))[0]


def percentiles(values: Floats, qs: tuple[float, ...]) -> list[float | None]:
    """:func:`percentile` for each of ``qs`` at once: one partial sort places only the ranks
    they need (tens of thousands of durations per report figure)."""
    n = len(values)
    if not n:
        return [None for _ in qs]
    positions = [(n - 1) * q / 100 for q in qs]
    ranks = sorted({min(int(p) + step, n - 1) for p in positions for step in (0, 1)})
    ordered = np.partition(values, ranks)
    out: list[float | None] = []
    for position in positions:
        lo = int(position)
        hi = min(lo + 1, n - 1)
        out.append(float(ordered[lo] + (ordered[hi] - ordered[lo]) * (position - lo)))
    return out
