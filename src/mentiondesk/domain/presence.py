"""Who else is on a case right now: the rules behind collision detection.

Browsers report a heartbeat every few seconds (viewing) and on keystrokes (typing). A heartbeat
older than ``STALE_AFTER`` means the tab was closed or the agent walked away, so it is ignored
rather than deleted: nothing has to clean up for the screen to be right."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

STALE_AFTER = timedelta(seconds=15)
# The viewing poll must not hide a pause of a few seconds between keystrokes.
TYPING_HOLD = timedelta(seconds=6)


class PresenceState(StrEnum):
    VIEWING = "viewing"
    TYPING = "typing"


@dataclass(frozen=True, slots=True)
class Presence:
    user_id: int
    name: str
    state: PresenceState
    heartbeat_at: datetime

    def fresh(self, now: datetime) -> bool:
        return now - self.heartbeat_at <= STALE_AFTER

    def describe(self) -> str:
        return (
            f"{self.name} is typing…"
            if self.state is PresenceState.TYPING
            else (f"{self.name} is viewing")
        )


def next_state(
    previous: PresenceState | None,
    previous_at: datetime | None,
    reported: PresenceState,
    now: datetime,
) -> tuple[PresenceState, datetime]:
    """The state and heartbeat to store when ``reported`` arrives.

    A "viewing" poll right after a keystroke keeps "typing" (and its time, so typing still
    expires ``TYPING_HOLD`` after the last keystroke)."""
    if (
        reported is PresenceState.VIEWING
        and previous is PresenceState.TYPING
        and previous_at is not None
        and now - previous_at < TYPING_HOLD
    ):
        return PresenceState.TYPING, previous_at
    return reported, now


def others(entries: Iterable[Presence], me: int, now: datetime) -> list[Presence]:
    """Colleagues with a fresh heartbeat, typists first. A typing state older than
    ``TYPING_HOLD`` is shown as viewing: they stopped typing but may still be reading."""
    shown = []
    for entry in entries:
        if entry.user_id == me or not entry.fresh(now):
            continue
        if entry.state is PresenceState.TYPING and now - entry.heartbeat_at >= TYPING_HOLD:
            entry = Presence(entry.user_id, entry.name, PresenceState.VIEWING, entry.heartbeat_at)  # noqa: PLW2901
        shown.append(entry)
    shown.sort(key=lambda p: (p.state is not PresenceState.TYPING, p.name))
    return shown


def typing(entries: Iterable[Presence], me: int, now: datetime) -> list[Presence]:
    return [p for p in others(entries, me, now) if p.state is PresenceState.TYPING]
