"""The long-lived crisis detector of a process: fed each stored post by the ``PostReceived``
handler, it raises an alert (``analytics/alerts.py``) when the pure detector
(``analytics/crisis.py``) sees a surge or a viral thread.

One detector per workspace, kept in memory. It is primed from the workspace's stored
negative posts of the last weeks the first time that workspace posts after a start, so a
restart re-learns the baseline instead of starting blind. A post is counted once, even when
its handler runs again from the sweep.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Sequence
from datetime import datetime, timedelta

from mentiondesk.analytics.alerts import do_raise_crisis_alert
from mentiondesk.analytics.crisis import (
    ALL_CHANNELS,
    Alert,
    CrisisConfig,
    CrisisDetector,
    Observation,
)
from mentiondesk.domain.workspaces import Workspace
from mentiondesk.storage.repositories.alerts import PostSignal
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["CrisisWatch"]

log = logging.getLogger(__name__)

SEEN = 20_000  # post ids remembered per workspace against a repeated handler run


class _Workspace:
    def __init__(self, detector: CrisisDetector) -> None:
        self.detector = detector
        self.seen: set[int] = set()
        self.order: deque[int] = deque()
        self.last: datetime | None = None

    def first_time(self, post_id: int) -> bool:
        if post_id in self.seen:
            return False
        self.seen.add(post_id)
        self.order.append(post_id)
        if len(self.order) > SEEN:
            self.seen.discard(self.order.popleft())
        return True


class CrisisWatch:
    def __init__(self, config: CrisisConfig | None = None, history_weeks: int = 4) -> None:
        self.config = config or CrisisConfig()
        self.history = timedelta(weeks=history_weeks)
        self._workspaces: dict[int, _Workspace] = {}
        self._lock = threading.Lock()
        self.primed: dict[int, int] = {}  # workspace → posts read when priming

    def forget(self) -> None:
        """Drop every detector, as a restart does (the next post re-primes)."""
        with self._lock:
            self._workspaces.clear()

    def _state(self, uow: UnitOfWork, workspace: Workspace, before: datetime) -> _Workspace:
        state = self._workspaces.get(workspace.id)
        if state is None:
            detector = CrisisDetector(self.config, {workspace.id: workspace.time_zone})
            rows = uow.alerts.negative_posts(workspace.id, before - self.history, before)
            state = _Workspace(detector)
            self.primed[workspace.id] = detector.prime(
                Observation(at, workspace.id, channel, str(pid), True, thread, reply)
                for pid, channel, at, thread, reply in rows
            )
            for pid, *_ in rows:
                state.first_time(pid)
            if rows:
                state.last = rows[-1][2]
            self._workspaces[workspace.id] = state
        return state

    def observe_posts(
        self,
        uow: UnitOfWork,
        workspace: Workspace,
        posts: Sequence[PostSignal],
        now: datetime,
    ) -> list[int]:
        """Count stored posts of one workspace (``uow.alerts.post_signals``), oldest first;
        the ids of the alerts they raised (usually none)."""
        raised = []
        for post in sorted(posts, key=lambda p: (p.at, p.id)):
            with self._lock:
                found = self._observe(uow, workspace, post)
            if any(a.channel != ALL_CHANNELS for a in found):  # one surge, one alert
                found = [a for a in found if a.channel != ALL_CHANNELS]
            for alert in found:
                alert_id = do_raise_crisis_alert(uow, workspace, alert, now=now)
                if alert_id is not None:
                    log.warning("crisis alert %s in %s: %s", alert_id, workspace.slug, alert.kind)
                    raised.append(alert_id)
        return raised

    def _observe(self, uow: UnitOfWork, workspace: Workspace, post: PostSignal) -> list[Alert]:
        state = self._state(uow, workspace, post.at)
        if not state.first_time(post.id):
            return []
        at = max(post.at, state.last) if state.last else post.at  # the detector needs order
        state.last = at
        return state.detector.observe(
            Observation(
                at,
                workspace.id,
                post.channel,
                str(post.id),
                post.negative,
                post.thread if post.is_reply else None,
                post.is_reply,
            )
        )
